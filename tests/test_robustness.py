"""Every kind of bad input from the robustness issue, one row each, against the real server; limits; safety.

`BAD_REQUESTS` is the issue's list as data: each row is a request and the answer it must get (a 4xx
with a `detail` sentence naming the problem). The same rows go to the session's uvicorn server and to
`reelcast serve` itself, which must answer them identically: what a client outside the test suite
sees. After each, the server must still be healthy. tests/test_api.py holds the finer API checks.
"""

from __future__ import annotations

import ast
import io
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import TEST_UPLOAD_LIMIT_MB, SlowOrBrokenService
from reelcast import api, cli
from reelcast.api import MEGABYTE, create_app, request_timeout
from reelcast.localserver import free_port, running

SRC = Path(api.__file__).parent
ONE_SCENE = "INT. ROOM - DAY\n\nBob sits.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&c;</Text></Paragraph></Content></FinalDraft>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<FinalDraft><Content><Paragraph Type="Action"><Text>&secret;</Text></Paragraph></Content></FinalDraft>"""


def blank_pdf() -> bytes:
    """A valid one-page PDF with no text layer, as a scanner makes."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(612, 792)
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class BadRequest:
    """One bad request and the answer it must get: `status` and words the `detail` must contain."""

    name: str
    status: int
    words: tuple[str, ...]
    json: object = None
    content: bytes | None = None
    content_type: str | None = None
    files: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def send(self, base_url: str) -> httpx.Response:
        kwargs: dict = {"timeout": 60}
        if self.json is not None:
            kwargs["json"] = self.json
        if self.content is not None:
            kwargs["content"] = self.content
            kwargs["headers"] = {"Content-Type": self.content_type} if self.content_type else {}
        if self.files:
            kwargs["files"] = self.files
            kwargs["data"] = self.data
        return httpx.post(f"{base_url}/v1/predict", **kwargs)


def upload(name: str, data: bytes, budget: str | None = None, status: int = 422, *words: str, field_name="file"):
    return BadRequest(f"upload-{name}", status, words, files={field_name: (name, data)},
                      data={"budget_usd": budget} if budget is not None else {})


def json_body(name: str, body: bytes, status: int, *words: str):
    return BadRequest(f"json-{name}", status, words, content=body, content_type="application/json")


BAD_REQUESTS = [
    BadRequest("empty-text", 422, ("empty",), json={"text": ""}),
    BadRequest("whitespace-text", 422, ("empty",), json={"text": " \n\t "}),
    BadRequest("nul-bytes-in-text", 422, ("binary",), json={"text": "\x00\x01\x02" * 50}),
    upload("poster.png", PNG, None, 422, "binary"),
    upload("script.txt", PNG, None, 422, "binary"),
    upload("script.docx", b"PK\x03\x04" + bytes(200), None, 422, "export"),
    json_body("invalid-utf8", b'{"text": "INT. ROOM - DAY \xff\xfe"}', 400, "UTF-8", "multipart"),
    json_body("latin1", '{"text": "INT. CAF\u00c9 - DAY"}'.encode("latin-1"), 400, "UTF-8"),
    json_body("broken", b'{"text": ', 400, "JSON"),
    json_body("deeply-nested", b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", 400, "JSON"),
    json_body("sixty-megabytes", b'{"text": "' + b"a" * (60 * MEGABYTE) + b'"}', 413, "limit",
              "REELCAST_MAX_UPLOAD_MB"),
    upload("sixty-megabytes.txt", b"a" * (60 * MEGABYTE), None, 413, "limit"),
    upload("scan.pdf", blank_pdf(), None, 422, "no text layer"),
    upload("broken.pdf", b"%PDF-1.4\nnot really a pdf", None, 422, "PDF"),
    upload("truncated.fdx", b"<FinalDraft><Content><Paragraph Type=", None, 422, "not valid XML"),
    upload("bomb.fdx", ENTITY_BOMB, None, 422, "entities"),
    upload("external.fdx", EXTERNAL_ENTITY, None, 422, "entities"),
    upload("other.fdx", b"<html><body>hello</body></html>", None, 422, "Final Draft"),
    BadRequest("text-plain", 415, ("multipart", "JSON"), content=ONE_SCENE.encode(), content_type="text/plain"),
    BadRequest("no-content-type", 415, ("multipart",), content=ONE_SCENE.encode()),
    BadRequest("missing-text", 422, ("text",), json={"budget_usd": 1_000_000}),
    BadRequest("text-not-a-string", 422, ("text",), json={"text": 42}),
    upload("in-the-wrong-field.txt", ONE_SCENE.encode(), None, 422, "'file'", field_name="script"),
    BadRequest("negative-budget", 422, ("budget_usd", "positive"), json={"text": ONE_SCENE, "budget_usd": -5}),
    BadRequest("text-budget", 422, ("budget_usd",), json={"text": ONE_SCENE, "budget_usd": "lots"}),
    BadRequest("boolean-budget", 422, ("budget_usd",), json={"text": ONE_SCENE, "budget_usd": True}),
    BadRequest("quoted-budget", 422, ("budget_usd",), json={"text": ONE_SCENE, "budget_usd": "25000000"}),
    upload("neg.txt", ONE_SCENE.encode(), "-25000000", 422, "budget_usd"),
    upload("words.txt", ONE_SCENE.encode(), "twenty million", 422, "budget_usd"),
]


def assert_clear_refusal(response: httpx.Response, bad: BadRequest) -> str:
    assert response.status_code == bad.status, f"{bad.name}: {response.status_code} {response.text[:300]}"
    detail = response.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 20, detail
    for word in bad.words:
        assert word.lower() in detail.lower(), f"{bad.name}: {word!r} not in {detail!r}"
    assert "Traceback" not in response.text and 'File "' not in response.text
    return detail


@pytest.mark.parametrize("bad", BAD_REQUESTS, ids=[bad.name for bad in BAD_REQUESTS])
def test_bad_input_gets_a_clear_4xx_and_the_server_stays_healthy(server, bad):
    assert_clear_refusal(bad.send(server), bad)
    assert httpx.get(f"{server}/healthz", timeout=10).json()["status"] == "ok"


def test_prose_is_answered_with_a_warning_that_says_so(server):
    essay = "It rained all day and I thought about what the summer had meant to all of us. " * 200
    response = httpx.post(f"{server}/v1/predict", json={"text": essay}, timeout=60)
    assert response.status_code == 200, response.text
    assert any("prose" in warning for warning in response.json()["warnings"]), response.json()["warnings"]


def test_a_utf16_text_file_is_read_not_refused_as_binary(server, script_text):
    as_utf8 = httpx.post(f"{server}/v1/predict", files={"file": ("s.txt", script_text.encode())}, timeout=60)
    as_utf16 = httpx.post(f"{server}/v1/predict", files={"file": ("s.txt", script_text.encode("utf-16"))}, timeout=60)
    assert as_utf16.status_code == 200, as_utf16.text
    assert as_utf16.json() == as_utf8.json()


# --- the same answers from `reelcast serve` ---------------------------------------------------------


@pytest.fixture(scope="module")
def reelcast_serve(trained_home, tmp_path_factory):
    """`reelcast serve` itself (the console command a user runs), with the test servers' upload limit."""
    port, log_path = free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    command = [str(Path(sys.executable).with_name("reelcast")), "serve", "--home", str(trained_home), "--port", str(port)]
    env = {**os.environ, "REELCAST_MAX_UPLOAD_MB": str(TEST_UPLOAD_LIMIT_MB)}
    with running(command, port, env, log_path) as (_, base_url):
        yield base_url, log_path


