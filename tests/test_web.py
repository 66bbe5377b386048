"""The web page in headless Chromium against the real server and model: upload, report, downloads, errors.

The page must show what the API answers for the same script (checked against /v1/coverage), not
particular numbers. A failing test leaves a full-page screenshot in test-artifacts/ (see `page`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from fixtures_model import feature_length_text
from reelcast import webpage
from reelcast.read import read_text
from reelcast.screenplay import light_of

pytestmark = pytest.mark.browser

REPORT_SECTIONS = ["header", "numbers", "forecast", "drivers", "comparables", "findings", "outline", "structure",
                   "characters", "presence", "arc", "pacing", "content", "evidence"]
CHARTS = [".interval-chart", ".gauge", ".driver-bar", ".presence", ".arc-chart", ".pacing"]


@pytest.fixture(scope="module")
def feature_text() -> str:
    """A made-up feature-length script, with content and scenes for every section to show, and a
    credit for adapted material on its title page."""
    credit = f"{' ' * 28}Based on the novel by\n\n{' ' * 33}Ada Quill\n\n{' ' * 10}FADE IN:"
    return feature_length_text("Harbor Lights", seed=11).replace(f"{' ' * 10}FADE IN:", credit, 1)


@pytest.fixture
def feature_file(tmp_path, feature_text):
    path = tmp_path / "harbor-lights.txt"
    path.write_text(feature_text)
    return path


def money(dollars: float) -> str:
    """The page's way of writing dollars from $1M up: one decimal below $100M (and $10B), none above."""
    if dollars >= 1e9:
        return f"${dollars / 1e9:.{0 if dollars >= 1e10 else 1}f}B"
    return f"${dollars / 1e6:.{0 if dollars >= 1e8 else 1}f}M"


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


def test_uploaded_script_becomes_a_full_report(page, server, feature_file):
    seen = open_page(page, server)
    analyze_upload(page, feature_file, budget="25M")
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)

    for name in REPORT_SECTIONS:
        assert page.locator(f"#sec-{name}").is_visible(), f"section {name} is missing"
    assert page.locator(".rtitle").inner_text() == read_text(feature_file.read_text()).title
    assert page.locator("#sec-forecast").inner_text().count("$") >= 3
    for chart in CHARTS:
        box = page.locator(f"#report svg{chart}").first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 10, f"{chart} did not render: {box}"
    assert page.locator("#intake").is_hidden()

    assert not [url for url in seen if not url.startswith((server, "data:", "blob:"))], seen


def test_report_shows_what_the_api_answers(page, server, feature_file, feature_text):
    report = httpx.post(f"{server}/v1/coverage", json={"text": feature_text, "budget_usd": 25e6}, timeout=60).json()
    open_page(page, server)
    analyze_upload(page, feature_file, budget="25,000,000")
    page.wait_for_selector("#report[data-ready=true]", timeout=60_000)

    assert page.locator(".verdict-value").inner_text().lower() == report["verdict"]
    assert page.locator(".source-material").inner_text() == report["source_material"] == "Based on the novel by Ada Quill"
    assert f"{round(report['prediction']['p_break_even'] * 100)}%" in page.locator(".gauge-number").text_content()
    assert money(report["prediction"]["worldwide_gross_usd"]["estimate"]) in page.locator(".big-value").inner_text()
    assert page.locator("#sec-drivers li.driver").count() == len(report["explanation"]["drivers"])
    assert page.locator("#sec-evidence li").count() == len(report["explanation"]["evidence"])
    places = page.locator("#sec-evidence .slug-line").all_inner_texts()
    assert places == [e["place"] for e in report["explanation"]["evidence"]] and all(places)
    speaking = report["stats"]["speaking_characters"]
    assert f"of {speaking} speaking characters" in page.locator("#sec-characters").inner_text()
    cited = page.locator("#sec-content .chip").all_inner_texts()
    assert cited == [f"Sc. {n}" for flag in report["content_flags"]["flags"] for n in flag["scenes"]]


def test_time_of_day_counts_scenes_by_their_light(page, server):
    open_page(page, server)
    times = ["DAY", "MORNING", "LATER THAT NIGHT", "TWO DAYS LATER", "EVENING", None, "DAY"]
    scenes = [{"number": n + 1, "heading": f"INT. ROOM - {t or ''}", "int_ext": "INT", "time_of_day": t,
               "light": light_of(t), "characters": [], "words": 50} for n, t in enumerate(times)]
    page.evaluate("report => window.reelcast.showReport(report)",
                  {"title": "Seven Scenes", "scenes": scenes, "stats": {}, "characters": []})
    rows = page.locator("#sec-structure svg.bar-list text.row-label").all_text_contents()
    values = page.locator("#sec-structure svg.bar-list text.value-label").all_text_contents()
    assert dict(zip(rows, values)) == {"day": "3 · 43%", "night": "2 · 29%", "continuous / later": "1 · 14%",
                                       "unmarked": "1 · 14%"}
    night_bars = page.locator("#sec-pacing svg rect.bar.night").count()
    assert night_bars == 2, "the pacing chart marks the same night scenes"


