"""Fuzzing: property tests on the readers and the request parsers, and schemathesis against the API.

The readers and parsers take anything a user sends; hypothesis searches for input that makes them
fail in any way other than the documented one (`UnreadableScript`, or an `HTTPException` with a 4xx).
Schemathesis then generates requests from the published OpenAPI schema and sends them to the real
server: no answer may be a 5xx. Example counts are bounded so the whole file runs in well under a minute.
"""

from __future__ import annotations

import html
import json
import math

import pytest
import schemathesis
from schemathesis import GenerationMode
from fastapi import HTTPException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelcast.api import parse_form_budget, parse_json_request, parse_multipart
from reelcast.read import UnreadableScript, clean_text, decode, read_document, read_text
from reelcast.schemas import CoverageReport, Explanation, Health, Prediction

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Printable text that XML 1.0 can carry (no control characters, no lone surrogates).
xml_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40)
screenplay_lines = st.lists(
    st.one_of(
        st.sampled_from(["", "INT. KITCHEN - NIGHT", "EXT. ROAD - DAY", "CUT TO:", "FADE OUT.", "(beat)",
                         "                    NELL", "          Where were you?", "OWEN (V.O.)", ".FLASHBACK",
                         "Title: Test", "Author: Someone", "/* boneyard", "*/", "[[a note]]", "> THE END <",
                         "<b>INT. HALL - DAY</b>", "&amp; more", "\t\tTABBED", "@McCLANE", "~lyric", "==="]),
        st.text(max_size=60),
    ),
    max_size=40,
)


def only_documented_errors(read, *args):
    """The reader's result, or None when it refused with `UnreadableScript` (the one allowed error)."""
    try:
        return read(*args)
    except UnreadableScript as exc:
        assert str(exc).strip()
        return None


# --- bytes → text ---------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_never_raises(data):
    assert isinstance(decode(data), str)


@FUZZ
@given(st.text(max_size=200).filter(lambda text: not text.startswith("\ufeff")))
def test_decode_round_trips_utf8_and_utf16(text):
    assert decode(text.encode("utf-8")) == text
    assert decode(text.encode("utf-16")) == text


@FUZZ
@given(st.builds("\n".join, screenplay_lines))
def test_clean_text_removes_carriage_returns_and_tabs_and_keeps_plain_lines(text):
    text = text.replace("\r", "")  # a stray CR inside a line is itself a line break (old Mac files)
    messy = text.replace("\n", "\r\n")
    cleaned, detected = clean_text(messy)
    assert "\r" not in cleaned and "\t" not in cleaned
    if detected == "text":  # HTML stripping may merge lines; plain text must keep every line in place
        assert cleaned.count("\n") == text.count("\n")


# --- readers --------------------------------------------------------------------------------------------


@FUZZ
@given(st.builds("\n".join, screenplay_lines))
def test_read_text_refuses_or_parses_deterministically(text):
    first = only_documented_errors(read_text, text)
    second = only_documented_errors(read_text, text)
    assert first == second
    if first is not None:
        numbers = [scene.number for scene in first.scenes]
        assert numbers == list(range(1, len(numbers) + 1))
        assert [e for scene in first.scenes for e in scene.elements] == first.elements


@FUZZ
@given(st.builds("\n".join, screenplay_lines), st.sampled_from(["x.fountain", "x.txt", "x", "x.html"]))
def test_read_document_on_script_like_text_only_raises_unreadable_script(text, name):
    for data in (text.encode("utf-8"), text.encode("cp1252", errors="replace"), text.encode("utf-16")):
        only_documented_errors(read_document, name, data)


PARAGRAPH_TYPES = ["Scene Heading", "Action", "Character", "Dialogue", "Parenthetical", "Transition", "Shot", "Odd"]


