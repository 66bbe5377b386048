"""The film table: parsing the raw formats and reconciling the four sources (fixture tables)."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reelcast.films import build_films, parse_dates, parse_money, parse_years, script_ids

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def table():
    return build_films(FIXTURES)


def film(table, film_id: str) -> pd.Series:
    rows = table.films[table.films["film_id"] == film_id]
    assert len(rows) == 1, f"expected one row for {film_id}, got {len(rows)}"
    return rows.iloc[0]


def test_money_strings_become_dollars_and_zero_means_unknown():
    parsed = parse_money(pd.Series(["$460,000,000", "$0", None, "n/a"]))
    assert parsed.iloc[0] == 460_000_000
    assert parsed.iloc[1:].isna().all()


def test_dates_in_each_source_format():
    dates = parse_dates(
        pd.Series(["Dec 9, 2022", "Jun 12 1998", "June 13, 1980 (United States)", "1993", "Unknown"]),
        ["%b %d, %Y", "%b %d %Y", "%B %d, %Y"],
    )
    assert list(dates.iloc[:3].dt.strftime("%Y-%m-%d")) == ["2022-12-09", "1998-06-12", "1980-06-13"]
    assert dates.iloc[3:].isna().all()  # a bare year is not a date


def test_years_from_partial_dates():
    years = parse_years(pd.Series(["Jun, 1979", "1993", "May 1994 (Japan)", "Unknown"]))
    assert years.iloc[:3].tolist() == [1979, 1993, 1994]
    assert pd.isna(years.iloc[3])


def test_one_row_per_film_and_remakes_stay_apart(table):
    films = table.films
    assert films["film_id"].is_unique
    assert sorted(films.loc[films["title"] == "Night Tide", "year"]) == [1982, 2012]
    # The Glass Harbor is in all three sources, as `Glass Harbor, The` in vega.
    assert (films["title"].str.contains("Glass Harbor")).sum() == 1


def test_columns_and_types(table):
    films = table.films
    for column in ["film_id", "title", "year", "release_date", "production_budget_usd", "domestic_gross_usd",
                   "worldwide_gross_usd", "mpaa", "genres", "runtime_min", "imdb_score", "imdb_votes",
                   "rotten_tomatoes", "imdb_id", "sources"]:
        assert column in films.columns
    assert pd.api.types.is_integer_dtype(films["year"])
    assert pd.api.types.is_datetime64_any_dtype(films["release_date"])


def test_precedence_and_sources(table):
    harbor = film(table, "glass-harbor-1998")
    assert harbor["production_budget_usd"] == 50_000_000  # The Numbers beats IMDb (70M) and vega (52M)
    assert harbor["imdb_score"] == 7.1  # the IMDb table beats vega (7.0)
    assert harbor["rotten_tomatoes"] == 80  # only vega has it
    sources = json.loads(harbor["sources"])
    assert sources["production_budget_usd"] == "the_numbers"
    assert sources["imdb_score"] == "imdb"
    assert sources["rotten_tomatoes"] == "vega"


def test_zero_gross_is_unknown_and_sources_one_year_apart_join(table):
    moons = film(table, "paper-moons-2004")  # IMDb says 2004, The Numbers released it in 2005
    assert pd.isna(moons["worldwide_gross_usd"])
    assert moons["production_budget_usd"] == 10_000_000
    assert moons["genres"] == "Comedy"


def test_wrong_century_is_fixed_and_recorded(table):
    duel = film(table, "duel-at-dawn-1946")
    assert duel["release_date"] == pd.Timestamp("1946-12-24")
    fixes = table.conflicts[(table.conflicts["film_id"] == "duel-at-dawn-1946") & (table.conflicts["field"] == "release_date")]
    assert fixes["lost_value"].tolist() == ["Dec 24 2046"]


def test_vega_rating_of_another_film_is_dropped_and_recorded(table):
    original = film(table, "night-tide-1982")
    assert original["imdb_score"] == 6.5
    dropped = table.conflicts[(table.conflicts["film_id"] == "night-tide-1982") & (table.conflicts["field"] == "imdb_score")]
    assert dropped["lost_value"].tolist() == [5.2]
    assert dropped["reason"].str.contains("another film").all()


def test_budget_disagreement_beyond_tolerance_is_a_conflict(table):
    conflicts = table.conflicts
    budget = conflicts[(conflicts["film_id"] == "glass-harbor-1998") & (conflicts["field"] == "production_budget_usd")]
    assert budget["lost_source"].tolist() == ["imdb"]  # vega's 52M is within 10%
    assert list(conflicts.columns) == ["film_id", "field", "kept_value", "kept_source", "lost_value", "lost_source", "reason"]


def test_vega_only_film_is_kept_and_films_without_year_are_not(table):
    assert film(table, "only-in-vega-2001")["worldwide_gross_usd"] == 2_000_000
    assert "Future Thing" not in set(table.films["title"])
    assert film(table, "old-reel-1975")["year"] == 1975  # a bare year still gives the year


def test_script_ids_are_latin1_and_give_imdb_ids(table):
    ids = script_ids(FIXTURES)
    assert "Café Noir" in set(ids["title"])
    assert film(table, "cafe-noir-1999")["imdb_id"] == "tt9000002"
    assert film(table, "night-tide-2012")["imdb_id"] == "tt9000001"
    assert pd.isna(film(table, "night-tide-1982")["imdb_id"])


def test_missing_folder_and_missing_columns_say_what_is_wrong(tmp_path):
    with pytest.raises(FileNotFoundError, match="no performance tables"):
        build_films(tmp_path)
    shutil.copytree(FIXTURES / "performance", tmp_path / "performance")
    (tmp_path / "performance" / "imdb_movie_stats.csv").write_text("name,year\nX,2000\n")
    with pytest.raises(ValueError, match="lacks the columns"):
        build_films(tmp_path)