def test_a_driver_read_as_a_state_shows_no_percentile(page, server):
    """'credited' or 'tagged' has no rank among the corpus scripts (the API says `ranked: false`); 'high' does."""
    open_page(page, server)
    drivers = [{"feature": "source_credit", "label": "source material", "value": 1.0, "percentile": 90, "band": "credited",
                "ranked": False, "contribution": {"worldwide_gross_usd": 2e7, "p_break_even": -0.07}, "sentence": "Source material: credited."},
               {"feature": "text_log_budget", "label": "script vocabulary (budget signal)", "value": 17.4, "percentile": 80,
                "band": "high", "ranked": True, "contribution": {"worldwide_gross_usd": 3e7, "p_break_even": 0.03}, "sentence": "High."}]
    page.evaluate("report => window.reelcast.showReport(report)",
                  {"title": "Two Drivers", "scenes": [], "stats": {}, "characters": [], "explanation": {"drivers": drivers}})
    values = page.locator("#sec-drivers .driver-name .muted").all_inner_texts()
    assert values == ["credited", "high · 80th percentile of produced scripts"]


def test_act_bar_follows_the_scene_order_not_the_numbers(page, server):
    """Acts are drawn where their scenes sit, whatever numbers the scenes carry."""
    open_page(page, server)
    scenes = [{"number": n, "heading": f"INT. ROOM {n} - DAY", "int_ext": "INT", "time_of_day": "DAY",
               "characters": [], "words": 50} for n in range(10, 20)]
    acts = [{"act": 1, "start_scene": 10, "end_scene": 12}, {"act": 2, "start_scene": 13, "end_scene": 18},
            {"act": 3, "start_scene": 19, "end_scene": 19}]
    page.evaluate("report => window.reelcast.showReport(report)",
                  {"title": "Numbered Late", "scenes": scenes, "arc": {"acts": acts}, "stats": {}, "characters": []})
    chart = page.locator("svg.acts-bar").bounding_box()
    boxes = [rect.bounding_box() for rect in page.locator("svg.acts-bar rect").all()]
    chart_right, last_right = chart["x"] + chart["width"], boxes[2]["x"] + boxes[2]["width"]
    assert boxes[0]["x"] == pytest.approx(chart["x"], abs=3)
    assert last_right == pytest.approx(chart_right, abs=3)
    assert [box["width"] / chart["width"] for box in boxes] == pytest.approx([0.3, 0.6, 0.1], abs=0.01)
    labels = page.locator("svg.acts-bar text.axis-label")
    # one scene is no range, and a narrow act keeps the part of its label that fits
    assert labels.all_text_contents() == ["scenes 10–12 · 30%", "scenes 13–18 · 60%", "scene 19"]
    for box, label in zip(boxes, labels.all()):
        text = label.bounding_box()
        assert text["x"] + text["width"] <= box["x"] + box["width"], label.text_content()


def test_characters_are_shown_as_the_script_introduces_them(page, server):
    open_page(page, server)
    characters = [{"name": "NELL", "lines": 9, "words": 90, "scenes": 3, "first_scene": 1,
                   "introduction": {"scene": 1, "text": "NELL BRACKEN (40s), a trucker, takes the corner booth."}},
                  {"name": "JUDE", "lines": 4, "words": 20, "scenes": 1, "first_scene": 2, "introduction": None},
                  {"name": "MARA", "lines": 3, "words": 15, "scenes": 1, "first_scene": 2,
                   "introduction": {"scene": 2, "text": "ON MARA — a waitress of nineteen."}}]
    page.evaluate("report => window.reelcast.showReport(report)",
                  {"title": "Diner", "scenes": [], "stats": {}, "characters": characters})
    rows = page.locator("#sec-characters .introductions li")
    assert rows.count() == 2  # JUDE has none: left out, not shown empty
    assert rows.nth(0).locator(".scene-no").inner_text() == "Sc. 1"
    assert rows.nth(0).locator(".slug-line").inner_text() == "NELL"
    assert page.locator("#sec-characters .quote").all_inner_texts() == [
        "NELL BRACKEN (40s), a trucker, takes the corner booth.", "ON MARA — a waitress of nineteen."]


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


# --- the report saved by the command line ---------------------------------------------------------------

REELCAST = Path(sys.executable).with_name("reelcast")
HOSTILE_TITLE = "</script><script>document.title = 'pwned'</script>"


def run_coverage(home, script, *options) -> subprocess.CompletedProcess:
    return subprocess.run([str(REELCAST), "coverage", str(script), "--home", str(home), *options],
                          capture_output=True, text=True, timeout=120)


def open_saved(page, path: Path) -> tuple[list[str], list[str]]:
    """Open a saved report from disk; return the URLs it requested and its script errors."""
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector("#report[data-ready=true]", timeout=20_000)
    return requests, errors


