"""Script ↔ film decisions: which row of the film table a screenplay belongs to, and why.

A script is known only by its IMSDb file name (`Abyss, The`, `Alien- Resurrection`) and,
sometimes, a year printed on its title page. Titles are compared after `normalize_title`;
years from `script_ids.csv` (IMSDb titles with their release year) and from the title page
pick between remakes. Every decision keeps its candidates and a sentence saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy import sparse

# IMSDb and the tables move the article to the end: `Abyss, The`, `Charge of the Light Brigade, The`.
_TRAILING_ARTICLE = re.compile(r"^(?P<body>.+?),\s*(?P<article>the|a|an)\s*(?P<rest>(?:[:\-(].*)?)$", re.I)
_PAREN_YEAR = re.compile(r"\(\s*(\d{4})\s*\)")
_EPISODE = re.compile(r"\b(?:episode|ep)\.?\s+(?:[ivx]+|\d+)\b")
_ROMAN = {
    "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15,
}
# A lone `v` or `x` is a sequel number only at the end of a title (`Rocky V`), not in `X-Men`.
_AMBIGUOUS_ROMAN = {"v", "x"}
_DROPPED_WORDS = {"the", "a", "an", "part"}


@lru_cache(maxsize=65536)
def normalize_title(title: str) -> str:
    """A comparison key for a film title: `Abyss, The` and `The Abyss` give the same key.

    Lowercase, diacritics and punctuation removed, `&` → `and`, articles and `Part` dropped,
    Roman sequel numbers → Arabic, `Episode IV` dropped, a year in brackets dropped.
    IMSDb file names use `- ` for `: ` and `-` for spaces; both become spaces.
    """
    if not isinstance(title, str):
        raise TypeError(f"a title must be text, got {type(title).__name__}: {title!r}")
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
    text = _PAREN_YEAR.sub(" ", text).strip()
    text = _move_trailing_article(text)
    text = text.replace("&", " and ")
    text = re.sub(r"['’`]", "", text)  # `Bueller's` → `buellers`, not `bueller s`
    text = _EPISODE.sub(" ", text)
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    tokens = _arabic_sequel_numbers(tokens)
    return " ".join(token for token in tokens if token not in _DROPPED_WORDS)


def title_year(title: str) -> int | None:
    """The year some tables put in the title, `King Kong (1933)` → 1933."""
    found = _PAREN_YEAR.search(title) if isinstance(title, str) else None
    return int(found.group(1)) if found else None


def _move_trailing_article(text: str) -> str:
    found = _TRAILING_ARTICLE.match(text)
    if not found:
        return text
    return f"{found['article']} {found['body']} {found['rest']}".strip()


def _arabic_sequel_numbers(tokens: list[str]) -> list[str]:
    converted = []
    for position, token in enumerate(tokens):
        is_last = position == len(tokens) - 1
        if token in _ROMAN and (token not in _AMBIGUOUS_ROMAN or (is_last and position > 0)):
            converted.append(str(_ROMAN[token]))
        else:
            converted.append(token)
    return converted


# ---------------------------------------------------------------- title similarity

# A subset match (`raiders of lost ark` inside `indiana jones and raiders of lost ark`) counts
# only when the shorter title has this many words, so `alien` is not `alien resurrection`.
SUBSET_MIN_WORDS = 3
SUBSET_WEIGHT = 0.9  # a subset match never beats an exact title, and needs its year to agree


def title_similarity(a: str, b: str) -> float:
    """0–100 likeness of two normalised titles; titles whose sequel numbers differ score 0."""
    return float(similarity_matrix([a], [b])[0, 0])


def similarity_matrix(queries: list[str], choices: list[str]) -> np.ndarray:
    """`title_similarity` for every query × choice, computed in C by rapidfuzz."""
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)))
    plain = process.cdist(queries, choices, scorer=fuzz.ratio, workers=1)
    compact = process.cdist(_compact(queries), _compact(choices), scorer=fuzz.ratio, workers=1)
    subset = np.where(_word_subsets(queries, choices), 100.0 * SUBSET_WEIGHT, 0.0)
    scores = np.maximum(np.maximum(plain, compact), subset)
    return _zero_on_number_mismatch(scores, queries, choices)


def _compact(keys: list[str]) -> list[str]:
    return [key.replace(" ", "") for key in keys]


def _word_subsets(queries: list[str], choices: list[str]) -> np.ndarray:
    """True where all words of the shorter title (at least SUBSET_MIN_WORDS) occur in the longer.

    Counted with sparse word-incidence matrices: the shared-word count of every pair in one product.
    """
    vocabulary: dict[str, int] = {}
    query_words, choice_words = _incidence(queries, vocabulary), _incidence(choices, vocabulary)
    shape = (len(vocabulary),)
    query_words.resize((len(queries), *shape))
    choice_words.resize((len(choices), *shape))
    shared = (query_words @ choice_words.T).toarray()
    shorter = np.minimum.outer(np.asarray(query_words.sum(axis=1)).ravel(), np.asarray(choice_words.sum(axis=1)).ravel())
    return (shorter >= SUBSET_MIN_WORDS) & (shared == shorter)


def _incidence(keys: list[str], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    rows, cols = [], []
    for row, key in enumerate(keys):
        for word in set(key.split()):
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(vocabulary)))


def _zero_on_number_mismatch(scores: np.ndarray, queries: list[str], choices: list[str]) -> np.ndarray:
    """`die hard` is not `die hard 2`; identical keys score 100 whatever the scorers say."""
    query_codes, choice_codes = _shared_codes([_numbers(q) for q in queries], [_numbers(c) for c in choices])
    scores[np.not_equal.outer(query_codes, choice_codes)] = 0.0
    query_codes, choice_codes = _shared_codes(queries, choices)
    scores[np.equal.outer(query_codes, choice_codes)] = 100.0
    return scores


def _shared_codes(left: list[str], right: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for strings, shared by both lists, so comparisons run in numpy."""
    codes, _ = pd.factorize(pd.Series(left + right, dtype=object))
    return codes[: len(left)], codes[len(left):]


