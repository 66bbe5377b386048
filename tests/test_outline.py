"""The story outline and premise line: the real parser on made-up scripts, the report over real HTTP,
and the page in headless Chromium."""

from __future__ import annotations

import httpx
import pytest

from reelcast import outline
from reelcast.read import read_text
from reelcast.schemas import CoverageReport
from reelcast.service import Service

INDENT, CUE, SPEECH = " " * 10, " " * 30, " " * 20

# (heading, action paragraphs, (speaker, line) pairs): twelve scenes of about equal length
SCENES = [
    ("EXT. HARBOR - NIGHT", ["Fog rolls over the moorings.", "NELL BRACKEN (40s) hauls a crate onto the dock."],
     [("NELL", "Who left this here?")]),
    ("INT. DINER - DAY", ["Steam on the windows.", "OWEN slides a key across the counter to Nell."],
     [("OWEN", "It opens the old boathouse.")]),
    ("EXT. BOATHOUSE - DAY", ["The door hangs off one hinge.", "Nell and Owen step inside, torches raised."],
     [("NELL", "Someone has been living here.")]),
    ("INT. BOATHOUSE - NIGHT", ["A radio crackles.", "MARA watches Nell from the rafters."], [("MARA", "You should go.")]),
    ("EXT. PIER - DAY", ["Gulls.", "Owen argues with the harbor master by the fuel pumps."], [("OWEN", "She won't stop.")]),
    ("INT. NELL'S TRUCK - NIGHT", ["Rain on the roof.", "Nell reads the logbook Mara dropped."],
     [("NELL", "These dates are wrong.")]),
    ("EXT. LIGHTHOUSE - DAY", ["Wind.", "Mara and Nell climb the rusted stair together."], [("MARA", "My father kept it.")]),
    ("INT. POLICE STATION - DAY", ["Phones ring.", "Owen lays the logbook on the sergeant's desk."],
     [("OWEN", "Read it. All of it.")]),
    ("EXT. HARBOR - NIGHT", ["Sirens far off.", "Nell cuts the trawler loose while Mara keeps watch."],
     [("MARA", "They're coming.")]),
    ("EXT. OPEN SEA - NIGHT", ["Black water.", "Nell, Owen and Mara cling to the wheelhouse as the trawler rolls."],
     [("NELL", "Hold on!")]),
    ("EXT. BEACH - DAWN", ["Owen walks the wreckage on the sand.", "Owen pulls Nell and Mara from the surf."], [("OWEN", "Breathe. Just breathe.")]),
    ("INT. DINER - DAY", ["Sunlight.", "Nell, Owen and Mara share one plate of eggs."], [("NELL", "Same time tomorrow.")]),
]


def script(scenes=SCENES, front_matter: bool = True) -> str:
    lines = [f"{' ' * 30}LOW TIDE", "", f"{' ' * 33}Written by", "", f"{' ' * 33}Sam Penrose", ""] if front_matter else []
    lines += [f"{INDENT}FADE IN:", ""]
    for heading, actions, speeches in scenes:
        lines += [f"{INDENT}{heading}", ""]
        for action in actions:
            lines += [f"{INDENT}{action}", ""]
        for speaker, line in speeches:
            lines += [f"{CUE}{speaker}", f"{SPEECH}{line}", ""]
    return "\n".join(lines + [f"{' ' * 50}FADE OUT.", ""])


def beats_of(text: str, acts: dict[int, int] | None = None, cast=("NELL", "OWEN", "MARA")) -> list[outline.Beat]:
    sp = read_text(text)
    scenes = [s for s in sp.scenes if s.elements]
    pages = [1.0 if s.heading else 0.2 for s in scenes]  # a page a scene; the title page before them is short
    return outline.outline(scenes, pages, acts or {}, list(cast))


def test_beats_run_from_the_first_story_scene_to_the_last_one_scene_each():
    beats = beats_of(script(), acts={2: 4, 3: 10})
    names = [b.beat for b in beats]
    assert names == ["Opening", "Inciting incident", "End of act one", "Midpoint", "End of act two", "Climax", "Final scene"]
    numbers = [b.scene.number for b in beats]
    assert numbers == sorted(set(numbers))
    headings = [b.scene.heading for b in beats]
    assert headings[0] == "EXT. HARBOR - NIGHT"  # not the title page before the first heading
    assert headings[-1] == "INT. DINER - DAY" and beats[-1].text == "Nell, Owen and Mara share one plate of eggs."
    # the act breaks are the act estimate's scenes, whatever share of the pages they sit at
    assert beats[2].scene.number == 4 and beats[4].scene.number == 10


def test_a_beat_quotes_the_sentence_that_names_the_most_of_the_cast():
    beats = {b.beat: b for b in beats_of(script(), acts={2: 4, 3: 10})}
    assert beats["Opening"].text == "NELL BRACKEN (40s) hauls a crate onto the dock."  # not 'Fog rolls …'
    assert beats["Climax"].text == "Owen pulls Nell and Mara from the surf."  # three of the cast, not one


