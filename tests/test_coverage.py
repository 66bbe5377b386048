"""Coverage report: contract shape, every citation real, verdict calibrated on the corpus forecasts.

The service is the real one, loaded from a tiny home that `fixtures_model.make_trained_home`
builds from made-up data. The scripts below are generated here from a few words; none come
from the real corpus.
"""

from __future__ import annotations

import json
import random
import re
from types import SimpleNamespace

import numpy as np
import pytest

from fixtures_model import screenplay_text
from reelcast import coverage, outline
from reelcast.coverage_text import render_text
from reelcast.features import GENRE_TAGS
from reelcast.model import GENRE_SOURCES
from reelcast.read import read_text
from reelcast.schemas import CoverageReport
from reelcast.screenplay import Screenplay, light_of, parse
from reelcast.service import Service

CONTRACT_FIELDS = {
    "title": str, "writers": list, "genres": list, "stats": dict, "characters": list, "scenes": list,
    "arc": dict, "content_flags": dict, "prediction": dict, "explanation": dict, "strengths": list,
    "risks": list, "verdict": str,
}
WORDS = ("the door opens and she looks across the yard then turns toward the truck where the dog waits "
         "near an old fence under grey sky").split()
LOUD_WORDS = "explosion helicopter crash gun blood kill soldiers rocket".split()
NAMES = ["NELL", "OWEN", "MARA", "JUDE", "TOMAS", "ILSE", "RAFE", "CORA", "DEX", "PIA", "HUGO", "LENA",
         "ABEL", "BRIN", "CASS", "DARO", "EMMET", "FENN", "GIA", "HAL", "IVO", "JUNO", "KIT", "LARK",
         "MILO", "NAVA", "ORIN", "PELL", "QUIN", "RUSK"]


def script_text(seed: int, scenes: int, cast: int, night: float, loud: float = 0.0, swearing: int = 0,
                lead_bias: float = 0.0, speeches: tuple[int, int] = (3, 6)) -> str:
    """A made-up screenplay in the indented layout: `scenes` scenes, `cast` speakers, a share of night
    scenes, a share of loud (spectacle and violence) words, `swearing` f-words, a lead who takes
    `lead_bias` of the lines."""
    rng = random.Random(seed)
    people = NAMES[:cast]
    places = ["FARMHOUSE", "BARN", "ROAD", "DINER", "RIVERBANK", "MOTEL", "CHURCH", "GAS STATION", "RIDGE"]
    lines = [f"{' ' * 30}HARVEST MOON {seed}", "", f"{' ' * 35}Written by", "", f"{' ' * 33}Test Writer", "",
             f"{' ' * 10}FADE IN:", ""]
    swears = set(rng.sample(range(scenes * 6), min(swearing, scenes * 6)))
    speech_index = 0
    for number in range(scenes):
        time = "NIGHT" if rng.random() < night else "DAY"
        lines += [f"{' ' * 10}{rng.choice(['INT.', 'EXT.'])} {rng.choice(places)} - {time}", ""]
        lines += [f"{' ' * 10}{sentence(rng, 16, loud)}", ""]
        for _ in range(rng.randint(*speeches)):
            speaker = people[0] if rng.random() < lead_bias else rng.choice(people)
            text = sentence(rng, 10, loud)
            if speech_index in swears:
                text = "Fuck. " + text
            speech_index += 1
            lines += [f"{' ' * 30}{speaker}", f"{' ' * 20}{text}", ""]
    lines += [f"{' ' * 50}FADE OUT.", ""]
    return "\n".join(lines)


