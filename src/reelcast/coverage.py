"""The coverage report as data: what a reader's coverage says, built only from measured numbers.

Everything here is either parsed from the script (scene counts, who speaks where, content words),
compared with the training corpus (percentiles of the same registry features over the produced
scripts the model learned from), or read from the model (forecast, break-even odds). Strengths
and risks are generated from those numbers by fixed rules; each names its basis ("parse",
"corpus", "model") and cites only scenes and characters that exist in the parse. Nothing is said
about plot: the parse does not know it.

The verdict compares the script's break-even probability with the model's forecasts for the
training corpus (docs/decisions/005-verdict-calibration.md): `recommend` for the top ~15% when
the gross forecast is above the corpus median and no risk is severe, `pass` for the bottom ~40%,
`consider` otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from reelcast import explain as explain_module
from reelcast import features, outline
from reelcast.features import FEATURES, GENRE_TAGS
from reelcast.model import genre_tag_matrix
from reelcast.outline import clipped, sentence_at
from reelcast.screenplay import Scene, Screenplay
from reelcast.service import MIN_WORDS_FOR_FORECAST

TOP_CHARACTERS = 25
PRESENCE_CHARACTERS = 12
MAX_FINDINGS = 8
MAX_CITED_SCENES = 5
SHORT_FEATURE_PAGES = 80  # below this a script is short for a feature film (about 80 minutes)
# Act breaks at a quarter and three quarters of the pages: the common three-act rule of thumb.
ACT_BREAK_POSITIONS = (0.25, 0.75)
# Verdict bands, as quantiles of the model's break-even forecasts over the training corpus.
PASS_BELOW_QUANTILE = 0.40
RECOMMEND_FROM_QUANTILE = 0.85
VERDICTS = ("pass", "consider", "recommend")
CONTENT_LEVEL_PERCENTILES = ((50, "mild"), (85, "moderate"), (101, "strong"))


# ----------------------------------------------------------------------------- findings


@dataclass
class Finding:
    """One strength or risk: a sentence of numbers, the scenes that show it, and where it comes from."""

    kind: str                                    # strength | risk
    text: str
    basis: str                                   # parse | corpus | model
    scenes: list[Scene] = field(default_factory=list)
    weight: float = 0.0                          # how far from typical: orders the list
    severe: bool = False                         # a severe risk rules out `recommend`

    def as_dict(self) -> dict:
        cited = self.scenes[:MAX_CITED_SCENES]
        return {"text": self.text, "basis": self.basis, "severe": self.severe,
                "scenes": [s.number for s in cited],
                "evidence": [{"scene": s.number, "heading": s.heading} for s in cited]}


# ----------------------------------------------------------------------------- corpus comparisons


class Corpus:
    """The training scripts' features and the model's forecasts for them, computed once per service."""

    def __init__(self, service):
        corpus, forecaster = service.corpus, service.forecaster
        self.size = len(corpus["gross"])
        self.columns = {name: corpus["features"][:, i] for i, name in enumerate(forecaster.feature_names)}
        # The corpus inputs carry out-of-fold text scores, so these forecasts are close to what the
        # model says about scripts it has not seen; the verdict bands are quantiles of them. A script
        # without the footer is ranked among the corpus as its heads see it: genre tags read from the
        # words (out of fold), through the heads for such tags; their forecasts spread less.
        modes = (("script", None), ("given", corpus["budget"]))
        self.forecasts = {(source, mode): forecaster.heads[source].predict(inputs, budget)
                          for source, inputs in service.corpus_inputs.items() for mode, budget in modes}

    def share_below(self, name: str, value: float) -> float:
        return float(np.mean(self.columns[name] < value))

    def share_above(self, name: str, value: float) -> float:
        return float(np.mean(self.columns[name] > value))

    def percentile(self, name: str, value: float) -> int:
        column = self.columns[name]
        return int(round(100 * (np.sum(column < value) + 0.5 * np.sum(column == value)) / len(column)))

    def forecast_percentile(self, reference: tuple[str, str], key: str, value: float) -> int:
        column = self.forecasts[reference][key]
        return int(round(100 * np.mean(column < value)))

    def thresholds(self, reference: tuple[str, str]) -> dict:
        """The verdict bands among the corpus forecasts of one (genre source, budget mode)."""
        p = self.forecasts[reference]["p_break_even"]
        return {"pass_below": round(float(np.quantile(p, PASS_BELOW_QUANTILE)), 4),
                "recommend_from": round(float(np.quantile(p, RECOMMEND_FROM_QUANTILE)), 4),
                "median_p_break_even": round(float(np.median(p)), 4),
                "median_gross_usd": round(float(np.exp(np.median(self.forecasts[reference]["log_gross"]))), -3)}


def corpus_for(service) -> Corpus:
    """The service's `Corpus`, built on first use and kept on the service (the model never changes under it)."""
    cached = getattr(service, "_coverage_corpus", None)
    if cached is None:
        cached = Corpus(service)
        service._coverage_corpus = cached
    return cached


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _money(usd: float) -> str:
    return f"${usd / 1e6:,.1f}M" if usd >= 1e6 else f"${usd:,.0f}"


