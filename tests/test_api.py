"""The HTTP API over a real socket: good input in both shapes, and every kind of bad input.

Runs against the `server` fixture (conftest.py): the real app on a real model trained from made-up
data. Answers are checked for the contract's shapes and relationships (intervals hold their
estimate, contributions add up, citations name real scenes), not for particular numbers. Bad input
must always give a 4xx with a `detail` sentence, and the server must stay healthy afterwards.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import SlowOrBrokenService
from fixtures_model import SCRIPTED_FILMS, feature_length_text
from reelcast.api import MEGABYTE, create_app, max_upload_bytes
from reelcast.read import read_document, read_text
from reelcast.schemas import CoverageReport, Explanation, Prediction

ENDPOINTS = ["/v1/predict", "/v1/explain", "/v1/coverage"]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def feature_script() -> str:
    """A made-up feature-length script the test model was not trained on, with content to cite."""
    return feature_length_text("Harbor Lights", seed=7)


def post(server: str, path: str = "/v1/predict", **kwargs) -> httpx.Response:
    return httpx.post(f"{server}{path}", timeout=60, **kwargs)


def assert_prediction(prediction: dict) -> None:
    gross = prediction["worldwide_gross_usd"]
    assert gross["low"] <= gross["estimate"] <= gross["high"]
    assert 0 < gross["level"] < 1
    assert 0 <= prediction["p_break_even"] <= 1
    assert isinstance(prediction["model_version"], str) and prediction["model_version"]


def assert_refused(response: httpx.Response, status: int, *words: str) -> str:
    """The documented error shape: the status, and a `detail` sentence naming the problem."""
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    for word in words:
        assert word.lower() in detail.lower(), detail
    assert "Traceback" not in detail
    return detail


# --- good input -----------------------------------------------------------------------------------


def test_healthz_reports_the_loaded_model(server):
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok"
    assert health["model_version"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_endpoints_accept_json_text(server, script_text, path):
    response = post(server, path, json={"text": script_text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_prediction(body.get("prediction", body))


@pytest.mark.parametrize("path", ENDPOINTS)
def test_endpoints_accept_a_multipart_upload(server, script_file, path):
    files = {"file": (script_file.name, script_file.read_bytes(), "text/plain")}
    response = post(server, path, files=files, data={"budget_usd": "25000000"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_prediction(body.get("prediction", body))


@pytest.mark.parametrize("path, schema", list(zip(ENDPOINTS, [Prediction, Explanation, CoverageReport])))
def test_answers_validate_against_the_published_schemas(server, feature_script, path, schema):
    for budget in (None, 30_000_000):
        response = post(server, path, json={"text": feature_script, "budget_usd": budget})
        assert response.status_code == 200, response.text
        schema.model_validate(response.json())


def test_json_text_and_an_upload_of_the_same_script_get_the_same_forecast(server, feature_script):
    as_json = post(server, json={"text": feature_script}).json()
    as_upload = post(server, files={"file": ("script.txt", feature_script.encode())}).json()
    assert as_json == as_upload


def test_a_planned_budget_changes_the_break_even_odds_and_says_so(server, feature_script):
    estimated = post(server, json={"text": feature_script}).json()
    planned = post(server, json={"text": feature_script, "budget_usd": 250_000_000}).json()
    assert estimated["budget_source"] != planned["budget_source"] == "planned"
    assert planned["budget_used_usd"] == 250_000_000
    assert planned["p_break_even"] != estimated["p_break_even"]


def test_a_bigger_planned_budget_lowers_the_break_even_odds(server, feature_script):
    def odds(budget: float) -> float:
        return post(server, json={"text": feature_script, "budget_usd": budget}).json()["p_break_even"]

    assert odds(1_000_000) > odds(500_000_000)


def test_a_fragment_is_forecast_with_a_warning(server, script_text):
    prediction = post(server, json={"text": script_text}).json()
    assert any("fragment" in warning for warning in prediction["warnings"]), prediction["warnings"]


@pytest.mark.parametrize("budget", [None, 40_000_000])
def test_explanation_adds_up_to_the_model_output(server, feature_script, budget):
    explanation = post(server, "/v1/explain", json={"text": feature_script, "budget_usd": budget}).json()
    prediction, output = explanation["prediction"], explanation["model_output"]
    for target, tolerance in [("worldwide_gross_usd", 1.0), ("p_break_even", 1e-5)]:
        parts = [explanation["baseline"][target], explanation["other_features"]["contribution"][target]]
        parts += [driver["contribution"][target] for driver in explanation["drivers"]]
        assert sum(parts) == pytest.approx(output[target], abs=tolerance * len(parts))
    # the rounded forecast is the model output, rounded
    assert prediction["worldwide_gross_usd"]["estimate"] == pytest.approx(output["worldwide_gross_usd"], abs=500)
    assert prediction["p_break_even"] == pytest.approx(output["p_break_even"], abs=5e-5)


def test_explanation_drivers_are_ranked_and_in_range(server, feature_script):
    drivers = post(server, "/v1/explain", json={"text": feature_script}).json()["drivers"]
    assert drivers
    effects = [abs(driver["contribution"]["worldwide_gross_usd"]) for driver in drivers]
    assert effects == sorted(effects, reverse=True)
    for driver in drivers:
        assert 0 <= driver["percentile"] <= 100
        assert driver["sentence"]


def test_explanation_evidence_cites_scenes_of_the_script(server, feature_script):
    explanation = post(server, "/v1/explain", json={"text": feature_script}).json()
    headings = {scene.number: scene.heading for scene in read_text(feature_script).scenes}
    assert explanation["evidence"]
    for item in explanation["evidence"]:
        assert headings[item["scene"]] == item["heading"], item


def test_comparables_are_films_of_the_training_set(server, feature_script):
    comparables = post(server, "/v1/explain", json={"text": feature_script}).json()["comparables"]
    training_titles = {title for title, *_ in SCRIPTED_FILMS}
    assert comparables and {film["title"] for film in comparables} <= training_titles
    assert all(0 <= film["similarity"] <= 1 for film in comparables)


def test_coverage_describes_the_uploaded_script(server, script_file):
    files = {"file": (script_file.name, script_file.read_bytes())}
    report = post(server, "/v1/coverage", files=files).json()
    parsed = read_document(script_file.name, script_file.read_bytes())
    assert report["title"] == parsed.title == "Tide Table"
    assert report["stats"]["scenes"] == len(parsed.scenes) == len(report["scenes"])
    assert [scene["heading"] for scene in report["scenes"]] == [scene.heading for scene in parsed.scenes]
    assert {person["name"] for person in report["characters"]} == {"NELL", "OWEN"}
    assert report["verdict"] in {"pass", "consider", "recommend"}
    assert report["prediction"] == report["explanation"]["prediction"]


def test_coverage_findings_cite_scenes_of_the_script(server, feature_script):
    report = post(server, "/v1/coverage", json={"text": feature_script}).json()
    numbers = {scene.number for scene in read_text(feature_script).scenes}
    cited = [n for finding in report["strengths"] + report["risks"] for n in finding["scenes"]]
    cited += [n for flag in report["content_flags"]["flags"] for n in flag["scenes"]]
    assert cited and set(cited) <= numbers


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_non_utf8_uploads_are_decoded(server, script_text, encoding):
    data = script_text.replace("Nell", "Néll").encode(encoding)
    response = post(server, files={"file": ("tide.txt", data)})
    assert response.status_code == 200, response.text


def test_invalid_utf8_bytes_do_not_break_reading(server, script_text):
    data = script_text.encode() + b"\n\xff\xfe\xc3(  broken bytes\n"
    response = post(server, files={"file": ("tide.txt", data)})
    assert response.status_code == 200, response.text


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_refused(server, text):
    assert_refused(post(server, json={"text": text}), 422, "empty")


@pytest.mark.parametrize(
    "body, status, word",
    [
        ("{}", 422, "text"),
        ('{"text": ', 400, "JSON"),
        ("[1, 2]", 422, "object"),
        ('{"script": "INT. ROOM - DAY"}', 422, "text"),
    ],
    ids=["missing-text", "broken-json", "not-an-object", "wrong-field"],
)
def test_malformed_json_is_refused(server, body, status, word):
    assert_refused(post(server, content=body, headers={"Content-Type": "application/json"}), status, word)


@pytest.mark.parametrize("budget", ["-5", "0", '"abc"', "NaN", "Infinity", "1e400", "[]"])
def test_bad_json_budget_is_refused(server, script_text, budget):
    body = f'{{"text": {json.dumps(script_text)}, "budget_usd": {budget}}}'
    assert_refused(post(server, content=body, headers={"Content-Type": "application/json"}), 422, "budget_usd")


@pytest.mark.parametrize("budget", ["-1", "abc", "nan", "inf", "12,5"])
def test_bad_form_budget_is_refused(server, script_file, budget):
    files = {"file": (script_file.name, script_file.read_bytes())}
    assert_refused(post(server, files=files, data={"budget_usd": budget}), 422, "budget_usd")


def test_upload_without_a_file_field_is_refused(server, script_text):
    response = post(server, files={"script": ("tide.txt", script_text.encode())})
    assert_refused(response, 422, "'file'")


def test_empty_upload_is_refused(server):
    assert_refused(post(server, files={"file": ("empty.txt", b"")}), 422, "empty")


@pytest.mark.parametrize("name", ["poster.png", "script.txt", "script"])
def test_binary_upload_is_refused(server, name):
    assert_refused(post(server, files={"file": (name, PNG_BYTES)}), 422, "binary")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_other_content_types_are_refused(server, script_text, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = post(server, content=script_text.encode(), headers=headers)
    assert_refused(response, 415, "multipart")


def test_upload_over_the_limit_is_refused(server, script_text):
    padding = b"\n" * (max_upload_bytes(1) + 1)  # the test servers run with a 1 MB limit
    response = post(server, files={"file": ("huge.txt", script_text.encode() + padding)})
    assert_refused(response, 413, "limit")


def raw_request(server: str, head: str, body_parts: list[bytes]) -> str:
    """Send a hand-made HTTP request and return the status line and body of the answer."""
    url = urlparse(server)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.encode())
        try:
            for part in body_parts:
                sock.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the whole body is sent
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("latin-1")


def test_declared_oversize_body_is_refused_before_reading(server):
    head = ("POST /v1/predict HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"Content-Length: {60 * MEGABYTE}\r\nConnection: close\r\n\r\n")
    answer = raw_request(server, head, [b'{"text": "'])  # 60 MB announced, a few bytes sent
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert '"detail"' in answer


def test_streamed_oversize_body_is_refused_while_counting(server):
    head = ("POST /v1/predict HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    chunk = b"a" * 65536
    # Exactly the 1 MB limit, then one byte more and no final chunk: the server must refuse without
    # seeing the end. (Sending far more would leave unread bytes, and the close would turn into a reset.)
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (MEGABYTE // len(chunk)) + [b"1\r\na\r\n"]
    answer = raw_request(server, head, chunks)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]


def test_wrong_method_is_refused(server):
    assert_refused(httpx.get(f"{server}/v1/predict"), 405, "method")


def test_server_stays_healthy_after_bad_input(server):
    post(server, content=b"\x00\xff" * 100, headers={"Content-Type": "multipart/form-data; boundary=x"})
    post(server, content=b"--", headers={"Content-Type": "multipart/form-data"})
    assert httpx.get(f"{server}/healthz").json()["status"] == "ok"


@pytest.mark.parametrize(
    "content_type, status",
    [("multipart/form-data", 400), ("multipart/form-data; boundary=zz", 400)],
    ids=["no-boundary", "garbage-parts"],
)
def test_broken_multipart_is_refused(server, content_type, status):
    assert_refused(post(server, content=b"not multipart at all", headers={"Content-Type": content_type}), status)


# --- pages and documentation ----------------------------------------------------------------------


def test_root_serves_the_web_page_and_its_assets(server):
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ["/static/app.js", "/static/app.css"]:
        assert asset in page.text
        assert httpx.get(f"{server}{asset}").status_code == 200


def test_openapi_documents_both_body_shapes(server):
    spec = httpx.get(f"{server}/openapi.json").json()
    for path in ENDPOINTS:
        content = spec["paths"][path]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(content)
    assert httpx.get(f"{server}/docs").status_code == 200


def test_report_page_is_served_once_written(server, trained_home):
    assert_refused(httpx.get(f"{server}/report"), 404, "reelcast report")
    report = trained_home / "report" / "report.html"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("<html><body>analysis</body></html>")
    try:
        response = httpx.get(f"{server}/report")
        assert response.status_code == 200 and "analysis" in response.text
    finally:
        report.unlink()


# --- no model -------------------------------------------------------------------------------------


def test_without_a_model_the_app_runs_degraded(server_without_model, script_text):
    health = httpx.get(f"{server_without_model}/healthz").json()
    assert health["status"] == "degraded"
    assert "reelcast train" in health["detail"]
    for path in ENDPOINTS:
        assert_refused(post(server_without_model, path, json={"text": script_text}), 503, "reelcast train")
    assert httpx.get(f"{server_without_model}/").status_code == 200


# --- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["abc", "-1", "0", "inf"])
def test_a_bad_upload_limit_setting_is_named(monkeypatch, setting):
    monkeypatch.setenv("REELCAST_MAX_UPLOAD_MB", setting)
    with pytest.raises(ValueError, match="REELCAST_MAX_UPLOAD_MB"):
        max_upload_bytes()


def test_upload_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("REELCAST_MAX_UPLOAD_MB", "2.5")
    assert max_upload_bytes() == int(2.5 * MEGABYTE)
    assert max_upload_bytes(1) == MEGABYTE


# --- in-process: failures of the service itself -----------------------------------------------------


def test_a_service_bug_is_a_500_without_internals(script_text):
    with TestClient(create_app(service_factory=SlowOrBrokenService.load, workers=0), raise_server_exceptions=False) as client:
        response = client.post("/v1/predict", json={"text": script_text})
    assert response.status_code == 500
    assert "server log" in response.json()["detail"]
    assert "secret" not in response.text and "Traceback" not in response.text


def test_model_work_does_not_block_other_requests(script_text, monkeypatch):
    monkeypatch.setattr(SlowOrBrokenService, "delay_s", 1.5)
    with TestClient(create_app(service_factory=SlowOrBrokenService.load, workers=0), raise_server_exceptions=False) as client:
        slow = threading.Thread(target=client.post, args=("/v1/predict",), kwargs={"json": {"text": script_text}})
        slow.start()
        time.sleep(0.3)  # let the slow forecast start
        started = time.monotonic()
        assert client.get("/healthz").status_code == 200
        waited = time.monotonic() - started
        slow.join()
    assert waited < 0.5, f"/healthz waited {waited:.2f} s behind a forecast"


def test_a_training_script_sent_back_is_flagged_as_in_sample(server, feature_script):
    from fixtures_model import screenplay_text
    title, year, _, _, genre = SCRIPTED_FILMS[7]
    known = post(server, json={"text": screenplay_text(title, year, genre, 7)}).json()
    assert any(f"training scripts, {title} ({year})" in w and "in sample" in w for w in known["warnings"]), known["warnings"]
    fresh = post(server, json={"text": feature_script}).json()
    assert not any("training scripts" in w for w in fresh["warnings"]), fresh["warnings"]