def sentence(rng: random.Random, length: int, loud: float) -> str:
    words = [rng.choice(LOUD_WORDS) if rng.random() < loud else rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


SCRIPTS = {
    "quiet two-hander": dict(seed=1, scenes=45, cast=2, night=0.1, lead_bias=0.5, speeches=(6, 9)),
    "night action": dict(seed=2, scenes=110, cast=28, night=0.9, loud=0.25, swearing=12),
    "ensemble": dict(seed=3, scenes=70, cast=18, night=0.4, loud=0.03, swearing=2),
    "sprawling": dict(seed=4, scenes=160, cast=30, night=0.5, loud=0.1, swearing=40),
    "fragment": dict(seed=5, scenes=3, cast=2, night=0.0),
}


@pytest.fixture(scope="session")
def service(trained_home) -> Service:
    return Service.load(trained_home)


@pytest.fixture(scope="session")
def parsed() -> dict[str, Screenplay]:
    return {name: parse(script_text(**spec)) for name, spec in SCRIPTS.items()}


@pytest.fixture(scope="session")
def reports(service, parsed) -> dict[str, dict]:
    return {name: service.coverage(sp) for name, sp in parsed.items()}


# ----------------------------------------------------------------------------- shape


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_report_has_the_contract_fields_with_their_types(reports, name):
    report = reports[name]
    for field, kind in CONTRACT_FIELDS.items():
        assert isinstance(report[field], kind), field
    assert {"pages", "scenes", "words", "runtime_min"} <= set(report["stats"])
    assert all({"name", "lines", "words", "scenes", "first_scene"} <= set(c) for c in report["characters"])
    assert all({"number", "heading", "int_ext", "time_of_day", "characters"} <= set(s) for s in report["scenes"])
    assert {"prediction", "drivers", "comparables", "evidence", "summary"} <= set(report["explanation"])
    assert report["verdict"] in coverage.VERDICTS
    assert report["verdict_reason"]


def test_report_is_plain_json_that_the_api_schema_accepts(reports):
    for report in reports.values():
        assert json.loads(json.dumps(report, allow_nan=False)) == report
        CoverageReport.model_validate(report)


def test_stats_agree_with_the_listed_scenes_and_characters(reports, parsed):
    report = reports["ensemble"]
    assert report["stats"]["scenes"] == len(report["scenes"])
    assert report["stats"]["speaking_characters"] == len({c["name"] for c in report["characters"]})
    assert [s["number"] for s in report["scenes"]] == [s.number for s in parsed["ensemble"].scenes if s.elements]
    assert sum(s["words"] for s in report["scenes"]) == report["stats"]["words"]


def test_each_listed_scene_carries_its_light_and_the_night_share_counts_them(reports):
    """The page draws time of day from `light`; the report's night share must be the same count."""
    report = reports["ensemble"]
    lights = [s["light"] for s in report["scenes"]]
    assert "night" in lights and "day" in lights
    assert all(s["light"] == light_of(s["time_of_day"]) for s in report["scenes"])
    story = [s["light"] for s in report["scenes"] if s["heading"]]  # the text before the first heading is no scene
    assert report["structure"]["night_share"] == pytest.approx(story.count("night") / len(story), abs=0.001)


def test_presence_matrix_marks_the_scenes_each_character_speaks_in(reports):
    report = reports["ensemble"]
    presence = report["presence"]
    by_number = {s["number"]: set(s["characters"]) for s in report["scenes"]}
    assert presence["characters"] == [c["name"] for c in report["characters"][:coverage.PRESENCE_CHARACTERS]]
    for name, row in zip(presence["characters"], presence["matrix"]):
        marked = [n for n, mark in zip(presence["scenes"], row) if mark]
        assert marked == [n for n in presence["scenes"] if name in by_number[n]]


# ----------------------------------------------------------------------------- every citation is real


def _findings(report: dict) -> list[dict]:
    return report["strengths"] + report["risks"]


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_every_cited_scene_exists_with_its_heading(reports, parsed, name):
    headings = {s.number: s.heading for s in parsed[name].scenes}
    report = reports[name]
    cited = [e for f in _findings(report) for e in f["evidence"]] + report["explanation"]["evidence"]
    cited += [c for flag in report["content_flags"]["flags"] for c in flag["citations"]]
    listed = {s["number"] for s in report["scenes"]}
    for item in cited:
        assert headings[item["scene"]] == item["heading"] and item["scene"] in listed
    for finding in _findings(report):
        assert finding["scenes"] == [e["scene"] for e in finding["evidence"]]
        assert finding["basis"] in ("parse", "corpus", "model")
    assert all(p["scene"] in headings for p in report["arc"]["points"])


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_every_capitalised_name_in_a_finding_is_in_the_script(reports, parsed, name):
    """Names in findings (characters, places) are upper case: each word must come from the parse."""
    sp = parsed[name]
    known = {word for s in sp.scenes for word in re.findall(r"[A-Z][A-Z']+", s.heading)}
    known |= {word for e in sp.elements if e.character for word in e.character.split()}
    known |= {"PG"}  # the rating estimate
    for finding in _findings(reports[name]):
        assert set(re.findall(r"\b[A-Z][A-Z']+\b", finding["text"])) <= known, finding["text"]


def test_a_lead_named_in_a_finding_really_has_that_share_of_lines(reports):
    report = reports["quiet two-hander"]
    lead = report["characters"][0]
    total = sum(c["lines"] for c in report["characters"])
    texts = [f["text"] for f in _findings(report) if lead["name"] in f["text"]]
    assert texts, "a two-hander with a 50% lead bias should name its lead"
    assert f"({lead['lines']} of {total})" in texts[0]


def test_swearing_is_counted_and_cited(reports, parsed):
    written = script_text(**SCRIPTS["sprawling"]).count("Fuck.")
    report = reports["sprawling"]
    flag = next(f for f in report["content_flags"]["flags"] if f["category"] == "profanity_severe")
    assert written >= 5 and flag["count"] == written
    assert report["content_flags"]["mpaa_estimate"] == "R"
    risk = next(r for r in report["risks"] if "f-word" in r["text"])
    assert f"{written} uses" in risk["text"] and risk["scenes"]


# ----------------------------------------------------------------------------- verdict


def test_varied_scripts_are_not_all_recommended(reports):
    verdicts = [r["verdict"] for r in reports.values()]
    assert set(verdicts) <= set(coverage.VERDICTS)
    assert verdicts.count("recommend") < len(verdicts)


def test_a_fragment_is_flagged_severe_and_never_recommended(reports):
    report = reports["fragment"]
    assert any(r["severe"] and "fragment" in r["text"] for r in report["risks"])
    assert report["verdict"] != "recommend"


@pytest.mark.parametrize("reference", [(source, mode) for source in GENRE_SOURCES for mode in ("script", "given")])
def test_verdict_bands_are_corpus_quantiles(service, reference):
    corpus = coverage.corpus_for(service)
    bands = corpus.thresholds(reference)
    p = corpus.forecasts[reference]["p_break_even"]
    assert len(p) == corpus.size
    assert np.mean(p < bands["pass_below"]) == pytest.approx(coverage.PASS_BELOW_QUANTILE, abs=0.05)
    assert np.mean(p >= bands["recommend_from"]) == pytest.approx(1 - coverage.RECOMMEND_FROM_QUANTILE, abs=0.05)
    assert coverage.corpus_for(service) is corpus  # computed once per service


def test_a_script_without_the_footer_is_ranked_among_the_corpus_as_its_heads_see_it(service, reports):
    corpus = coverage.corpus_for(service)
    # the two views of the corpus go through different heads: their forecasts differ
    assert not np.allclose(corpus.forecasts["footer", "script"]["p_break_even"],
                           corpus.forecasts["words", "script"]["p_break_even"])
    tagged = service.coverage(read_text(screenplay_text("Lantern Orbit", 2004, "Sci-Fi", seed=11)))
    for report in [*reports.values(), tagged]:
        basis = report["verdict_basis"]
        source = {"tags": "footer", "text": "words"}[basis["genre_source"]]
        assert basis["genre_source"] == report["genre_source"]
        bands = corpus.thresholds((source, basis["budget_mode"]))
        assert basis["pass_below"] == bands["pass_below"] and basis["recommend_from"] == bands["recommend_from"]
    assert tagged["verdict_basis"]["genre_source"] == "tags"
    assert {r["verdict_basis"]["genre_source"] for r in reports.values()} == {"text"}


def _facts(service, p: float, gross: float) -> SimpleNamespace:
    prediction = {"p_break_even": p, "worldwide_gross_usd": {"estimate": gross}}
    return SimpleNamespace(corpus=coverage.corpus_for(service), mode="script", source="footer",
                           reference=("footer", "script"), prediction=prediction)


def test_verdict_follows_the_bands_and_severe_risks_hold_it_back(service):
    bands = coverage.corpus_for(service).thresholds(("footer", "script"))
    high_gross = 10 * bands["median_gross_usd"]
    severe = coverage.Finding("risk", "a fragment", "parse", severe=True)
    assert coverage.verdict_of(_facts(service, bands["pass_below"] - 0.01, high_gross), [])[0] == "pass"
    middle = (bands["pass_below"] + bands["recommend_from"]) / 2
    assert coverage.verdict_of(_facts(service, middle, high_gross), [])[0] == "consider"
    top = bands["recommend_from"] + 0.001
    assert coverage.verdict_of(_facts(service, top, high_gross), [])[0] == "recommend"
    verdict, reason, _ = coverage.verdict_of(_facts(service, top, high_gross), [severe])
    assert verdict == "consider" and "a fragment" in reason
    assert coverage.verdict_of(_facts(service, top, bands["median_gross_usd"] / 10), [])[0] == "consider"


def test_a_planned_budget_uses_the_bands_of_forecasts_with_budgets(service, parsed):
    report = service.coverage(parsed["ensemble"], budget_usd=20e6)
    assert report["verdict_basis"]["budget_mode"] == "given"
    assert report["prediction"]["budget_source"] == "planned"


# ----------------------------------------------------------------------------- structure estimates


def test_acts_cover_every_scene_and_break_near_a_quarter_and_three_quarters(parsed):
    table = coverage.SceneTable.of(parsed["night action"])
    acts = coverage.act_estimate(table)
    numbers = [s.number for s in table.scenes]
    assert [a["act"] for a in acts] == [1, 2, 3]
    assert acts[0]["start_scene"] == numbers[0] and acts[-1]["end_scene"] == numbers[-1]
    for before, after in zip(acts, acts[1:]):
        assert numbers.index(after["start_scene"]) == numbers.index(before["end_scene"]) + 1
    pages = sum(table.pages)
    longest = max(table.pages)
    for act, share in zip(acts[1:], coverage.ACT_BREAK_POSITIONS):
        assert abs(act["start_page"] - 1 - share * pages) <= longest


def test_too_few_scenes_give_no_act_estimate():
    table = coverage.SceneTable.of(parse(script_text(seed=9, scenes=1, cast=2, night=0)))
    assert len(table.scenes) == 2  # the opening (FADE IN) and one headed scene
    assert coverage.act_estimate(table) == []


def test_genres_without_tags_are_labelled_as_read_from_the_text(service, parsed, reports):
    report = reports["night action"]
    assert report["genre_source"] == "text"
    assert all(g.endswith("(from the text)") for g in report["genres"])
    # the same reading as the forecast's: the imputer's likeliest tags, most likely first
    probs = service.forecaster.genres.probabilities(service.inputs(parsed["night action"]).vectors)[0]
    named = [GENRE_TAGS.index(g.removesuffix(" (from the text)")) for g in report["genres"]]
    assert named[0] == int(np.argmax(probs)) and list(probs[named]) == sorted(probs[named], reverse=True)
    unnamed = np.delete(probs, named)
    assert (probs[named] >= 0.5).all() and (unnamed < 0.5).all() if probs.max() >= 0.5 else len(named) == 1


def test_a_footer_with_no_tag_the_model_knows_is_read_from_the_words_and_kept_in_the_report(service):
    text = screenplay_text("Lantern Orbit", 2004, "Sci-Fi", seed=11)
    short = read_text(text.replace("Genres :   Sci-Fi", "Genres :   Short"))
    untagged = read_text(text.replace("Genres :   Sci-Fi", ""))
    assert short.genres == ["Short"] and untagged.genres == []
    assert service.inputs(short).genre_source == "words"  # "Short" is no tag the heads learned
    report = service.coverage(short)
    assert report["genre_source"] == report["verdict_basis"]["genre_source"] == "text"
    assert report["genres"][0] == "Short"
    assert report["genres"][1:] == service.coverage(untagged)["genres"]
    assert report["prediction"]["p_break_even"] == service.predict(untagged)["p_break_even"]


def test_the_credit_for_adapted_material_is_reported_as_written(service):
    text = script_text(seed=7, scenes=30, cast=4, night=0.3)
    credit = f"{' ' * 28}Based on the novel by\n\n{' ' * 32}Harriet Moss\n\n{' ' * 10}FADE IN:"
    credited = service.coverage(parse(text.replace(f"{' ' * 10}FADE IN:", credit)))
    assert credited["source_material"] == "Based on the novel by Harriet Moss"
    assert service.coverage(parse(text))["source_material"] is None
    CoverageReport.model_validate(credited)


@pytest.mark.parametrize(("pct", "words"), [(78, "higher than 78%"), (20, "lower than 80%"), (100, "higher than every one"),
                                            (0, "lower than every one")])
def test_a_forecast_rank_reads_as_words_at_either_end(pct, words):
    assert coverage._rank(pct) == words


# ----------------------------------------------------------------------------- who is who

INTRODUCED = """
          INT. DINER - NIGHT

          Rain on the glass. NELL BRACKEN (40s), a trucker with a cracked
          thermos, takes the corner booth. Nell has seen worse nights.

                              NELL
                    Coffee, black.

          Her brother OWEN BRACKEN slides in across from her.

                              OWEN
                    You look tired.

          12      ON MARA                                              12

          a waitress of nineteen, chewing gum, order pad ready.

                              MARA
                    Pie's gone.

          Mara shrugs. Jude, the cook, never looks up.

                              JUDE
                    Told you.
"""


def test_each_character_is_quoted_where_the_action_first_names_them_in_capitals():
    sp = read_text(INTRODUCED)
    found = coverage.introductions(sp, ["NELL", "OWEN", "MARA", "JUDE"])
    assert found["NELL"] == {"scene": 1, "text": "NELL BRACKEN (40s), a trucker with a cracked thermos, takes the corner booth."}
    assert found["OWEN"]["text"] == "Her brother OWEN BRACKEN slides in across from her."
    # a shot line in capitals is joined to the description under it, without its scene numbers
    assert found["MARA"]["text"] == "ON MARA — a waitress of nineteen, chewing gum, order pad ready."
    assert "JUDE" not in found  # named only in a sentence ('Jude, the cook'): no introduction


def test_a_surname_inside_another_characters_introduction_is_not_theirs():
    sp = read_text(INTRODUCED.replace("OWEN BRACKEN", "OWEN").replace("Nell has seen", "BRACKEN has seen"))
    found = coverage.introductions(sp, ["NELL", "BRACKEN"])
    assert found["BRACKEN"]["text"] == "BRACKEN has seen worse nights."  # not 'NELL BRACKEN (40s) …'


def test_the_report_lists_introductions_with_the_cast(service):
    report = service.coverage(read_text(INTRODUCED))
    by_name = {c["name"]: c for c in report["characters"]}
    assert by_name["NELL"]["introduction"]["scene"] == 1
    assert by_name["JUDE"]["introduction"] is None
    CoverageReport.model_validate(report)


def test_characters_who_share_a_first_word_are_each_introduced():
    sp = read_text(INTRODUCED.replace("NELL BRACKEN (40s)", "BIG NELL (40s)").replace("OWEN BRACKEN", "BIG OWEN"))
    found = coverage.introductions(sp, ["BIG NELL", "BIG OWEN", "#2"])
    assert found["BIG NELL"]["text"].startswith("BIG NELL (40s), a trucker")
    assert found["BIG OWEN"]["text"] == "Her brother BIG OWEN slides in across from her."
    assert "#2" not in found


def test_a_possessive_in_capitals_introduces_the_character():
    sp = read_text(INTRODUCED.replace("NELL BRACKEN (40s), a trucker", "Close on NELL'S face (40s), a trucker")
                   .replace("slides in across from her.", "slides in. DON'T LOOK, says the sign."))
    found = coverage.introductions(sp, ["NELL", "DON"])
    assert found["NELL"]["scene"] == 1 and found["NELL"]["text"].startswith("Close on NELL'S face (40s)")
    assert "DON" not in found  # "DON'T" names nobody


def test_a_long_introduction_is_cut_at_a_word():
    sp = read_text(INTRODUCED.replace("takes the corner booth.", "takes the corner booth " + "and waits " * 40 + "for dawn."))
    text = coverage.introductions(sp, ["NELL"])["NELL"]["text"]
    assert text.startswith("NELL BRACKEN (40s), a trucker") and text.endswith("waits …")
    assert len(text) <= outline.QUOTE_CHARS + 2


def test_the_text_report_of_a_fragment_leaves_out_what_it_does_not_have(service):
    report = service.coverage(read_text("INT. ROOM - DAY\n\nA door opens. Nobody comes in.\n"))
    text = render_text(report)
    assert report["logline"] is None and not report["characters"] and not report["outline"]["beats"]
    assert "Logline" not in text and "CHARACTERS" not in text and "OUTLINE" not in text
    assert "· 1 scene ·" in text and "1 location" in text and "None" not in text
    assert text.startswith(f"{report['title'].upper()}\n") and "FORECAST" in text and "RISKS" in text