def _pages(pages: float) -> str:
    return f"{pages:.0f} page{'' if round(pages) == 1 else 's'}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rank(pct: int) -> str:
    """'higher than 78%' or 'lower than 80%': the larger side of a percentile, in words ('lower than
    every one' at the end of the range, never 'lower than 100%')."""
    if pct >= 100 or pct <= 0:
        return f"{'higher' if pct >= 100 else 'lower'} than every one"
    return f"higher than {pct}%" if pct >= 50 else f"lower than {100 - pct}%"


def _of_corpus(share: float) -> str:
    """'97% of produced scripts', or 'every produced script' when the rounded share is 100%."""
    return "every produced script" if share >= 0.995 else f"{_pct(share)} of produced scripts"


# ----------------------------------------------------------------------------- the parse, summarised


def listed_scenes(sp: Screenplay) -> list[Scene]:
    """Every parsed scene with content, the text before the first heading included: whatever the
    report cites (content flags, a character's first scene, the explanation's evidence) is listed.
    The `scenes` feature leaves that opening out, so it can be one lower than the list."""
    return [s for s in sp.scenes if s.elements]


def title_of(sp: Screenplay) -> str:
    return (sp.title or sp.title_page.get("title") or "").strip() or "Untitled"


# The report's names for the model's genre sources (model.GENRE_SOURCES)
GENRE_SOURCE_NAMES = {"footer": "tags", "words": "text"}


def genres_of(sp: Screenplay, script, forecaster) -> tuple[list[str], str]:
    """The genres the forecast used: IMSDb's tags when the model reads them; else the footer's own tags
    (if any, none of them one the model knows) and then the tags the model reads from the words (the
    probabilities its forecast and explanation use): those more likely than not, or the likeliest one."""
    if script.genre_source == "footer":
        return list(sp.genres), GENRE_SOURCE_NAMES["footer"]
    probs = genre_tag_matrix(script.stacked, forecaster.feature_names)[0]  # as imputed for the forecast
    ranked = np.argsort(-probs, kind="stable")
    likely = [i for i in ranked if probs[i] >= 0.5] or list(ranked[:1])
    return list(sp.genres) + [f"{GENRE_TAGS[i]} (from the text)" for i in likely], GENRE_SOURCE_NAMES["words"]


@dataclass
class SceneTable:
    """The listed scenes with their words, pages and starting page, measured once per report."""

    scenes: list[Scene]
    words: list[int]
    pages: list[float]               # estimated pages, in the same standard format as the `pages` feature
    start_pages: list[float]         # 1-based page on which each scene starts

    @classmethod
    def of(cls, sp: Screenplay) -> "SceneTable":
        scenes = listed_scenes(sp)
        pages = [features.estimated_pages(Screenplay(scenes=[scene])) for scene in scenes]
        starts = np.concatenate([[0.0], np.cumsum(pages)[:-1]]) + 1 if scenes else np.zeros(0)
        return cls(scenes, [s.words for s in scenes], pages, [float(p) for p in starts])

    def longest(self, n: int) -> list[Scene]:
        order = sorted(range(len(self.scenes)), key=lambda i: -self.words[i])
        return [self.scenes[i] for i in order[:n]]