def _numbers(key: str) -> str:
    return " ".join(sorted(set(re.findall(r"\b\d+\b", key))))


# ---------------------------------------------------------------- decisions

CANDIDATE_MIN = 75.0  # title likeness below this is not worth listing
MATCH_MIN = 88.0  # title likeness a match must reach
CLOSE = 2.0  # titles this close in likeness are the same title (remakes)
MAX_CANDIDATES = 5
IDS_TITLE_MIN = 95.0  # script_ids titles are IMSDb titles, so only a near-identical one counts
HINT_WINDOW = (-1, 4)  # film year − title-page year: drafts precede release by up to a few years

Status = Literal["matched", "ambiguous", "unmatched"]
# Evidence that picks among films sharing a title, most direct first: the script's own title
# page (writers, then date), then script_ids (another project's year for this IMSDb title,
# sometimes the other version), then whether the film has budget and gross to learn from.
EVIDENCE = ("writers", "title_page_year", "script_ids_year", "budget_and_gross")


@dataclass
class MatchDecision:
    script_title: str
    status: Status
    film_id: str | None
    score: float
    year_hint: int | None
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""


@dataclass
class _Index:
    """Film title keys and script_ids years, built once for a batch."""

    films: pd.DataFrame
    keys: list[str]
    key_films: list[np.ndarray]  # film rows known under each key
    ids_years: dict[str, list[int]]


def match_script(script_title: str, films: pd.DataFrame, script_ids: pd.DataFrame,
                 year_hint: int | None = None, writers: list[str] | None = None) -> MatchDecision:
    """The film a script belongs to, or why none could be chosen.

    `year_hint` is a year from the script's title page; `writers` are names from its title
    page or IMSDb footer, compared with the film's writer and director when the tables have them.
    """
    return match_scripts([(script_title, year_hint, writers or [])], films, script_ids)[0]


def match_scripts(items: list[tuple], films: pd.DataFrame, script_ids: pd.DataFrame) -> list[MatchDecision]:
    """`match_script` for many `(title, year_hint)` or `(title, year_hint, writers)`; the index is built once."""
    index = _build_index(films, script_ids)
    items = [_unpack(item) for item in items]
    queries = [normalize_title(title) for title, _, _ in items]
    scores = similarity_matrix(queries, index.keys)
    ids_years = _ids_years(queries, index)
    return [
        _decide(title, query, hint, writers, row, years, index)
        for (title, hint, writers), query, row, years in zip(items, queries, scores, ids_years)
    ]