def test_reelcast_serve_gives_outside_clients_the_same_answers(server, reelcast_serve):
    base_url, log_path = reelcast_serve
    for bad in BAD_REQUESTS:
        outside, inside = bad.send(base_url), bad.send(server)
        assert (outside.status_code, outside.json()) == (inside.status_code, inside.json()), bad.name
    assert httpx.get(f"{base_url}/healthz").json()["status"] == "ok"
    assert "Traceback" not in log_path.read_text()


# --- limits ---------------------------------------------------------------------------------------------


def test_a_request_over_the_time_limit_gets_503_at_the_limit(script_text, monkeypatch):
    monkeypatch.setattr(SlowOrBrokenService, "delay_s", 2.0)
    app = create_app(service_factory=SlowOrBrokenService.load, request_timeout_s=0.3, workers=0)
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post("/v1/predict", json={"text": script_text})
        waited = time.monotonic() - started
        assert client.get("/healthz").json()["status"] == "ok"
    assert response.status_code == 503
    assert "0.3 s limit" in response.json()["detail"] and "REELCAST_REQUEST_TIMEOUT_S" in response.json()["detail"]
    assert waited < SlowOrBrokenService.delay_s, f"the answer came after {waited:.2f} s, not at the 0.3 s limit"


def test_time_limit_comes_from_the_environment(monkeypatch):
    assert request_timeout() == api.DEFAULT_REQUEST_TIMEOUT_S == 30
    monkeypatch.setenv("REELCAST_REQUEST_TIMEOUT_S", "2.5")
    assert request_timeout() == 2.5
    for setting in ("soon", "0", "-1", "nan"):
        monkeypatch.setenv("REELCAST_REQUEST_TIMEOUT_S", setting)
        with pytest.raises(ValueError, match="REELCAST_REQUEST_TIMEOUT_S"):
            request_timeout()