def _words_by_kind(sp: Screenplay) -> Counter[str]:
    counts: Counter[str] = Counter()
    for element in sp.elements:
        counts[element.kind] += len(element.text.split())
    return counts


def stats_of(sp: Screenplay, table: SceneTable, values: dict[str, float], characters: list[dict]) -> dict:
    words = _words_by_kind(sp)
    return {"pages": int(round(values["pages"])), "scenes": len(table.scenes),
            "words": int(values["words"]), "runtime_min": int(round(values["runtime_minutes"])),
            "speaking_characters": len(characters), "locations": int(values["distinct_locations"]),
            "dialogue_words": words["dialogue"], "action_words": words["action"],
            "dialogue_share": round(values["dialogue_share"], 3)}


def _place(scene: Scene) -> str:
    return (scene.location or "").split(" - ")[0].strip().upper()


def act_estimate(table: SceneTable) -> list[dict]:
    """Acts 1-3 split at 25% and 75% of the pages, snapped to the nearest scene start.

    A rule-of-thumb estimate from page positions only; it does not read the story.
    """
    scenes, n = table.scenes, len(table.scenes)
    if n < 3:
        return []
    starts = np.asarray(table.start_pages) - 1
    total = float(sum(table.pages))
    breaks: list[int] = []
    for position in ACT_BREAK_POSITIONS:
        nearest = int(np.argmin(np.abs(starts - position * total)))
        breaks.append(min(max(nearest, breaks[-1] + 1 if breaks else 1), n - 1))
    if breaks[1] <= breaks[0]:
        return []
    bounds = [0, *breaks, n]
    return [{"act": act + 1, "start_scene": scenes[bounds[act]].number,
             "end_scene": scenes[bounds[act + 1] - 1].number,
             "start_page": round(table.start_pages[bounds[act]], 1)} for act in range(3)]


def structure_of(table: SceneTable, values: dict[str, float], acts: list[dict]) -> dict:
    places = Counter(p for p in map(_place, table.scenes) if p)
    return {
        "int_share": round(values["int_share"], 3), "ext_share": round(values["ext_share"], 3),
        "day_share": round(values["day_share"], 3), "night_share": round(values["night_share"], 3),
        "distinct_locations": int(values["distinct_locations"]),
        "top_locations": [{"location": place, "scenes": n} for place, n in places.most_common(8)],
        "acts": acts,
        "act_breaks": [{"act": a["act"], "scene": a["start_scene"], "page": a["start_page"]} for a in acts[1:]],
        "act_method": "estimate: 25% and 75% of the pages, snapped to the nearest scene start",
    }


def scene_rows(table: SceneTable) -> list[dict]:
    return [{"number": s.number, "heading": s.heading, "int_ext": s.int_ext, "time_of_day": s.time_of_day,
             "light": s.light, "location": s.location, "characters": s.characters, "words": words, "page": round(start, 1)}
            for s, words, start in zip(table.scenes, table.words, table.start_pages)]


def presence_of(table: SceneTable, characters: list[dict]) -> dict:
    names = [c["name"] for c in characters[:PRESENCE_CHARACTERS]]
    speaking = [set(s.characters) for s in table.scenes]
    return {"characters": names, "scenes": [s.number for s in table.scenes],
            "matrix": [[int(name in present) for present in speaking] for name in names]}


def pacing_of(table: SceneTable, values: dict[str, float]) -> dict:
    words = table.words or [0]
    return {"scene_words": table.words, "scene_pages": [round(p, 2) for p in table.pages],
            "mean_words": round(float(np.mean(words)), 1), "median_words": float(median(words)),
            "short_scene_share": round(values["short_scene_share"], 3),
            "scenes_per_page": round(values["scenes_per_page"], 3),
            "longest": [{"scene": s.number, "heading": s.heading, "words": s.words} for s in table.longest(3)]}


def balance_of(values: dict[str, float], stats: dict, characters: list[dict]) -> dict:
    return {"dialogue_share": round(values["dialogue_share"], 3), "action_share": round(values["action_share"], 3),
            "dialogue_words": stats["dialogue_words"], "action_words": stats["action_words"],
            "lead_line_share": round(values["lead_line_share"], 3),
            "top5_line_share": round(values["top5_line_share"], 3),
            "lead": characters[0]["name"] if characters else None}


