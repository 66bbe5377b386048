"""The four performance tables reconciled into one film table, one row per film.

Sources (in `<data_dir>/performance/`) and what each is trusted for:
- The Numbers (`the_numbers_budgets.csv`): production budget and grosses. The project defines
  worldwide gross as The Numbers' figure, so it wins every money field.
- IMDb movie stats (`imdb_movie_stats.csv`): year, IMDb score and votes, runtime, MPAA, genre.
- vega (`critics_vega_movies.json`): fill-in for everything, and the only Rotten Tomatoes source.
  Some of its dates carry the wrong century and some of its IMDb ratings belong to a remake.
- script_ids (`script_ids.csv`, latin-1): IMDb ids and release years of IMSDb titles.

A film is identified by its normalised title and year. Sources disagree by a year (world
premiere vs US release), so rows are joined within ±1 year; a second, fuzzy pass joins rows
whose titles differ (`Raiders of the Lost Ark` vs `Indiana Jones and the Raiders of the Lost Ark`).
Every disagreement beyond a tolerance is kept in `FilmTable.conflicts`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from reelcast.match import normalize_title, similarity_matrix, title_year

NUMBERS_FILE = "the_numbers_budgets.csv"
IMDB_FILE = "imdb_movie_stats.csv"
VEGA_FILE = "critics_vega_movies.json"
SCRIPT_IDS_FILE = "script_ids.csv"

# vega-datasets was compiled about 2010 and lists releases scheduled up to 2011; a later
# date is a wrong century (`Dec 31 2046` is Duel in the Sun, 1946).
VEGA_LATEST_YEAR = 2011
YEAR_TOLERANCE = 1
RELAXED_YEAR_GAP = 3
MONEY_TOLERANCE = 0.10  # budgets are estimates that get revised; 10% is noise, more is a conflict
SCORE_TOLERANCE = 1.0  # IMDb scores drift a little between scrapes; a whole point is another film
RUNTIME_TOLERANCE = 5.0
FUZZY_TITLE_MIN_RATIO = 90

FILM_COLUMNS = [
    "film_id", "title", "year", "release_date", "production_budget_usd", "domestic_gross_usd",
    "worldwide_gross_usd", "mpaa", "genres", "runtime_min", "imdb_score", "imdb_votes",
    "rotten_tomatoes", "imdb_id", "sources", "alt_titles", "writer", "director",
]
CONFLICT_COLUMNS = ["film_id", "field", "kept_value", "kept_source", "lost_value", "lost_source", "reason"]
SOURCES = ["the_numbers", "imdb", "vega"]

# field → the sources that may supply it, best first
PRECEDENCE = {
    "title": ["the_numbers", "imdb", "vega"],
    "year": ["imdb", "the_numbers", "vega"],
    "release_date": ["the_numbers", "imdb", "vega"],
    "production_budget_usd": ["the_numbers", "vega", "imdb"],
    "domestic_gross_usd": ["the_numbers", "vega"],
    "worldwide_gross_usd": ["the_numbers", "vega", "imdb"],
    "mpaa": ["imdb", "vega"],
    "genres": ["imdb", "vega"],
    "runtime_min": ["imdb", "vega"],
    "imdb_score": ["imdb", "vega"],
    "imdb_votes": ["imdb", "vega"],
    "rotten_tomatoes": ["vega"],
    "writer": ["imdb"],
    "director": ["imdb", "vega"],
}
# field → (kind, tolerance) for recording disagreements between sources
CONFLICT_RULES = {
    "production_budget_usd": ("relative", MONEY_TOLERANCE),
    "domestic_gross_usd": ("relative", MONEY_TOLERANCE),
    "worldwide_gross_usd": ("relative", MONEY_TOLERANCE),
    "imdb_score": ("absolute", SCORE_TOLERANCE),
    "runtime_min": ("absolute", RUNTIME_TOLERANCE),
    "mpaa": ("exact", None),
}


@dataclass
class FilmTable:
    films: pd.DataFrame
    conflicts: pd.DataFrame


def build_films(data_dir: Path) -> FilmTable:
    """Read the four performance tables under `data_dir/performance` into one film table.

    Films with no known year (The Numbers lists unreleased films as `Unknown`) are left out:
    a film is identified by title and year.
    """
    folder = _performance_dir(data_dir)
    numbers = read_numbers(folder / NUMBERS_FILE)
    imdb = read_imdb(folder / IMDB_FILE)
    vega = read_vega(folder / VEGA_FILE)

    links = _link_sources(numbers, imdb, vega)
    wide = _wide_table(links, numbers, imdb, vega)
    wide, rating_conflicts = _drop_misattributed_vega_ratings(wide)
    films, sources = _coalesce(wide)
    films = _attach_imdb_ids(films, wide, script_ids(data_dir))
    films["film_id"] = _film_ids(films)
    conflicts = pd.concat(
        [
            _field_conflicts(wide, films, sources),
            _with_film_ids(rating_conflicts, films),
            _with_film_ids(_century_conflicts(wide), films),
        ],
        ignore_index=True,
    )
    films = films[films["year"].notna()].reset_index(drop=True)
    conflicts = conflicts[conflicts["film_id"].isin(films["film_id"])].reset_index(drop=True)
    return FilmTable(films=films[FILM_COLUMNS], conflicts=conflicts[CONFLICT_COLUMNS])


def script_ids(data_dir: Path) -> pd.DataFrame:
    """IMSDb-based titles with release year and IMDb id (`title, year, imdb_id`)."""
    path = _performance_dir(data_dir) / SCRIPT_IDS_FILE
    _require(path)
    # The file is latin-1 (`Alien³`); reading it as UTF-8 fails or garbles titles.
    table = pd.read_csv(path, encoding="latin-1", usecols=["title", "year", "imdb_id"])
    table = table.dropna(subset=["title", "year"])
    table["title"] = table["title"].astype(str)
    table["year"] = table["year"].astype(int)
    return table[["title", "year", "imdb_id"]].reset_index(drop=True)


# ---------------------------------------------------------------- reading and parsing


def parse_money(values: pd.Series) -> pd.Series:
    """`"$460,000,000"` → 460000000.0; `$0`, blanks and junk → NaN (The Numbers uses $0 for unknown)."""
    text = values.astype("string").str.replace(r"[$,\s]", "", regex=True)
    amounts = pd.to_numeric(text, errors="coerce").astype(float)
    return amounts.where(amounts > 0)


def parse_dates(values: pd.Series, formats: list[str]) -> pd.Series:
    """Dates in any of `formats`; anything else (a bare year, `Unknown`) → NaT."""
    text = values.astype("string").str.replace(r"\s*\(.*\)\s*$", "", regex=True).str.strip()
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in formats:
        parsed = parsed.fillna(pd.to_datetime(text, format=fmt, errors="coerce"))
    return parsed


def parse_years(values: pd.Series) -> pd.Series:
    """The four-digit year anywhere in a date string (`Jun, 1979`, `1993`, `May 1994 (Japan)`)."""
    found = values.astype("string").str.extract(r"\b(1[89]\d\d|20\d\d)\b", expand=False)
    return pd.to_numeric(found, errors="coerce").astype("Int64")


def read_numbers(path: Path) -> pd.DataFrame:
    _require(path)
    raw = pd.read_csv(path, dtype=str)
    _require_columns(raw, path, ["Release Date", "Movie", "Production Budget", "Domestic Gross", "Worldwide Gross"])
    table = pd.DataFrame({"title": raw["Movie"].fillna("").astype(str)})
    table["release_date"] = parse_dates(raw["Release Date"], ["%b %d, %Y"])
    table["year"] = parse_years(raw["Release Date"])
    table["production_budget_usd"] = parse_money(raw["Production Budget"])
    table["domestic_gross_usd"] = parse_money(raw["Domestic Gross"])
    table["worldwide_gross_usd"] = parse_money(raw["Worldwide Gross"])
    return _keyed(table)


def read_imdb(path: Path) -> pd.DataFrame:
    _require(path)
    raw = pd.read_csv(path)
    _require_columns(raw, path, ["name", "rating", "genre", "year", "released", "score", "votes", "budget", "gross", "runtime"])
    table = pd.DataFrame({"title": raw["name"].fillna("").astype(str)})
    table["year"] = pd.to_numeric(raw["year"], errors="coerce").astype("Int64")
    # `released` is the first release in a named country; its year is a second join key.
    table["release_date"] = parse_dates(raw["released"], ["%B %d, %Y"])
    table["alt_year"] = parse_years(raw["released"])
    table["mpaa"] = _clean_mpaa(raw["rating"])
    table["genres"] = raw["genre"].astype("string")
    table["imdb_score"] = pd.to_numeric(raw["score"], errors="coerce")
    table["imdb_votes"] = pd.to_numeric(raw["votes"], errors="coerce")
    table["runtime_min"] = pd.to_numeric(raw["runtime"], errors="coerce")
    table["writer"] = raw.get("writer", pd.Series(index=raw.index, dtype="string")).astype("string")
    table["director"] = raw.get("director", pd.Series(index=raw.index, dtype="string")).astype("string")
    table["production_budget_usd"] = pd.to_numeric(raw["budget"], errors="coerce").where(lambda v: v > 0)
    table["worldwide_gross_usd"] = pd.to_numeric(raw["gross"], errors="coerce").where(lambda v: v > 0)
    return _keyed(table)


def read_vega(path: Path) -> pd.DataFrame:
    """The vega table, wrong-century dates fixed (`raw_date` keeps what the file said)."""
    _require(path)
    try:
        raw = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as error:
        raise ValueError(f"{path} is not a JSON list of records: {error}") from error
    _require_columns(raw, path, ["Title", "Release Date", "Production Budget", "Worldwide Gross", "IMDB Rating"])
    raw = raw[raw["Title"].notna()].reset_index(drop=True)
    titles = raw["Title"].astype(str).map(_repair_mac_roman)  # some titles are numbers in the JSON (`1776`)
    table = pd.DataFrame({"title": titles.str.replace(r"\s*\(\d{4}\)\s*$", "", regex=True)})
    dates = parse_dates(raw["Release Date"], ["%b %d %Y", "%b %d, %Y"])
    dates, fixed = _fix_vega_centuries(dates)
    table["release_date"] = dates
    table["year"] = parse_years(raw["Release Date"]).where(~fixed, dates.dt.year).astype("Int64")
    # `King Kong (1933)`: the title itself says which film it is.
    table["year"] = pd.Series(titles.map(title_year), dtype="Int64").fillna(table["year"])
    table["production_budget_usd"] = _positive(raw["Production Budget"])
    table["domestic_gross_usd"] = _positive(raw.get("US Gross"))
    table["worldwide_gross_usd"] = _positive(raw["Worldwide Gross"])
    table["mpaa"] = _clean_mpaa(raw.get("MPAA Rating"))
    table["genres"] = raw.get("Major Genre", pd.Series(index=raw.index, dtype="string")).astype("string")
    table["runtime_min"] = _positive(raw.get("Running Time min"))
    table["imdb_score"] = _positive(raw["IMDB Rating"])
    table["imdb_votes"] = _positive(raw.get("IMDB Votes"))
    table["rotten_tomatoes"] = pd.to_numeric(raw.get("Rotten Tomatoes Rating"), errors="coerce")
    table["director"] = raw.get("Director", pd.Series(index=raw.index, dtype="string")).astype("string")
    table["raw_date"] = raw["Release Date"].astype("string")
    table["century_fixed"] = fixed
    return _keyed(table)


def _repair_mac_roman(title: str) -> str:
    """vega's accented titles were decoded as Mac Roman (`DÈj‡ Vu`); re-decode them (`Déjà Vu`)."""
    if title.isascii():
        return title
    try:
        return title.encode("mac_roman").decode("cp1252")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return title