def test_prose_is_quoted_before_a_shot_line_in_capitals_and_dialogue_when_there_is_no_action():
    scenes = list(SCENES)
    scenes[0] = ("EXT. HARBOR - NIGHT", ["12    ON NELL AND OWEN    12", "The two of them stand in the fog."], [])
    scenes[-1] = ("INT. DINER - DAY", [], [("NELL", "Same   time tomorrow.")])
    beats = beats_of(script(scenes))
    assert beats[0].text == "The two of them stand in the fog."
    assert beats[-1].text == "NELL: “Same time tomorrow.”"


def test_marks_are_not_quoted_and_a_scene_of_marks_holds_no_beat():
    scenes = list(SCENES)
    scenes[0] = ("EXT. HARBOR - NIGHT", ["10      10", "GROUND :", "Fog rolls over the moorings."], [])
    scenes.append(("EXT. HARBOR - DAWN", ["THE END"], []))
    beats = beats_of(script(scenes))
    assert beats[0].text == "Fog rolls over the moorings."
    assert beats[-1].beat == "Final scene" and beats[-1].scene.heading == "INT. DINER - DAY"  # not 'THE END'
    all_capitals = [(heading, [a.upper() for a in actions], speeches) for heading, actions, speeches in SCENES]
    assert beats_of(script(all_capitals))[0].text == "NELL BRACKEN (40S) HAULS A CRATE ONTO THE DOCK."


def test_a_short_script_keeps_its_ends_and_a_fragment_has_no_outline():
    beats = beats_of(script(SCENES[:4]), acts={2: 3, 3: 4})
    assert [b.beat for b in beats][0] == "Opening" and beats[-1].beat == "Final scene"
    assert len(beats) == 4 and len({b.scene.number for b in beats}) == 4
    assert beats_of(script(SCENES[:2])) == []


def test_the_premise_line_names_genre_leads_and_places():
    line = outline.logline(["Action", "Thriller (from the text)"], ["NELL", "OWEN", "MARA", "JUDE"],
                           ["HARBOR", "NELL'S TRUCK", "DINER", "PIER"])
    assert line == "An action/thriller story centred on NELL, with OWEN and MARA; its main locations: Harbor, Nell's Truck, Diner."
    assert outline.logline(["Drama"], ["NELL"], ["CAB, ALLEY", "PIER"]) == "A drama story centred on NELL; its main locations: Pier."
    assert outline.logline([], ["NELL"], []) == "A story centred on NELL."
    assert outline.logline(["Drama"], [], ["HARBOR"]) is None


def test_the_premise_line_keeps_the_scripts_abbreviations_in_capitals():
    scenes = [("INT. FBI FIELD OFFICE - DAY", ["Two FBI agents flank NELL.", "The FBI lawyer waits. OWEN sighs."],
               [("NELL", "Tell the FBI I said no.")]),
              ("EXT. PIER - NIGHT", ["The SEDAN burns. Nell watches.", "Owen, soaked, joins her."],
               [("OWEN", "Nell. NELL!")])]
    found = outline.abbreviations(read_text(script(scenes, front_matter=False)).scenes, ["NELL", "OWEN"])
    assert found == {"FBI"}  # not the name written in capitals, nor a word stressed once
    line = outline.logline(["Crime"], ["NELL", "OWEN"], ["FBI FIELD OFFICE", "PIER"], found)
    assert line.endswith("its main locations: FBI Field Office, Pier.")


@pytest.fixture(scope="module")
def report(server) -> dict:
    response = httpx.post(f"{server}/v1/coverage", json={"text": script()}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_coverage_report_carries_the_outline_and_premise(report):
    CoverageReport.model_validate(report)
    beats = report["outline"]["beats"]
    scenes = {s["number"]: s for s in report["scenes"]}
    assert len(beats) == 7 and report["outline"]["method"] == outline.METHOD
    for beat in beats:
        scene = scenes[beat["scene"]]
        assert beat["heading"] == scene["heading"] and beat["page"] == scene["page"]
        assert beat["characters"] == scene["characters"]
    act_breaks = [a["scene"] for a in report["structure"]["act_breaks"]]
    assert [b["scene"] for b in beats if b["beat"].startswith("End of act")] == act_breaks
    assert report["logline"].startswith("A") and "centred on NELL, with" in report["logline"]
    assert report["logline_method"] == outline.LOGLINE_METHOD


def test_the_page_shows_the_outline_as_quotations_with_their_scenes(page, server, report):
    page.goto(server)
    page.evaluate("report => window.reelcast.showReport(report)", report)
    rows = page.locator("#sec-outline li")
    beats = report["outline"]["beats"]
    assert rows.count() == len(beats)
    assert rows.nth(0).locator(".scene-no").inner_text() == f"Sc. {beats[0]['scene']}"
    assert rows.nth(0).locator(".slug-line").text_content().startswith(f"Opening · p. {round(beats[0]['page'])} · ")
    assert page.locator("#sec-outline .quote").all_inner_texts() == [b["text"] for b in beats]
    assert page.locator(".logline").inner_text() == report["logline"]
    page.evaluate("report => window.reelcast.showReport(report)", {**report, "outline": {"beats": [], "method": ""}})
    assert page.locator("#sec-outline").count() == 0