def arc_of(sp: Screenplay, table: SceneTable, acts: list[dict]) -> dict:
    """The emotional arc, each point tied to the scene at that share of the script's words."""
    values = features.emotional_arc(sp)
    ends = np.cumsum(table.words) if table.scenes else np.zeros(0)
    total = float(ends[-1]) if len(ends) else 0.0
    points = []
    for i, value in enumerate(values):
        position = (i + 0.5) / len(values)
        index = min(int(np.searchsorted(ends, position * total)), len(table.scenes) - 1) if total else 0
        points.append({"scene": table.scenes[index].number if table.scenes else None,
                       "position": round(position, 3), "sentiment": round(value, 3)})
    scores = features.arc_shape_scores(values)
    return {"shape": features.arc_shape(values), "shape_scores": {k: round(v, 3) for k, v in scores.items()},
            "points": points, "acts": acts,
            "method": "VADER sentiment of speeches and action, smoothed over a fifth of the script"}


def content_of(flags: dict[str, dict], corpus: Corpus) -> dict:
    rows = []
    for category, flag in flags.items():
        rate = flag["per_1000_words"]
        pct = corpus.percentile(f"{category}_per_1000", rate)
        level = next(label for limit, label in CONTENT_LEVEL_PERCENTILES if pct < limit) if flag["count"] else "none"
        top = sorted(flag["scenes"], key=lambda hit: -hit["count"])[:MAX_CITED_SCENES]
        rows.append({"category": category, "label": FEATURES[f"{category}_per_1000"].meaning,
                     "level": level, "count": flag["count"], "per_1000_words": round(rate, 2),
                     "corpus_percentile": pct, "scenes": [hit["scene"] for hit in flag["scenes"]],
                     "citations": [{"scene": h["scene"], "heading": h["heading"], "count": h["count"],
                                    "terms": h["terms"]} for h in top]})
    return {"mpaa_estimate": features.mpaa_signal(flags),
            "mpaa_note": "a rule of thumb from content words, not an MPA rating", "flags": rows}


# ----------------------------------------------------------------------------- strengths and risks


@dataclass
class Facts:
    """What the rules read, gathered once."""

    sp: Screenplay
    table: SceneTable
    values: dict[str, float]
    characters: list[dict]
    flags: dict[str, dict]
    mpaa: str
    prediction: dict
    mode: str                                    # budget mode: "script" or "given"
    source: str                                  # genre source: "footer" or "words" (model.GENRE_SOURCES)
    corpus: Corpus

    @property
    def reference(self) -> tuple[str, str]:
        """Which corpus forecasts this script is ranked among."""
        return self.source, self.mode

    @property
    def scenes(self) -> list[Scene]:
        return self.table.scenes

    def scene(self, number: int) -> Scene | None:
        return next((s for s in self.scenes if s.number == number), None)

    def scenes_numbered(self, numbers) -> list[Scene]:
        return [s for s in (self.scene(n) for n in numbers) if s is not None]


def _strength(text: str, basis: str, weight: float, scenes: list[Scene] | None = None) -> Finding:
    return Finding("strength", text, basis, scenes or [], weight)


def _risk(text: str, basis: str, weight: float, scenes: list[Scene] | None = None, severe: bool = False) -> Finding:
    return Finding("risk", text, basis, scenes or [], weight, severe)


def length_findings(f: Facts) -> list[Finding]:
    words, pages = f.values["words"], f.values["pages"]
    if words < MIN_WORDS_FOR_FORECAST:
        return [_risk(f"a fragment: {words:,.0f} words (about {_pages(pages)}), under the {MIN_WORDS_FOR_FORECAST:,} "
                      "words of a feature script, so the forecast describes an average film, not this one",
                      "parse", 2.0, severe=True)]
    longer, shorter = f.corpus.share_below("pages", pages), f.corpus.share_above("pages", pages)
    if pages < SHORT_FEATURE_PAGES:
        compared = f", shorter than {_of_corpus(shorter)} in the corpus" if shorter >= 0.5 else ""
        return [_risk(f"short for a feature: {_pages(pages)}, under {SHORT_FEATURE_PAGES}{compared}",
                      "corpus" if compared else "parse", max(shorter, 0.5))]
    if shorter >= 0.7 and pages >= 85:
        return [_strength(f"lean: {pages:.0f} pages, shorter than {_of_corpus(shorter)} in the corpus",
                          "corpus", shorter)]
    if longer >= 0.85:
        return [_risk(f"long: {pages:.0f} pages (about {pages:.0f} minutes at a minute a page), longer than "
                      f"{_of_corpus(longer)} in the corpus", "corpus", longer)]
    return []