def test_a_saved_report_opens_without_the_server_and_shows_what_the_json_says(page, trained_home, tmp_path, feature_file):
    as_json = run_coverage(trained_home, feature_file, "--budget", "25000000")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    saved = tmp_path / "report.html"
    as_html = run_coverage(trained_home, feature_file, "--budget", "25000000", "--format", "html", "--out", str(saved))
    assert as_html.returncode == 0 and as_html.stdout.strip() == f"wrote {saved}", as_html.stderr

    requests, errors = open_saved(page, saved)
    assert requests == [saved.as_uri()] and errors == []  # nothing fetched, nothing broken
    for name in REPORT_SECTIONS:
        assert page.locator(f"#sec-{name}").is_visible(), f"section {name} is missing"
    assert page.locator(".rtitle").inner_text() == report["title"]
    assert page.locator(".verdict-value").inner_text().lower() == report["verdict"]
    assert f"{round(report['prediction']['p_break_even'] * 100)}%" in page.locator(".gauge-number").text_content()
    assert page.locator("#sec-drivers li.driver").count() == len(report["explanation"]["drivers"])


def test_text_in_a_saved_report_cannot_end_its_script(page, tmp_path):
    """Whatever a report quotes is data: '</script>' in it must not close the page's script and run."""
    saved = tmp_path / "hostile.html"
    saved.write_text(webpage.standalone_report({"title": HOSTILE_TITLE, "scenes": [], "stats": {}, "characters": []}))
    requests, errors = open_saved(page, saved)
    assert errors == []
    assert page.locator(".rtitle").inner_text() == HOSTILE_TITLE
    assert page.title() == f"{HOSTILE_TITLE} · coverage · reelcast"


def test_the_coverage_command_says_what_is_wrong(trained_home, tmp_path):
    missing = run_coverage(trained_home, tmp_path / "nothing.txt", "--format", "html")
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    script = tmp_path / "short.txt"
    script.write_text("INT. ROOM - DAY\n\nA door.\n")
    wrong = run_coverage(trained_home, script, "--format", "pdf")
    assert wrong.returncode == 2 and "'pdf' is not one of" in wrong.stderr and "'html'" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_the_coverage_command_prints_the_report_as_text_for_a_terminal(trained_home, tmp_path, feature_file):
    report = json.loads(run_coverage(trained_home, feature_file).stdout)
    as_text = run_coverage(trained_home, feature_file, "--format", "text")
    assert as_text.returncode == 0, as_text.stderr
    text = " ".join(as_text.stdout.split())  # the text is wrapped at 100 columns
    assert text.startswith(report["title"].upper())
    assert f"Verdict: {report['verdict'].upper()}: {' '.join(report['verdict_reason'].split())}" in text
    assert f"Break-even chance {report['prediction']['p_break_even']:.0%}" in text
    lead = report["characters"][0]
    assert f"{lead['name']}: {lead['lines']} lines in {lead['scenes']} scenes" in text
    for heading in ("FORECAST", "THE NUMBERS", "CHARACTERS", "OUTLINE", "CONTENT"):
        assert heading in as_text.stdout.splitlines()
    for beat in report["outline"]["beats"]:
        assert f"{beat['beat']}, scene {beat['scene']}" in text
    folder = tmp_path / "reports"
    folder.mkdir()
    saved = run_coverage(trained_home, feature_file, "--format", "text", "--out", str(folder))
    assert saved.returncode == 0 and (folder / f"{feature_file.stem}-coverage.txt").read_text() == as_text.stdout


def test_a_reading_stack_gets_one_report_each_and_a_broken_file_stops_nothing(trained_home, tmp_path, feature_text):
    stack = tmp_path / "stack"
    stack.mkdir()
    (stack / "harbor-lights.txt").write_text(feature_text)
    (stack / "tide-table.txt").write_text(feature_text.replace("HARBOR LIGHTS", "TIDE TABLE", 1))
    (stack / "scan.pdf").write_bytes(b"%PDF-1.4 torn in half")
    reports = tmp_path / "reports"
    run = run_coverage(trained_home, *sorted(stack.iterdir()), "--out", str(reports))
    assert run.returncode == 1  # one script failed; the others were written
    assert sorted(p.name for p in reports.iterdir()) == ["harbor-lights-coverage.json", "tide-table-coverage.json"]
    tide = (stack / "tide-table.txt").read_text()
    assert json.loads((reports / "tide-table-coverage.json").read_text())["title"] == read_text(tide).title != "Untitled"
    assert "scan.pdf: this PDF cannot be read" in run.stderr
    assert "Traceback" not in run.stderr and "EOF marker" not in run.stderr  # the reader's words, not pypdf's log
    several = run_coverage(trained_home, stack / "harbor-lights.txt", stack / "tide-table.txt")
    assert several.returncode == 2 and "--out FOLDER" in several.stderr