def _fix_vega_centuries(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    future = dates.dt.year > VEGA_LATEST_YEAR
    fixed = dates.copy()
    fixed[future] = dates[future] - pd.DateOffset(years=100)
    return fixed, future.fillna(False)


def _positive(values: pd.Series | None) -> pd.Series:
    if values is None:
        return pd.Series(dtype=float)
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(numbers > 0)


def _clean_mpaa(values: pd.Series | None) -> pd.Series:
    if values is None:
        return pd.Series(dtype="string")
    text = values.astype("string").str.strip()
    return text.replace({"Unrated": "Not Rated", "Open": pd.NA, "": pd.NA})


def _keyed(table: pd.DataFrame) -> pd.DataFrame:
    table = table[table["title"].str.strip() != ""].copy()
    table["key"] = table["title"].map(normalize_title)
    if "alt_year" not in table:
        table["alt_year"] = table["year"]
    return table.reset_index(drop=True)


def _performance_dir(data_dir: Path) -> Path:
    folder = Path(data_dir) / "performance"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"no performance tables at {folder}: point --data or $REELCAST_DATA at the raw data folder"
        )
    return folder


def _require(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"missing performance table {path}")


def _require_columns(table: pd.DataFrame, path: Path, columns: list[str]) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{path.name} lacks the columns {missing}; is it the right file?")