def lead_findings(f: Facts) -> list[Finding]:
    if not f.characters:
        return []
    lead, share = f.characters[0], f.values["lead_line_share"]
    total = sum(c["lines"] for c in f.characters)
    spoken_in = [s for s in f.scenes if lead["name"] in s.characters]
    said = (f"{lead['name']} speaks {_pct(share)} of all lines ({lead['lines']} of {total}), "
            f"first in scene {lead['first_scene']}")
    above = f.corpus.share_below("lead_line_share", share)
    if above >= 0.75 and lead["lines"] >= 10:
        return [_strength(f"a central role: {said}; a bigger lead share than in {_of_corpus(above)}",
                          "corpus", above, spoken_in)]
    below = f.corpus.share_above("lead_line_share", share)
    if below >= 0.85 and len(f.characters) >= 8:
        return [_risk(f"no dominant role: the biggest part, {said}; a smaller lead share "
                      f"than in {_of_corpus(below)}", "corpus", below, spoken_in)]
    return []


def cast_findings(f: Facts) -> list[Finding]:
    n = f.values["speaking_characters"]
    crowded = sorted(f.scenes, key=lambda s: -len(s.characters))[:3]
    more = f.corpus.share_below("speaking_characters", n)
    if more >= 0.9:
        return [_risk(f"large speaking cast: {n:.0f} speaking roles, more than {_of_corpus(more)}; "
                      f"up to {len(crowded[0].characters)} speak in one scene", "corpus", more, crowded)]
    fewer = f.corpus.share_above("speaking_characters", n)
    if fewer >= 0.8 and n >= 2:
        return [_strength(f"contained cast: {n:.0f} speaking roles, fewer than {_of_corpus(fewer)}",
                          "corpus", fewer)]
    return []


def location_findings(f: Facts) -> list[Finding]:
    n = f.values["distinct_locations"]
    places = Counter(p for p in map(_place, f.scenes) if p)
    if not places:
        return []
    place, count = places.most_common(1)[0]
    at_place = [s for s in f.scenes if _place(s) == place]
    fewer = f.corpus.share_above("distinct_locations", n)
    if fewer >= 0.75:
        return [_strength(f"few locations: {n:.0f} distinct places in the scene headings, fewer "
                          f"than {_of_corpus(fewer)}; {count} scenes at {place}", "corpus", fewer, at_place)]
    more = f.corpus.share_below("distinct_locations", n)
    if more >= 0.85:
        return [_risk(f"many locations: {n:.0f} distinct places in the scene headings, more than "
                      f"{_of_corpus(more)}", "corpus", more)]
    return []


def production_findings(f: Facts) -> list[Finding]:
    found = []
    night = [s for s in f.scenes if s.light == "night"]
    night_exteriors = [s for s in night if "EXT" in (s.int_ext or "").upper()]
    more = f.corpus.share_below("night_share", f.values["night_share"])
    if more >= 0.85 and night:
        found.append(_risk(f"night-heavy: {len(night)} night scenes ({_pct(f.values['night_share'])} of scenes, "
                           f"{len(night_exteriors)} of them exterior), more than {_of_corpus(more)}; "
                           "night work is often costlier to shoot", "corpus", more, night_exteriors or night))
    rate = f.values["spectacle_per_1000"]
    more = f.corpus.share_below("spectacle_per_1000", rate)
    if more >= 0.85 and rate > 0:
        found.append(_risk(f"big-budget demands: {rate:.1f} spectacle words per 1,000 (explosions, helicopters, crashes, "
                           f"armies), more than {_of_corpus(more)}", "corpus", more))
    return found


