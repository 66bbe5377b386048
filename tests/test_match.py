"""Script ↔ film decisions: title normalisation, likeness, remakes, ambiguity, reasons."""

from pathlib import Path

import pandas as pd
import pytest

from reelcast.films import build_films, script_ids
from reelcast.match import match_script, match_scripts, normalize_title, title_similarity

FIXTURES = Path(__file__).parent / "fixtures"
NO_IDS = pd.DataFrame({"title": [], "year": [], "imdb_id": []})


@pytest.mark.parametrize(
    ("imsdb", "table"),
    [
        ("Abyss, The", "The Abyss"),
        ("Alien- Resurrection", "Alien: Resurrection"),
        ("Kate-&-Leopold", "Kate & Leopold"),
        ("Celeste-&-Jesse-Forever", "Celeste and Jesse Forever"),
        ("Pet Sematary II", "Pet Sematary 2"),
        ("Friday the 13th Part VIII- Jason Takes Manhattan", "Friday the 13th Part VIII: Jason Takes Manhattan"),
        ("Star Wars- The Force Awakens", "Star Wars: Episode VII - The Force Awakens"),
        ("Sex, Lies and Videotape", "Sex, Lies, and Videotape"),
        ("St. Elmo's Fire", "St. Elmo’s Fire"),
        ("Amelie", "Amélie"),
        ("King Kong", "King Kong (1933)"),
    ],
)
def test_imsdb_and_table_titles_normalise_alike(imsdb, table):
    assert normalize_title(imsdb) == normalize_title(table)


@pytest.mark.parametrize(("a", "b"), [("Die Hard", "Die Hard 2"), ("Rocky", "Rocky V"), ("Alien", "Aliens")])
def test_different_films_normalise_apart(a, b):
    assert normalize_title(a) != normalize_title(b)


def test_x_men_keeps_its_x():
    assert normalize_title("X-Men") == "x men"


def test_normalize_rejects_non_text():
    with pytest.raises(TypeError, match="must be text"):
        normalize_title(1776)


def test_similarity_blocks_sequels_and_allows_long_subtitles():
    assert title_similarity("die hard", "die hard 2") == 0
    assert title_similarity("raiders of lost ark", "indiana jones and raiders of lost ark") >= 88
    assert title_similarity("alien", "alien resurrection") < 75


def films_table(rows: list[tuple]) -> pd.DataFrame:
    columns = ["film_id", "title", "year", "production_budget_usd", "worldwide_gross_usd", "writer", "director"]
    return pd.DataFrame(rows, columns=columns)


REMAKES = films_table([
    ("night-tide-1982", "Night Tide", 1982, 5e6, 3e7, "Dora Finch", "Carl Dane"),
    ("night-tide-2012", "Night Tide", 2012, 4e7, 9e7, "Fay Hill", "Eve Gold"),
    ("glass-harbor-1998", "The Glass Harbor", 1998, 5e7, 1.5e8, "Bo Ray", "Ann Lee"),
])


def test_title_page_year_picks_the_remake():
    decision = match_script("Night Tide", REMAKES, NO_IDS, year_hint=2010)
    assert (decision.status, decision.film_id) == ("matched", "night-tide-2012")
    assert "title-page year 2010 fits" in decision.reason


def test_script_ids_year_picks_the_original():
    ids = pd.DataFrame({"title": ["Night Tide"], "year": [1982], "imdb_id": ["tt1"]})
    decision = match_script("Night Tide", REMAKES, ids)
    assert decision.film_id == "night-tide-1982"
    assert "script_ids year 1982 agrees" in decision.reason


def test_title_page_beats_script_ids_when_they_disagree():
    ids = pd.DataFrame({"title": ["Night Tide"], "year": [1982], "imdb_id": ["tt1"]})
    decision = match_script("Night Tide", REMAKES, ids, year_hint=2011)
    assert decision.film_id == "night-tide-2012"


def test_writers_tell_remakes_apart():
    decision = match_script("Night Tide", REMAKES, NO_IDS, writers=["Fay Hill"])
    assert decision.film_id == "night-tide-2012"
    assert "writers" in decision.reason


def test_remakes_with_nothing_between_them_are_ambiguous():
    decision = match_script("Night Tide", REMAKES, NO_IDS)
    assert decision.status == "ambiguous"
    assert decision.film_id is None
    assert {c["film_id"] for c in decision.candidates[:2]} == {"night-tide-1982", "night-tide-2012"}


def test_ties_go_to_the_film_with_budget_and_gross():
    films = REMAKES.copy()
    films.loc[0, "worldwide_gross_usd"] = None
    decision = match_script("Night Tide", films, NO_IDS)
    assert (decision.status, decision.film_id) == ("matched", "night-tide-2012")
    assert "budget and gross" in decision.reason


def test_same_title_with_other_writers_and_no_support_is_unmatched():
    decision = match_script("Glass Harbor, The", REMAKES, NO_IDS, writers=["Zed Quill"])
    assert decision.status == "unmatched"
    assert "absent from the tables" in decision.reason


def test_unknown_title_is_unmatched_with_reason():
    decision = match_script("Completely Different Picture", REMAKES, NO_IDS)
    assert decision.status == "unmatched"
    assert decision.reason


def test_batch_matches_imsdb_file_names_against_the_built_table():
    table = build_films(FIXTURES)
    decisions = match_scripts(
        [("Glass Harbor, The", None), ("Night Tide", None), ("Cafe Noir", 1998), ("Paper Moons", None)],
        table.films, script_ids(FIXTURES),
    )
    assert [d.film_id for d in decisions] == ["glass-harbor-1998", "night-tide-2012", "cafe-noir-1999", "paper-moons-2004"]
    for decision in decisions:
        assert decision.candidates and all({"film_id", "title", "year", "title_score"} <= set(c) for c in decision.candidates)


def test_bad_items_and_tables_say_what_is_wrong():
    with pytest.raises(ValueError, match="each item"):
        match_scripts(["Night Tide"], REMAKES, NO_IDS)
    with pytest.raises(ValueError, match="lacks the columns"):
        match_script("Night Tide", REMAKES.drop(columns=["year"]), NO_IDS)