def fdx(paragraphs: list[tuple[str, str]]) -> bytes:
    body = "".join(f'<Paragraph Type="{kind}"><Text>{html.escape(text)}</Text></Paragraph>' for kind, text in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8"?><FinalDraft><Content>{body}</Content></FinalDraft>'.encode()


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PARAGRAPH_TYPES), xml_text), max_size=30))
def test_fdx_keeps_every_non_empty_paragraph_in_order(paragraphs):
    screenplay = only_documented_errors(read_document, "x.fdx", fdx(paragraphs))
    expected = [" ".join(text.split()) for _, text in paragraphs if text.split()]
    if screenplay is None:
        assert expected == []
    else:
        assert [element.text for element in screenplay.elements] == expected


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["x.fdx", "x.pdf", "x.xml"]))
def test_corrupted_structured_files_only_raise_unreadable_script(tail, name):
    head = b"%PDF-1.4\n" if name == "x.pdf" else b"<?xml version='1.0'?><FinalDraft><Content>"
    only_documented_errors(read_document, name, head + tail)


# --- request parsers ------------------------------------------------------------------------------------


def only_client_errors(parse, *args):
    try:
        return parse(*args)
    except HTTPException as exc:
        assert 400 <= exc.status_code < 500 and isinstance(exc.detail, str) and exc.detail
        return None


json_values = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=10)


@FUZZ
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda text, budget: f'{{"text": "{text}", "budget_usd": {budget}}}'.encode(),
                           st.text(max_size=30), st.sampled_from(["1", "-1", "1e999", "NaN", "null", "true", '"5"'])),
                 st.dictionaries(st.sampled_from(["text", "budget_usd", "other"]), json_values).map(
                     lambda d: json.dumps(d).encode())))
def test_json_parser_accepts_or_refuses_with_a_4xx(body):
    request = only_client_errors(parse_json_request, body)
    if request is not None:
        assert request.text.strip()
        assert request.budget_usd is None or (math.isfinite(request.budget_usd) and request.budget_usd > 0)


@FUZZ
@given(st.one_of(st.none(), st.text(max_size=30), st.floats().map(str), st.integers().map(str)))
def test_form_budget_is_positive_and_finite_or_refused(raw):
    budget = only_client_errors(parse_form_budget, raw)
    assert budget is None or (math.isfinite(budget) and budget > 0)


@FUZZ
@given(st.binary(max_size=500), st.sampled_from(["", "; boundary=zz", "; boundary=\"a b\"", "; boundary="]))
def test_multipart_parser_accepts_or_refuses_with_a_4xx(body, options):
    framed = b"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" + body
    for candidate in (body, framed):
        only_client_errors(parse_multipart, candidate, "multipart/form-data" + options)


# --- schemathesis against the real server -----------------------------------------------------------

OPERATIONS = [("/v1/predict", "POST"), ("/v1/explain", "POST"), ("/v1/coverage", "POST"), ("/healthz", "GET")]
ANSWERS = {"/v1/predict": Prediction, "/v1/explain": Explanation, "/v1/coverage": CoverageReport, "/healthz": Health}


# The loop is hand-written because schemathesis' pytest plugin (`from_fixture`) fails under pytest 9.
@pytest.mark.parametrize(
    "path, method, mode",
    [(path, method, mode) for path, method in OPERATIONS for mode in GenerationMode
     if path.startswith("/v1") or mode == GenerationMode.POSITIVE],  # /healthz has no input to get wrong
    ids=lambda value: value.value if isinstance(value, GenerationMode) else value,
)
def test_no_generated_request_gets_a_server_error(server, path, method, mode):
    operation = schemathesis.openapi.from_url(f"{server}/openapi.json")[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def no_server_error(case):
        response = case.call(base_url=server, timeout=60)
        assert response.status_code < 500, f"{method} {path}: {response.status_code} {response.text[:300]}"
        if response.status_code >= 400:
            assert isinstance(response.json()["detail"], str)
        else:
            ANSWERS[path].model_validate(response.json())

    no_server_error()