def pacing_findings(f: Facts) -> list[Finding]:
    value = f.values["scene_words_median"]
    longest = f.table.longest(3)
    longer = f.corpus.share_below("scene_words_median", value)
    if longer >= 0.9:
        return [_risk(f"long scenes: the median scene runs {value:.0f} words, longer than in {_of_corpus(longer)}; "
                      f"the longest, scene {longest[0].number}, runs {longest[0].words} words",
                      "corpus", longer, longest)]
    shorter = f.corpus.share_above("scene_words_median", value)
    if shorter >= 0.85 and len(f.scenes) >= 20:
        return [_strength(f"quick cutting: the median scene runs {value:.0f} words, shorter "
                          f"than in {_of_corpus(shorter)}", "corpus", shorter)]
    return []


def _cited(f: Facts, category: str) -> tuple[str, list[Scene]]:
    hits = sorted(f.flags[category]["scenes"], key=lambda h: -h["count"])[:3]
    scenes = f.scenes_numbered(sorted(h["scene"] for h in hits))
    return ", ".join(str(s.number) for s in scenes), scenes


def content_findings(f: Facts) -> list[Finding]:
    flags, found = f.flags, []
    if flags["profanity_severe"]["count"] >= 5:
        where, scenes = _cited(f, "profanity_severe")
        found.append(_risk(f"R-rated language: {flags['profanity_severe']['count']} uses of the f-word family "
                           f"(most in scenes {where})", "parse", 0.95, scenes))
    for category, label in (("violence", "violence"), ("sexual", "sexual content"), ("drugs", "drug content")):
        rate = flags[category]["per_1000_words"]
        more = f.corpus.share_below(f"{category}_per_1000", rate)
        if flags[category]["count"] and more >= 0.9:
            where, scenes = _cited(f, category)
            found.append(_risk(f"heavy {label}: {flags[category]['count']} {category} words ({rate:.1f} per 1,000), "
                               f"more than {_of_corpus(more)} (most in scenes {where})", "corpus", more, scenes))
    if f.mpaa in ("G", "PG") and f.values["words"] >= MIN_WORDS_FOR_FORECAST:
        total = sum(flag["count"] for flag in flags.values())
        found.append(_strength(f"wide-audience content: estimated rating {f.mpaa} (rule of thumb), {total} "
                               "content words in all and none from the f-word family", "parse", 0.8))
    return found


def forecast_findings(f: Facts) -> list[Finding]:
    p = f.prediction["p_break_even"]
    gross = f.prediction["worldwide_gross_usd"]["estimate"]
    bands = f.corpus.thresholds(f.reference)
    found = []
    pct = f.corpus.forecast_percentile(f.reference, "p_break_even", p)
    said = (f"break-even probability {p:.2f}, {_rank(pct)} of the model's forecasts for the "
            f"{f.corpus.size} corpus scripts (median {bands['median_p_break_even']:.2f})")
    if pct >= 60:
        found.append(_strength(said, "model", pct / 100))
    elif pct < 40:
        found.append(_risk(said, "model", 1 - pct / 100))
    pct = f.corpus.forecast_percentile(f.reference, "log_gross", float(np.log(max(gross, 1.0))))
    said = (f"forecast worldwide gross {_money(gross)}, {_rank(pct)} of the model's forecasts for the corpus "
            f"(median {_money(bands['median_gross_usd'])})")
    if pct >= 75:
        found.append(_strength(said, "model", pct / 100))
    elif pct <= 25:
        found.append(_risk(said, "model", 1 - pct / 100))
    return found + budget_findings(f)


def budget_findings(f: Facts) -> list[Finding]:
    if f.mode != "given":
        return []
    planned, implied = f.prediction["budget_used_usd"], f.prediction["production_budget_usd"]
    span = f"{_money(implied['low'])}–{_money(implied['high'])}"
    if planned > implied["high"]:
        return [_risk(f"the planned budget {_money(planned)} is above the 80% range the script implies ({span})",
                      "model", 0.9)]
    if planned < implied["low"]:
        return [_risk(f"the planned budget {_money(planned)} is below the 80% range the script implies ({span}): "
                      "scripts like this usually cost more", "model", 0.9)]
    return []