def _unpack(item: tuple) -> tuple[str, int | None, list[str]]:
    if not isinstance(item, tuple) or len(item) not in (2, 3) or not isinstance(item[0], str):
        raise ValueError(f"each item must be (title, year_hint) or (title, year_hint, writers), got {item!r}")
    title, hint = item[0], item[1]
    writers = list(item[2]) if len(item) == 3 and item[2] else []
    return title, int(hint) if hint is not None else None, writers


def _build_index(films: pd.DataFrame, script_ids: pd.DataFrame) -> _Index:
    missing = {"film_id", "title", "year", "production_budget_usd", "worldwide_gross_usd"} - set(films.columns)
    if missing:
        raise ValueError(f"the film table lacks the columns {sorted(missing)}; build it with reelcast.films.build_films")
    films = films.reset_index(drop=True)
    titles = films["title"].astype(str)
    if "alt_titles" in films:
        titles = titles + "|" + films["alt_titles"].fillna("").astype(str)
    pairs = pd.DataFrame({"film": films.index, "title": titles.str.split("|")}).explode("title")
    pairs = pairs[pairs["title"].str.strip() != ""]
    pairs["key"] = pairs["title"].map(normalize_title)
    grouped = pairs.drop_duplicates(["key", "film"]).groupby("key")["film"].apply(np.asarray)
    ids = script_ids.dropna(subset=["title", "year"])
    ids_years = ids.assign(key=ids["title"].astype(str).map(normalize_title)).groupby("key")["year"].apply(
        lambda years: sorted(int(y) for y in years))
    return _Index(films=films, keys=grouped.index.tolist(), key_films=grouped.tolist(), ids_years=ids_years.to_dict())


def _ids_years(queries: list[str], index: _Index) -> list[list[int]]:
    """Release years script_ids gives for each query's best-matching IMSDb title (if close enough)."""
    keys = list(index.ids_years)
    # Plain edit likeness only: a subset (`planet of apes` in `war for planet of apes`) is another film.
    scores = process.cdist(queries, keys, scorer=fuzz.ratio, workers=1)
    _zero_on_number_mismatch(scores, queries, keys)
    years = []
    for row in scores:
        best = row.max(initial=0.0)
        close = np.flatnonzero(row >= best) if best >= IDS_TITLE_MIN else []
        years.append(sorted({year for at in close for year in index.ids_years[keys[at]]}))
    return years


def _decide(title: str, query: str, hint: int | None, writers: list[str], key_scores: np.ndarray,
            ids_years: list[int], index: _Index) -> MatchDecision:
    candidates = _candidates(hint, writers, key_scores, ids_years, index)
    if not candidates:
        return MatchDecision(title, "unmatched", None, 0.0, hint, [],
                             f"no film title is within {CANDIDATE_MIN:.0f}/100 of '{query}'")
    best = candidates[0]
    if best["title_score"] < MATCH_MIN:
        return MatchDecision(title, "unmatched", None, best["title_score"], hint, candidates,
                             f"closest title {best['title']} ({best['year']}) is only {best['title_score']:.0f}/100 alike")
    if _contradicted(best):
        return MatchDecision(title, "unmatched", None, best["title_score"], hint, candidates,
                             f"{best['title']} ({best['year']}) has the title, but {best['evidence']}: "
                             "the script is another film of that name, absent from the tables")
    same_title = [c for c in candidates[1:] if best["title_score"] - c["title_score"] < CLOSE]
    tied = [c for c in same_title if _rank(c) == _rank(best)]
    if tied:
        return MatchDecision(title, "ambiguous", None, best["title_score"], hint, candidates,
                             f"{best['title']} ({best['year']}) and {tied[0]['title']} ({tied[0]['year']}) "
                             f"share the title and nothing tells them apart ({best['evidence']})")
    reason = f"{best['title']} ({best['year']}): {best['evidence']}"
    if same_title:
        runner_up = same_title[0]
        reason += f"; preferred to {runner_up['title']} ({runner_up['year']}) on {_deciding(best, runner_up)}"
    return MatchDecision(title, "matched", best["film_id"], best["title_score"], hint, candidates, reason)


