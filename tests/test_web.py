"""The web page in headless Chromium against the real server: upload, report, downloads, errors.

A failing test leaves a full-page screenshot in test-artifacts/ (see the `page` fixture).
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

REPORT_SECTIONS = ["header", "numbers", "forecast", "drivers", "comparables", "findings", "structure",
                   "characters", "presence", "arc", "pacing", "content", "evidence"]
CHARTS = [".interval-chart", ".gauge", ".driver-bar", ".presence", ".arc-chart", ".pacing"]


def open_page(page, server: str) -> list[str]:
    """Open the page; return the list that collects every URL it requests and every script error."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    page.goto(server)
    return seen


def analyze_upload(page, path, budget: str = "") -> None:
    page.set_input_files("#file-input", str(path))
    if budget:
        page.fill("#budget", budget)
    page.click("#analyze")


def test_uploaded_script_becomes_a_full_report(page, server, script_file):
    seen = open_page(page, server)
    analyze_upload(page, script_file, budget="25M")
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)

    for name in REPORT_SECTIONS:
        assert page.locator(f"#sec-{name}").is_visible(), f"section {name} is missing"
    assert page.locator(".rtitle").inner_text() == "Tide Table"
    assert page.locator("#sec-forecast").inner_text().count("$") >= 3
    for chart in CHARTS:
        box = page.locator(f"#report svg{chart}").first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 10, f"{chart} did not render: {box}"
    assert page.locator("#intake").is_hidden()

    assert not [url for url in seen if not url.startswith((server, "data:", "blob:"))], seen


def test_report_fits_a_laptop_screen(page, server, script_file):
    open_page(page, server)
    analyze_upload(page, script_file)
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_downloads_are_the_report(page, server, script_file, tmp_path):
    open_page(page, server)
    analyze_upload(page, script_file)
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)

    with page.expect_download() as download:
        page.click("#download-json")
    report = json.loads(download.value.path().read_text())
    assert report["title"] == "Tide Table" and report["verdict"] in {"pass", "consider", "recommend"}

    with page.expect_download() as download:
        page.click("#download-html")
    html = download.value.path().read_text()
    assert "<style>" in html and "/static/" not in html, "the HTML copy must not need the server"
    assert "Tide Table" in html and "<svg" in html


def test_print_view_hides_the_controls(page, server, script_file):
    open_page(page, server)
    analyze_upload(page, script_file)
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)
    page.emulate_media(media="print")
    assert page.locator("#report-toolbar").is_hidden()
    assert page.locator("#sec-presence svg").is_visible()


def test_server_refusal_is_shown_in_words(page, server, tmp_path):
    poster = tmp_path / "poster.txt"
    poster.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    open_page(page, server)
    analyze_upload(page, poster)
    page.wait_for_selector("#error:not([hidden])", timeout=60_000)
    assert "binary" in page.locator("#error").inner_text().lower()
    assert page.locator("#report").is_hidden()


def test_pasted_text_and_form_checks(page, server, script_text):
    open_page(page, server)
    page.click("#tab-text")
    page.click("#analyze")
    assert "paste the screenplay" in page.locator("#error").inner_text().lower()

    page.fill("#script-text", script_text)
    page.fill("#budget", "a lot")
    page.click("#analyze")
    assert "budget" in page.locator("#error").inner_text().lower()

    page.fill("#budget", "")
    page.click("#analyze")
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)
    assert page.locator("#sec-characters table tbody tr").count() > 0