def parse_findings(f: Facts) -> list[Finding]:
    return [_risk(f"the parse was unsure: {warning}", "parse", 1.5, severe="no character cues" in warning)
            for warning in f.sp.warnings]


RULES = (length_findings, parse_findings, content_findings)
# Counts such as cast size grow with length, and a fragment's forecast is an average film's: compared
# with feature scripts these only mean something for a feature-length script.
FEATURE_LENGTH_RULES = (forecast_findings, lead_findings, cast_findings)
# These read the scene headings; when the parser warns about the headings, they would only echo it.
SCENE_RULES = (location_findings, production_findings, pacing_findings)


def findings(f: Facts) -> tuple[list[Finding], list[Finding]]:
    """(strengths, risks), the most atypical first, severe risks always kept."""
    feature_length = f.values["words"] >= MIN_WORDS_FOR_FORECAST
    rules = RULES + (FEATURE_LENGTH_RULES if feature_length else ()) \
        + (SCENE_RULES if feature_length and not f.sp.warnings else ())
    every = [finding for rule in rules for finding in rule(f)]
    ranked = sorted(every, key=lambda x: (-x.severe, -x.weight))
    strengths = [x for x in ranked if x.kind == "strength"][:MAX_FINDINGS]
    risks = [x for x in ranked if x.kind == "risk"][:MAX_FINDINGS]
    return strengths, risks


# ----------------------------------------------------------------------------- verdict


def verdict_of(f: Facts, risks: list[Finding]) -> tuple[str, str, dict]:
    """pass / consider / recommend from where the break-even odds fall among the corpus forecasts."""
    bands = f.corpus.thresholds(f.reference)
    p = f.prediction["p_break_even"]
    gross = f.prediction["worldwide_gross_usd"]["estimate"]
    pct = f.corpus.forecast_percentile(f.reference, "p_break_even", p)
    basis = {"p_break_even": p, "p_break_even_percentile": pct, "corpus_scripts": f.corpus.size,
             "budget_mode": f.mode, "genre_source": GENRE_SOURCE_NAMES[f.source], **bands}
    where = f"break-even probability {p:.2f} is at the {_ordinal(pct)} percentile of the corpus forecasts"
    severe = [r for r in risks if r.severe]
    if p < bands["pass_below"]:
        return "pass", f"{where}, below the pass line {bands['pass_below']:.2f} (40th percentile)", basis
    if p >= bands["recommend_from"] and gross >= bands["median_gross_usd"] and not severe:
        return "recommend", (f"{where}, at or above the recommend line {bands['recommend_from']:.2f} (85th percentile), "
                             f"and the gross forecast {_money(gross)} is above the corpus median"), basis
    reason = (f"{where}, between the pass line {bands['pass_below']:.2f} "
              f"and the recommend line {bands['recommend_from']:.2f}")
    if p >= bands["recommend_from"]:
        held = severe[0].text if severe else f"the gross forecast {_money(gross)} is below the corpus median"
        reason = f"{where}, above the recommend line {bands['recommend_from']:.2f}, but held at consider: {held}"
    return "consider", reason, basis


# ----------------------------------------------------------------------------- who is who


def with_introductions(sp: Screenplay, characters: list[dict]) -> list[dict]:
    """The cast rows, each with where the action first names the character in capitals (or None)."""
    found = introductions(sp, [c["name"] for c in characters])
    return [{**c, "introduction": found.get(c["name"])} for c in characters]


def introductions(sp: Screenplay, names: list[str]) -> dict[str, dict]:
    """A screenplay introduces a character by writing the name in capitals in the action, with a
    description: 'MARGARET OKAFOR (60s), wiry, oilskin coat, climbs …'. For each name, the first such
    mention: its scene and its sentence, as a reader's character breakdown quotes it."""
    names = [name for name in names if any(c.isalpha() for c in name)]  # '#2' is no name to find
    if not names:
        return {}
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    # a possessive introduces too ('Close on THEODORE'S face (30s).'); DON in "DON'T" is no name
    pattern = re.compile(rf"(?<![\w'’])({alternatives})(?!\w)(?!['’](?!s\b))", re.I)
    first_words: dict[str, set[str]] = {}
    for name in names:
        first_words.setdefault(name.split()[0], set()).add(name)
    found: dict[str, dict] = {}
    for scene in sp.scenes:
        for index, element in enumerate(scene.elements):
            if element.kind != "action":
                continue
            for match in pattern.finditer(element.text):
                name = match.group(1).upper()
                if name in found or not _in_capitals(match.group(1)):
                    continue
                if name not in first_words.get(_capitals_run_start(element.text, match.start()), {name}):
                    continue  # 'HOLLY GENNARO MCCLANE' introduces Holly, not McClane
                sentence = sentence_at(element.text, match.start())
                if not any(c.islower() for c in sentence):
                    # a shot in capitals ('3  ON JOHN MCCLANE  3'): the action under it describes
                    sentence = _described_shot(sentence, scene.elements[index + 1:index + 2])
                if sentence:
                    found[name] = {"scene": scene.number, "text": sentence}
            if len(found) == len(names):
                return found
    return found


