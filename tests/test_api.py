"""The HTTP API over a real socket: good input in both shapes, and every kind of bad input.

Runs against the `server` fixture (conftest.py), which serves the app chosen there. Bad input must
always give a 4xx with a `detail` sentence, and the server must stay healthy afterwards.
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

from reelcast.api import MEGABYTE, create_app, max_upload_bytes

ENDPOINTS = ["/v1/predict", "/v1/explain", "/v1/coverage"]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


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


def test_coverage_describes_the_uploaded_script(server, script_file):
    files = {"file": (script_file.name, script_file.read_bytes())}
    report = post(server, "/v1/coverage", files=files).json()
    assert report["title"] == "Tide Table"
    assert report["stats"]["scenes"] == 4
    assert report["verdict"] in {"pass", "consider", "recommend"}
    assert report["explanation"]["drivers"]


def test_a_bigger_planned_budget_lowers_the_break_even_odds(server, script_text):
    def odds(budget: float) -> float:
        return post(server, json={"text": script_text, "budget_usd": budget}).json()["p_break_even"]

    assert odds(1_000_000) > odds(500_000_000)


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


def test_report_page_is_served_once_written(server, server_home):
    assert_refused(httpx.get(f"{server}/report"), 404, "reelcast report")
    report = server_home / "report" / "report.html"
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


class SlowOrBrokenService:
    """TEST DOUBLE: a service whose predict either takes a while or fails with a bug."""

    model_version = "double"
    delay_s = 0.0

    @classmethod
    def load(cls, home=None):
        return cls()

    def predict(self, screenplay, budget_usd=None):
        if not self.delay_s:
            raise RuntimeError("secret internals at /srv/model.bin")
        time.sleep(self.delay_s)
        raise RuntimeError("done waiting")


def test_a_service_bug_is_a_500_without_internals(script_text):
    with TestClient(create_app(service_factory=SlowOrBrokenService.load), raise_server_exceptions=False) as client:
        response = client.post("/v1/predict", json={"text": script_text})
    assert response.status_code == 500
    assert "server log" in response.json()["detail"]
    assert "secret" not in response.text and "Traceback" not in response.text


def test_model_work_does_not_block_other_requests(script_text, monkeypatch):
    monkeypatch.setattr(SlowOrBrokenService, "delay_s", 1.5)
    with TestClient(create_app(service_factory=SlowOrBrokenService.load), raise_server_exceptions=False) as client:
        slow = threading.Thread(target=client.post, args=("/v1/predict",), kwargs={"json": {"text": script_text}})
        slow.start()
        time.sleep(0.3)  # let the slow forecast start
        started = time.monotonic()
        assert client.get("/healthz").status_code == 200
        waited = time.monotonic() - started
        slow.join()
    assert waited < 0.5, f"/healthz waited {waited:.2f} s behind a forecast"