def test_the_upload_limit_is_configurable_per_server(trained_home, script_text):
    """A body just over a 0.5 MB limit is refused; the same body passes a 2 MB limit."""
    body = {"text": script_text + "\n" * int(0.6 * MEGABYTE)}
    with TestClient(create_app(home=trained_home, max_upload_mb=0.5)) as strict:
        assert strict.post("/v1/predict", json=body).status_code == 413
    with TestClient(create_app(home=trained_home, max_upload_mb=2)) as roomy:
        assert roomy.post("/v1/predict", json=body).status_code == 200


# --- safety ---------------------------------------------------------------------------------------------


def test_serve_binds_only_this_machine_by_default(monkeypatch):
    calls = []
    monkeypatch.setattr(api, "serve", lambda **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1"


DANGEROUS_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve"}
DANGEROUS_CALLS = {"eval", "exec", "read_pickle", "__import__"}


def risky_uses(path: Path) -> list[str]:
    """Imports of pickle-like modules, eval/exec-like calls and `allow_pickle=True` in one source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
            found += [f"import {name}" for name in names if name.split(".")[0] in DANGEROUS_MODULES]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in DANGEROUS_CALLS:
                found.append(f"call {name}()")
            if any(k.arg == "allow_pickle" and getattr(k.value, "value", False) is True for k in node.keywords):
                found.append("allow_pickle=True")
    return [f"{path.name}:{use}" for use in found]


def test_no_source_file_unpickles_or_evaluates_anything():
    sources = sorted(SRC.rglob("*.py"))
    assert len(sources) > 10
    assert [use for path in sources for use in risky_uses(path)] == []


def test_the_scanner_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle\nimport numpy as np\neval('1')\nnp.load('x', allow_pickle=True)\n")
    assert risky_uses(sample) == ["sample.py:import pickle", "sample.py:call eval()", "sample.py:allow_pickle=True"]


def test_uploads_never_touch_the_disk(trained_home, script_text, monkeypatch, tmp_path):
    """A near-limit upload named like a path is parsed in memory: no temp file, nothing written."""

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was about to be written to a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.chdir(tmp_path)
    data = (script_text + "\n" * (MEGABYTE // 2)).encode()
    with TestClient(create_app(home=trained_home, max_upload_mb=1)) as client:
        response = client.post("/v1/predict", files={"file": ("../../escape/../x.txt", data)})
    assert response.status_code == 200, response.text
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent.parent / "escape").exists()


def test_openapi_schema_documents_the_limits(server):
    spec = json.dumps(httpx.get(f"{server}/openapi.json").json())
    assert "REELCAST_MAX_UPLOAD_MB" in spec and "REELCAST_REQUEST_TIMEOUT_S" in spec