def _in_capitals(written: str) -> bool:
    """'MCCLANE' and 'McCLANE' are a name in capitals; 'McClane' and 'Al' are a name in a sentence."""
    letters = [c for c in written if c.isalpha()]
    lower = sum(c.islower() for c in letters)
    return lower <= 2 and 4 * lower <= len(letters)


_SHOT_NUMBER = re.compile(r"^[\w-]*\d[\w-]*\s+|\s+[\w-]*\d[\w-]*$")


def _described_shot(shot: str, following: list) -> str | None:
    """A shot line in capitals joined to the first sentence of the action under it, or None."""
    if not following or following[0].kind != "action":
        return None
    return clipped(f"{_SHOT_NUMBER.sub('', shot)} — {sentence_at(following[0].text, 0)}")


def _capitals_run_start(text: str, position: int) -> str:
    """The first word of the run of words in capitals that ends at `position` (the name's own first
    word when no capitals precede it)."""
    words = text[:position].split()
    run = []
    for word in reversed(words[-4:]):
        if not (any(c.isalpha() for c in word) and _in_capitals(word)):
            break
        run.append(word)
    return run[-1] if run else text[position:].split()[0].upper()


# ----------------------------------------------------------------------------- the report


def coverage_report(service, script, budget_usd: float | None = None) -> dict:
    """The coverage report (contract fields and the page's extras) for one script's inputs."""
    sp, values = script.screenplay, script.features
    corpus = corpus_for(service)
    explanation = explain_module.explain(service, script, budget_usd)
    table = SceneTable.of(sp)
    characters = script.characters
    flags = script.content_flags
    acts = act_estimate(table)
    stats = stats_of(sp, table, values, characters)
    structure = structure_of(table, values, acts)
    facts = Facts(sp, table, values, characters, flags, features.mpaa_signal(flags), explanation["prediction"],
                  "script" if budget_usd is None else "given", script.genre_source, corpus)
    strengths, risks = findings(facts)
    verdict, reason, basis = verdict_of(facts, risks)
    genres, genre_source = genres_of(sp, script, service.forecaster)
    cast = [c["name"] for c in characters]
    places = [row["location"] for row in structure["top_locations"]]
    beats = outline.outline(table.scenes, table.pages, {a["act"]: a["start_scene"] for a in acts[1:]}, cast)
    return {
        "title": title_of(sp), "writers": list(sp.writers), "source_material": sp.title_page.get("source"),
        "logline": outline.logline(genres, cast, places, outline.abbreviations(sp.scenes, cast)),
        "logline_method": outline.LOGLINE_METHOD,
        "outline": {"beats": [b.as_dict() for b in beats], "method": outline.METHOD},
        "genres": genres, "genre_source": genre_source,
        "stats": stats, "structure": structure,
        "characters": with_introductions(sp, characters[:TOP_CHARACTERS]), "scenes": scene_rows(table),
        "presence": presence_of(table, characters), "pacing": pacing_of(table, values),
        "balance": balance_of(values, stats, characters), "arc": arc_of(sp, table, acts),
        "content_flags": content_of(flags, corpus),
        "prediction": explanation["prediction"], "explanation": explanation,
        "strengths": [s.as_dict() for s in strengths], "risks": [r.as_dict() for r in risks],
        "verdict": verdict, "verdict_reason": reason, "verdict_basis": basis,
    }