def _candidates(hint: int | None, writers: list[str], key_scores: np.ndarray, ids_years: list[int],
                index: _Index) -> list[dict]:
    best_title_score: dict[int, float] = {}
    for key_at in np.flatnonzero(key_scores >= CANDIDATE_MIN):
        for film in index.key_films[key_at]:
            best_title_score[film] = max(best_title_score.get(film, 0.0), float(key_scores[key_at]))
    scored = [_describe(index.films.iloc[film], title_score, hint, writers, ids_years)
              for film, title_score in best_title_score.items()]
    # Among films with (nearly) the same title, evidence decides; otherwise the closer title wins.
    top = max((c["title_score"] for c in scored), default=0.0)
    scored.sort(key=lambda c: (c["title_score"] >= top - CLOSE, _rank(c), c["title_score"], c["film_id"]),
                reverse=True)
    return scored[:MAX_CANDIDATES]


def _rank(candidate: dict) -> tuple[int, ...]:
    """Evidence as a sortable tuple. Writers count only against a film: a remake credits the
    original's writer (`Dawn of the Dead` 2004 lists Romero), so agreement proves nothing."""
    return tuple(min(candidate[name], 0) if name == "writers" else candidate[name] for name in EVIDENCE)


def _contradicted(candidate: dict) -> bool:
    """The title page names other writers and nothing else vouches for this film."""
    return candidate["writers"] < 0 and candidate["title_page_year"] <= 0 and candidate["script_ids_year"] <= 0


def _deciding(best: dict, other: dict) -> str:
    for name in EVIDENCE:
        if best[name] != other[name]:
            return name.replace("_", " ")
    return "title likeness"


def _describe(film: pd.Series, title_score: float, hint: int | None, writers: list[str],
              ids_years: list[int]) -> dict:
    year = int(film["year"])
    evidence = {
        "writers": _writer_evidence(film, writers),
        "title_page_year": _hint_evidence(year, hint),
        "script_ids_year": 0 if not ids_years else (1 if any(abs(year - y) <= 1 for y in ids_years) else -1),
        "budget_and_gross": int(pd.notna(film["production_budget_usd"]) and pd.notna(film["worldwide_gross_usd"])),
    }
    return {"film_id": film["film_id"], "title": film["title"], "year": year, "title_score": round(title_score, 1),
            "has_budget_and_gross": bool(evidence["budget_and_gross"]), **evidence,
            "evidence": _evidence_sentence(title_score, hint, ids_years, evidence)}


def _hint_evidence(year: int, hint: int | None) -> int:
    """+1 the draft date fits the release; −1 dated after release (a transcript?); −2 far too early."""
    if hint is None:
        return 0
    gap = year - hint
    if HINT_WINDOW[0] <= gap <= HINT_WINDOW[1]:
        return 1
    return -1 if gap < HINT_WINDOW[0] else -2


def _writer_evidence(film: pd.Series, writers: list[str]) -> int:
    """+1 a title-page surname is the film's writer's or director's, −1 none is, 0 unknown."""
    credited = {_surname(str(film[c])) for c in ("writer", "director") if c in film and pd.notna(film[c])}
    named = {_surname(name) for name in writers}
    credited.discard("")
    named.discard("")
    if not credited or not named:
        return 0
    return 1 if any(_same_surname(n, c) for n in named for c in credited) else -1


def _surname(name: str) -> str:
    words = normalize_title(name).split()
    return words[-1] if words else ""


def _same_surname(named: str, credited: str) -> bool:
    """Equal, or a cut-off form of it: parsed footers truncate names (`Lawrence Kasda`)."""
    return named == credited or (len(named) >= 5 and credited.startswith(named))


def _evidence_sentence(title_score: float, hint: int | None, ids_years: list[int], evidence: dict) -> str:
    words = {1: "agree", 0: "unknown", -1: "disagree", -2: "disagree"}
    parts = [f"title {title_score:.0f}/100"]
    if evidence["writers"]:
        parts.append(f"title-page writers {words[evidence['writers']]}")
    if hint is not None:
        parts.append(f"title-page year {hint} {'fits' if evidence['title_page_year'] > 0 else 'does not fit'}")
    if ids_years:
        years = "/".join(map(str, ids_years))
        parts.append(f"script_ids year {years} {'agrees' if evidence['script_ids_year'] > 0 else 'disagrees'}")
    parts.append("budget and gross known" if evidence["budget_and_gross"] else "budget or gross missing")
    return ", ".join(parts)