# ---------------------------------------------------------------- linking rows across sources


def _link_sources(numbers: pd.DataFrame, imdb: pd.DataFrame, vega: pd.DataFrame) -> pd.DataFrame:
    """One row per film: the row number it has in each source (or -1)."""
    films = pd.DataFrame({"the_numbers": np.arange(len(numbers)), "imdb": -1, "vega": -1})
    films = _add_source(films, "imdb", imdb, {"the_numbers": numbers})
    films = _add_source(films, "vega", vega, {"the_numbers": numbers, "imdb": imdb})
    return films


def _add_source(films: pd.DataFrame, name: str, rows: pd.DataFrame, linked: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Attach each row of `rows` to at most one film; rows left over become new films.

    Passes, strictest first: same key within ±1 year; alike titles within ±1 year; same key
    within RELAXED_YEAR_GAP years when both rows give the same budget (festival vs US release).
    """
    known = _film_keys(films, linked)
    pairs = pd.DataFrame({"row": [], "film": []}, dtype=int)
    for find_pairs in (_exact_pairs, _fuzzy_pairs, _same_budget_pairs):
        left = rows.drop(pairs["row"])
        free = known[~known["film"].isin(pairs["film"])]
        pairs = pd.concat([pairs, find_pairs(left, free)], ignore_index=True)
    films = films.copy()
    films.loc[pairs["film"].to_numpy(), name] = pairs["row"].to_numpy()
    unlinked = np.setdiff1d(np.arange(len(rows)), pairs["row"].to_numpy())
    new = pd.DataFrame({source: -1 for source in SOURCES}, index=range(len(unlinked)))
    new[name] = unlinked
    return pd.concat([films, new], ignore_index=True)


def _film_keys(films: pd.DataFrame, linked: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every (film, key, year, budget) a film is known under in the sources linked so far."""
    parts = []
    for source, rows in linked.items():
        have = films[source] >= 0
        picked = rows.iloc[films.loc[have, source].to_numpy()]
        parts.append(pd.DataFrame({
            "film": films.index[have], "key": picked["key"].to_numpy(), "year": picked["year"].to_numpy(),
            "alt_year": picked["alt_year"].to_numpy(), "budget": picked["production_budget_usd"].to_numpy(),
        }))
    return pd.concat(parts, ignore_index=True)


def _key_candidates(rows: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    columns = ["key", "year", "alt_year", "production_budget_usd"]
    candidates = rows[columns].reset_index(names="row").merge(known, on="key", suffixes=("", "_film"))
    candidates["gap"] = _year_gap(candidates)
    return candidates


def _exact_pairs(rows: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    candidates = _key_candidates(rows, known)
    return _one_to_one(candidates[candidates["gap"] <= YEAR_TOLERANCE])


def _same_budget_pairs(rows: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    candidates = _key_candidates(rows, known)
    budget_gap = (candidates["production_budget_usd"] - candidates["budget"]).abs() / candidates["budget"]
    return _one_to_one(candidates[(candidates["gap"] <= RELAXED_YEAR_GAP) & (budget_gap <= MONEY_TOLERANCE)])


def _fuzzy_pairs(rows: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Rows whose titles differ in wording but agree in year: compared year by year, so it stays fast."""
    found = []
    for year, group in rows.groupby("year"):
        near = known[(known["year"] - year).abs().le(YEAR_TOLERANCE).fillna(False)]
        if near.empty:
            continue
        scores = similarity_matrix(group["key"].tolist(), near["key"].tolist())
        row_at, film_at = np.nonzero(scores >= FUZZY_TITLE_MIN_RATIO)
        found.append(pd.DataFrame({
            "row": group.index[row_at], "film": near["film"].to_numpy()[film_at],
            "gap": 100 - scores[row_at, film_at],
        }))
    if not found:
        return pd.DataFrame({"row": [], "film": []}, dtype=int)
    return _one_to_one(pd.concat(found, ignore_index=True))


def _year_gap(candidates: pd.DataFrame) -> pd.Series:
    gaps = [
        (candidates[a] - candidates[b]).abs()
        for a in ("year", "alt_year") for b in ("year_film", "alt_year_film")
    ]
    return pd.concat(gaps, axis=1).min(axis=1, skipna=True).fillna(np.inf)


def _one_to_one(candidates: pd.DataFrame) -> pd.DataFrame:
    """Closest pairs first; each row and each film used once."""
    ordered = candidates.sort_values(["gap", "row", "film"], kind="stable")
    ordered = ordered.drop_duplicates("row").drop_duplicates("film")
    return ordered[["row", "film"]].astype(int).reset_index(drop=True)


# ---------------------------------------------------------------- choosing values


def _wide_table(links: pd.DataFrame, numbers: pd.DataFrame, imdb: pd.DataFrame, vega: pd.DataFrame) -> pd.DataFrame:
    """One column per (source, field): `the_numbers:production_budget_usd`, …"""
    parts = []
    for name, rows in (("the_numbers", numbers), ("imdb", imdb), ("vega", vega)):
        picked = rows.reindex(links[name].where(links[name] >= 0).to_numpy())
        picked.columns = [f"{name}:{column}" for column in picked.columns]
        parts.append(picked.reset_index(drop=True))
    wide = pd.concat(parts, axis=1)
    # The Numbers cuts long titles (`Pirates of the Caribbean: The Curse of the Blac…`).
    truncated = wide["the_numbers:title"].str.endswith("…").fillna(False)
    has_full = wide["imdb:title"].notna() | wide["vega:title"].notna()
    wide.loc[truncated & has_full, "the_numbers:title"] = pd.NA
    return wide


def _drop_misattributed_vega_ratings(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """vega copied some IMDb ratings across films sharing a title; the IMDb table exposes them.

    A vega rating is dropped when the IMDb table gives the same film a score more than
    SCORE_TOLERANCE away, or when two vega films with one title carry the identical rating and
    votes and the IMDb table cannot say which one owns it.
    """
    vega_score, imdb_score = wide["vega:imdb_score"], wide["imdb:imdb_score"]
    disagrees = (vega_score - imdb_score).abs() > SCORE_TOLERANCE
    copied = wide.duplicated(["vega:key", "vega:imdb_score", "vega:imdb_votes"], keep=False) & vega_score.notna()
    dropped = disagrees | (copied & imdb_score.isna())
    record = pd.DataFrame({
        "row": np.flatnonzero(dropped), "field": "imdb_score",
        "kept_value": imdb_score[dropped].to_numpy(), "kept_source": np.where(imdb_score[dropped].notna(), "imdb", None),
        "lost_value": vega_score[dropped].to_numpy(), "lost_source": "vega",
        "reason": np.where(disagrees[dropped], "vega rating belongs to another film (disagrees with the IMDb table)",
                           "vega rating copied between films sharing a title; owner unknown"),
    })
    wide = wide.copy()
    wide.loc[dropped, ["vega:imdb_score", "vega:imdb_votes"]] = np.nan
    return wide, record


def _coalesce(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept value of every field, and the source each came from."""
    films = pd.DataFrame(index=wide.index)
    chosen = {}
    for field, order in PRECEDENCE.items():
        value = pd.Series(pd.NA, index=wide.index, dtype=object)
        source = pd.Series(None, index=wide.index, dtype=object)
        for name in reversed(order):  # best source last, so it overwrites
            column = wide.get(f"{name}:{field}")
            if column is None:
                continue
            present = column.notna()
            value[present] = column[present]
            source[present] = name
        films[field] = value
        chosen[field] = source
    films = _typed(films)
    films["title"] = films["title"].map(_display_title)
    chosen = pd.DataFrame(chosen)
    films["sources"] = _sources_json(chosen)
    films["alt_titles"] = _alt_titles(wide, films["title"])
    return films, chosen


def _typed(films: pd.DataFrame) -> pd.DataFrame:
    for field in ["production_budget_usd", "domestic_gross_usd", "worldwide_gross_usd", "runtime_min",
                  "imdb_score", "imdb_votes", "rotten_tomatoes"]:
        films[field] = pd.to_numeric(films[field], errors="coerce").astype(float)
    films["year"] = pd.to_numeric(films["year"], errors="coerce").astype("Int64")
    films["release_date"] = pd.to_datetime(films["release_date"], errors="coerce")
    for field in ["title", "mpaa", "genres", "writer", "director"]:
        films[field] = films[field].astype("string")
    return films


def _display_title(title: str) -> str:
    """`Charge of the Light Brigade, The` → `The Charge of the Light Brigade`."""
    found = re.match(r"^(.+), (The|A|An)$", title)
    return f"{found[2]} {found[1]}" if found else title


def _sources_json(chosen: pd.DataFrame) -> pd.Series:
    """`{"field": "source", …}` per film, built column by column (fields in sorted order)."""
    parts = [
        ('"' + field + '": "' + chosen[field].astype("string") + '"').fillna("")
        for field in sorted(chosen.columns)
    ]
    joined = pd.concat(parts, axis=1).apply(lambda column: column.where(column == "", column + ", "))
    return "{" + joined.sum(axis=1).str.removesuffix(", ") + "}"


def _alt_titles(wide: pd.DataFrame, kept: pd.Series) -> pd.Series:
    """Titles other sources use for the film, `|`-joined; the matcher compares against them too."""
    columns = [wide[f"{name}:title"].astype(object).where(lambda t: t.notna() & (t != kept), None) for name in SOURCES]
    joined = ["|".join(dict.fromkeys(t for t in row if t is not None)) for row in zip(*columns)]
    return pd.Series(joined, index=wide.index, dtype="string")


def _attach_imdb_ids(films: pd.DataFrame, wide: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """IMDb ids from script_ids, joined like the sources: same key ±1 year, then alike titles."""
    rows = ids.assign(key=ids["title"].map(normalize_title), alt_year=ids["year"], production_budget_usd=np.nan)
    known = pd.concat(
        [
            pd.DataFrame({
                "film": wide.index, "key": wide[f"{name}:key"], "year": wide[f"{name}:year"],
                "alt_year": wide[f"{name}:alt_year"], "budget": np.nan,
            }).dropna(subset=["key"])
            for name in SOURCES
        ],
        ignore_index=True,
    )
    exact = _exact_pairs(rows, known)
    fuzzy = _fuzzy_pairs(rows.drop(exact["row"]), known[~known["film"].isin(exact["film"])])
    pairs = pd.concat([exact, fuzzy], ignore_index=True)
    films = films.copy()
    films["imdb_id"] = pd.Series(pd.NA, index=films.index, dtype="string")
    films.loc[pairs["film"].to_numpy(), "imdb_id"] = rows["imdb_id"].iloc[pairs["row"]].to_numpy()
    return films


def _film_ids(films: pd.DataFrame) -> pd.Series:
    """`slug-title-YEAR`, with `-2`, `-3` for the rare same title in the same year."""
    slugs = films["title"].map(lambda t: re.sub(r"[^a-z0-9]+", "-", normalize_title(t)).strip("-") or "untitled")
    base = slugs + "-" + films["year"].astype("string").fillna("nd")
    repeat = base.groupby(base).cumcount()
    return base.where(repeat == 0, base + "-" + (repeat + 1).astype(str))


# ---------------------------------------------------------------- conflicts


def _field_conflicts(wide: pd.DataFrame, films: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every source value that differs from the kept one beyond the field's tolerance."""
    parts = []
    for field, (kind, tolerance) in CONFLICT_RULES.items():
        kept = films[field]
        for name in PRECEDENCE[field]:
            lost = wide.get(f"{name}:{field}")
            if lost is None:
                continue
            differs = _differs(kept, lost, kind, tolerance) & (sources[field] != name)
            parts.append(pd.DataFrame({
                "film_id": films.loc[differs, "film_id"], "field": field,
                "kept_value": kept[differs].astype(object), "kept_source": sources.loc[differs, field],
                "lost_value": lost[differs].astype(object), "lost_source": name,
                "reason": _reason(kind, tolerance),
            }))
    return pd.concat(parts, ignore_index=True)


def _differs(kept: pd.Series, lost: pd.Series, kind: str, tolerance: float | None) -> pd.Series:
    both = kept.notna() & lost.notna()
    if kind == "exact":
        return both & (kept.astype("string") != lost.astype("string")).fillna(False)
    kept, lost = kept.astype(float), lost.astype(float)
    gap = (kept - lost).abs()
    if kind == "relative":
        gap = gap / kept.abs()
    return both & (gap > tolerance)


def _reason(kind: str, tolerance: float | None) -> str:
    if kind == "relative":
        return f"sources differ by more than {tolerance:.0%}"
    if kind == "absolute":
        return f"sources differ by more than {tolerance:g}"
    return "sources disagree"


def _century_conflicts(wide: pd.DataFrame) -> pd.DataFrame:
    fixed = wide["vega:century_fixed"].fillna(False).astype(bool)
    return pd.DataFrame({
        "row": np.flatnonzero(fixed), "field": "release_date",
        "kept_value": wide.loc[fixed, "vega:release_date"].dt.strftime("%Y-%m-%d").to_numpy(),
        "kept_source": "vega (century fixed)",
        "lost_value": wide.loc[fixed, "vega:raw_date"].to_numpy(), "lost_source": "vega",
        "reason": f"vega date after {VEGA_LATEST_YEAR}, when the table was compiled: wrong century",
    })


def _with_film_ids(records: pd.DataFrame, films: pd.DataFrame) -> pd.DataFrame:
    records = records.copy()
    records["film_id"] = films["film_id"].to_numpy()[records.pop("row").astype(int).to_numpy()]
    return records
