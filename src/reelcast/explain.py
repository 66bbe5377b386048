"""Why this forecast: exact contributions, sentences, comparable titles and evidence from the script.

The heads are linear in log dollars (gross) and log-odds (break-even). In a script-only forecast the
gross and break-even heads read the stacked inputs alone (no budget estimate among them); with a
planned budget, the budget is one more input. Every input has one exact additive term. Terms are turned
into dollars and probability points by sharing the change from the baseline in proportion to the
log terms, which keeps baseline + contributions = prediction exact in the reported units too.
"""

from __future__ import annotations

import math
import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from reelcast import features
from reelcast.features import FEATURES, GENRE_TAGS

TOP_DRIVERS = 8
OPENING = "(the opening, before the first scene heading)"  # scene 1 has no heading when the script opens without one
TOP_COMPARABLES = 8

SCORE_LABELS = {
    "text_log_budget": ("script vocabulary (budget signal)", "how much the script's words resemble those of expensive films"),
    "text_log_gross": ("script vocabulary (gross signal)", "how much the script's words resemble those of high-grossing films"),
    "year_estimate": ("estimated era", "the release era the draft's date or the vocabulary points to"),
    "prior_log_budget": ("genre/length/era prior (budget)", "what films of this genre, length and era cost, across the whole film table"),
    "prior_log_gross": ("genre/length/era prior (gross)", "what films of this genre, length and era gross, across the whole film table"),
    "prior_break_even_logit": ("genre/length/era prior (break-even)", "how often films of this genre, length and era break even, across the whole film table"),
    "comparables_log_budget": ("scripts with similar signals (budget)", "the budget of the ten produced scripts with the closest budget, gross and era signals, weighted by closeness"),
    "comparables_log_gross": ("scripts with similar signals (gross)", "the gross of the ten produced scripts with the closest budget, gross and era signals, weighted by closeness"),
    "comparables_break_even": ("scripts with similar signals (break-even)", "the share of the ten produced scripts with the closest budget, gross and era signals that broke even, weighted by closeness"),
    "log_budget_used": ("planned budget", "the production budget you supplied"),
}
MONEY_INPUTS = ("text_log_budget", "prior_log_budget", "text_log_gross", "prior_log_gross", "comparables_log_budget",
                "comparables_log_gross", "log_budget_used")


# ---------------------------------------------------------------- exact contributions

def _terms(head, X: np.ndarray) -> tuple[float, np.ndarray]:
    """(baseline, per-input terms) of a linear head on one row."""
    return head.intercept, head.contributions(X)[0]


def contributions(service, script, budget_usd: float | None) -> dict:
    """Per input: terms in log dollars / log-odds, and the same shared out in dollars / probability points,
    from the heads that made the script's forecast (those of its genre source)."""
    f = service.forecaster
    S, source = script.stacked, script.genre_source
    heads = f.heads[source].models
    names = [*f.input_names]
    if budget_usd is not None:
        X = np.column_stack([S, [[math.log(budget_usd)]]])
        gross = _terms(heads["log_gross_given"], X)
        even = _terms(heads["break_even_given"], X)
        names.append("log_budget_used")
    else:
        gross = _terms(heads["log_gross_script"], S)
        even = _terms(heads["break_even_script"], S)
    gross_usd = _share(gross[0], gross[1], math.exp)
    even_pts = _share(even[0], even[1], lambda z: 1.0 / (1.0 + math.exp(-z)))
    return {"names": names, "source": source, "log_gross": gross, "logit_break_even": even,
            "gross_usd": gross_usd, "p_break_even": even_pts}


def _share(baseline: float, terms: np.ndarray, link) -> tuple[float, np.ndarray, float]:
    """Split link(baseline + Σterms) − link(baseline) across the terms in proportion to them."""
    total = float(terms.sum())
    start, end = link(baseline), link(baseline + total)
    if abs(total) < 1e-9:
        slope = (link(baseline + 1e-6) - start) / 1e-6
        return start, terms * slope, end
    return start, terms * (end - start) / total, end


# ---------------------------------------------------------------- drivers and sentences

def percentile(service, name: str, value: float, source: str) -> int:
    """Where a script's head input falls among the training scripts' (in the view of its genre source)."""
    if name == "log_budget_used":
        return _percent_below(np.log(service.corpus["budget"]), value)
    corpus = service.corpus_inputs[source]
    column = corpus[:, service.forecaster.input_names.index(name)] if name in service.forecaster.input_names else None
    if column is None or len(column) == 0:
        return 50
    return _percent_below(column, value)


def _percent_below(column: np.ndarray, value: float) -> int:
    return int(round(100.0 * (np.sum(column < value) + 0.5 * np.sum(column == value)) / len(column)))


def band(pct: int) -> str:
    return ("very low" if pct < 10 else "low" if pct < 30 else "typical" if pct <= 70
            else "high" if pct <= 90 else "very high")


def describe_value(name: str, value: float) -> str:
    if name in MONEY_INPUTS:
        return f"${math.exp(value) / 1e6:,.1f}M"
    if name == "comparables_break_even":
        return f"{value:.0%} of them broke even"
    if name.startswith("genre_tag_"):
        return "tagged" if value >= 0.999 else "not tagged" if value <= 0.001 else f"{value:.0%} likely from its words"
    if name == "prior_break_even_logit":
        return f"{1 / (1 + math.exp(-value)):.0%} of such films break even"
    if name == "year_estimate":
        return f"about {int(round(value))}"
    if name == "title_year":  # 0 stands for "no year": never "0.00 year", never "1,995 year"
        return f"{int(round(value))}" if value else "not given"
    if name == "source_credit":
        return "credited" if value >= 0.5 else "none credited"
    feature = FEATURES.get(name)
    unit = f" {feature.unit}" if feature and feature.unit not in ("", "score") and not feature.unit.startswith(("share", "1 = yes")) else ""
    if feature and feature.unit.startswith("share"):
        return f"{value:.0%}"
    return f"{value:,.0f}{unit}" if abs(value) >= 10 else f"{value:,.2f}{unit}"


def label(name: str) -> tuple[str, str]:
    if name in SCORE_LABELS:
        return SCORE_LABELS[name]
    feature = FEATURES[name]
    if name.startswith("genre_tag_"):
        return f"genre: {feature.meaning.replace('IMSDb tags the script as ', '')}", feature.meaning
    if name == "title_year":  # the registry's meaning explains its 0 to an analyst, not to a producer
        return "draft year", "the year the draft is dated, from its title page or revision marks"
    if name == "source_credit":
        return "source material", "a credit for adapted material (a novel, play, story, true events) on the title page"
    return name.replace("_", " "), feature.meaning


def _effect(gross_usd: float, p_points: float) -> str:
    direction = "adds" if gross_usd >= 0 else "takes"
    return (f"In this model it {direction} ${abs(gross_usd) / 1e6:,.1f}M {'to' if gross_usd >= 0 else 'from'} the "
            f"gross forecast and moves the break-even chance {p_points * 100:+.1f} points.")


def sentence(name: str, value: float, pct: int, gross_usd: float, p_points: float, share_with: float | None = None,
             quote: str | None = None) -> str:
    title, meaning = label(name)
    if name == "source_credit":
        quoted = f' ("{quote}")' if value >= 0.5 and quote else ""
        common = f"; {share_with:.0%} of produced scripts in the corpus credit one" if share_with is not None else ""
        return f"Source material: {describe_value(name, value)} on the title page{quoted}{common}. {_effect(gross_usd, p_points)}"
    if name.startswith("genre_tag_"):
        genre = title.replace("genre: ", "")
        common = f" ({share_with:.0%} of produced scripts in the corpus are)" if share_with is not None else ""
        return f"Genre {genre}: {describe_value(name, value)}{common}. {_effect(gross_usd, p_points)}"
    if name == "title_year" and not value:
        return (f"Draft year: not given (no date on the title page or in revision marks), so the era is read from "
                f"the vocabulary. {_effect(gross_usd, p_points)}")
    rank = ("above every produced script in the corpus" if pct >= 100 else "below every produced script in the corpus"
            if pct <= 0 else f"higher than {pct}% of produced scripts in the corpus")
    return (f"{title.capitalize()}: {describe_value(name, value)} ({meaning}), {band(pct)} — "
            f"{rank}. {_effect(gross_usd, p_points)}")


def drivers(service, script, contrib: dict) -> list[dict]:
    names = contrib["names"]
    values = list(script.stacked[0]) + ([contrib["log_budget"]] if "log_budget_used" in names else [])
    gross_usd, p_pts = contrib["gross_usd"][1], contrib["p_break_even"][1]
    order = np.argsort(-np.abs(gross_usd), kind="stable")  # dollars rank the drivers
    out = []
    for i in order[:TOP_DRIVERS]:
        name, value = names[i], float(values[i])
        pct = percentile(service, name, value, contrib["source"])
        # a yes/no input or an absent draft year has no "high" or "low": its band is its state
        stateful = _yes_no(name) or (name == "title_year" and not value)
        shown_band = describe_value(name, value) if stateful else band(pct)
        out.append({"feature": name, "label": label(name)[0], "value": round(value, 4), "percentile": pct,
                    "band": shown_band, "ranked": not stateful,
                    "contribution": {"worldwide_gross_usd": round(float(gross_usd[i]), 2),
                                     "p_break_even": round(float(p_pts[i]), 6)},
                    "sentence": sentence(name, value, pct, float(gross_usd[i]), float(p_pts[i]), _share_tagged(service, name),
                                         script.screenplay.title_page.get("source"))})
    return out


def _yes_no(name: str) -> bool:
    """Inputs the explanation reads as a state and a share of the corpus: genre tags, the source credit."""
    return name.startswith("genre_tag_") or name == "source_credit"


def _share_tagged(service, name: str) -> float | None:
    """The share of produced scripts carrying a yes/no input."""
    if not _yes_no(name):
        return None
    column = service.corpus["features"][:, service.forecaster.feature_names.index(name)]
    return float(np.mean(column > 0.5))


# ---------------------------------------------------------------- comparables

def comparables(service, script) -> list[dict]:
    """Nearest training scripts by a blend of word similarity and feature similarity, the features
    weighted by how much the model relies on them (a learned, not only genre, similarity)."""
    corpus = service.corpus
    text_sim = service.word_similarity(script)
    weights = service.similarity_weights
    z = (service.corpus_inputs[script.genre_source] - service.input_mean) / service.input_scale * weights
    q = (script.stacked[0] - service.input_mean) / service.input_scale * weights
    feat_sim = (z @ q) / (np.linalg.norm(z, axis=1) * np.linalg.norm(q) + 1e-9)
    similarity = 0.5 * text_sim + 0.5 * (feat_sim + 1) / 2
    out = []
    for i in np.argsort(-similarity)[:TOP_COMPARABLES]:
        out.append({"title": str(corpus["title"][i]), "year": int(corpus["year"][i]),
                    "similarity": round(float(similarity[i]), 3),
                    "worldwide_gross_usd": float(corpus["gross"][i]),
                    "production_budget_usd": float(corpus["budget"][i]),
                    "genres": [g for g in str(corpus["genres"][i]).split("|") if g],
                    "why": _why_similar(service, script, i, float(text_sim[i]))})
    return out


def _why_similar(service, script, i: int, text_sim: float) -> str:
    corpus = service.corpus
    reasons = []
    theirs = {g for g in str(corpus["genres"][i]).split("|") if g}
    shared = sorted(theirs & set(script.screenplay.genres))
    if shared:
        reasons.append("both tagged " + "/".join(shared))
    names = service.forecaster.feature_names
    row = corpus["features"][i]
    for name in ("pages", "speaking_characters", "scenes", "ext_share", "violence_per_1000"):
        j = names.index(name)
        mine, other = script.features[name], row[j]
        if max(abs(mine), abs(other)) > 0 and abs(mine - other) <= 0.15 * max(abs(mine), abs(other)):
            reasons.append(f"similar {name.replace('_', ' ')} ({describe_value(name, mine)} vs {describe_value(name, other)})")
        if len(reasons) >= 3:
            break
    reasons.append(f"word-use similarity {text_sim:.2f}")
    return "; ".join(reasons)


# ---------------------------------------------------------------- evidence from the script

def evidence(script, top: list[dict], service=None) -> list[dict]:
    """Scene citations for the claims the drivers make; every scene named exists in the parse."""
    sp = script.screenplay
    out: list[dict] = []
    cited: list[str] = []  # words already cited by an earlier driver: each driver cites its own
    for driver in top:
        name = driver["feature"]
        if name in ("text_log_budget", "text_log_gross") and service is not None:
            out += vocabulary_evidence(service, script, name, driver["contribution"]["worldwide_gross_usd"] >= 0, cited)
        elif name.startswith("genre_tag_") and 0 < driver["value"] < 1 and service is not None:
            out += genre_evidence(service, script, name, driver["value"], cited)
        elif name.endswith("_per_1000") and name.replace("_per_1000", "") in features.CONTENT_CATEGORIES:
            category = name.replace("_per_1000", "")
            for hit in sorted(script.content_flags[category]["scenes"], key=lambda h: -h["count"])[:2]:
                terms = ", ".join(list(hit["terms"])[:3])
                out.append({"scene": hit["scene"], "heading": hit["heading"], "feature": name,
                            "claim": f"{hit['count']} {category.replace('_', ' ')} words here ({terms})"})
        elif name in ("speaking_characters", "scene_characters_mean", "characters_10_lines"):
            scene = max(sp.scenes, key=lambda s: len(s.characters), default=None)
            if scene and scene.characters:
                out.append({"scene": scene.number, "heading": scene.heading, "feature": name,
                            "claim": f"{len(scene.characters)} characters speak in this scene: " + ", ".join(scene.characters[:6])})
        elif name in ("scenes", "scenes_per_page", "scene_words_median", "scene_words_mean", "scene_words_p90", "short_scene_share", "words", "pages", "runtime_minutes"):
            scene = max(sp.scenes, key=lambda s: s.words, default=None)
            if scene:
                out.append({"scene": scene.number, "heading": scene.heading, "feature": name,
                            "claim": f"the longest scene: {scene.words} words of {sum(s.words for s in sp.scenes):,} in {len(sp.scenes)} scenes"})
        elif name in ("ext_share", "night_share", "int_share", "day_share"):
            scene = _first_scene(sp, name)
            if scene:
                out.append({"scene": scene.number, "heading": scene.heading, "feature": name,
                            "claim": f"e.g. this {scene.int_ext or ''} {scene.time_of_day or ''} scene at {scene.location or 'an unnamed place'}".replace("  ", " ")})
        elif name == "lead_line_share":
            lead = (script.characters or [None])[0]
            if lead:
                first = sp.scenes[lead["first_scene"] - 1] if 0 < lead["first_scene"] <= len(sp.scenes) else None
                out.append({"scene": lead["first_scene"], "heading": first.heading if first else "", "feature": name,
                            "claim": f"{lead['name']} speaks {lead['lines']} times, first in this scene"})
    return [{**item, "place": item["heading"] or OPENING} for item in _unique(out)]


WORDS_CITED = 4
GENRE_WORDS_CITED = 2  # several tags can drive a forecast: fewer words each keeps the list readable


def vocabulary_evidence(service, script, name: str, raises: bool, cited: list[str]) -> list[dict]:
    """The script's own words that push a vocabulary score the way the driver went."""
    target = name.replace("text_", "")
    what = "budgets" if target == "log_budget" else "grosses"
    return _word_evidence(script, service.forecaster.text.ridges[target].coef_, service.forecaster.text.counter.terms,
                          raises, name, f"{'higher' if raises else 'lower'} {what}", cited)


def genre_evidence(service, script, name: str, value: float, cited: list[str]) -> list[dict]:
    """For a genre tag read from the words (no footer): the words that most made it likely, or, when it
    is less likely than in the typical produced script, those that most spoke against it."""
    tag = next(t for t in GENRE_TAGS if features.genre_tag_feature(t) == name)
    f = service.forecaster
    tagged = value >= _share_tagged(service, name)
    return _word_evidence(script, f.genres.coef[GENRE_TAGS.index(tag)], f.text.counter.terms, tagged, name,
                          f"{'the' if tagged else 'scripts without the'} {tag} tag", cited, limit=GENRE_WORDS_CITED)


def _word_evidence(script, coef: np.ndarray, vocabulary, toward: bool, feature: str, goes_with: str,
                   cited: list[str], limit: int = WORDS_CITED) -> list[dict]:
    """The script's words with the largest shares of a linear score over its TF-IDF vector (exact: the
    score is linear), toward or against it, each cited at the first scene where it occurs; words in
    `cited` (by an earlier driver) are skipped, and those cited here are added to it."""
    vector = script.vectors.tocsr()
    terms = vector.indices
    shares = vector.data * coef[terms]
    order = np.argsort(-shares if toward else shares)
    # names say which film a word came from, not what it costs: cite story words only
    names = {part.lower() for c in script.characters for part in c["name"].split()}
    out = []
    for i in order:
        if len(out) >= limit or (shares[i] <= 0 if toward else shares[i] >= 0):
            break
        word = str(vocabulary[terms[i]])
        if names & set(word.split()) or not _weighable(word) or any(_overlap(word, w) for w in cited):
            continue
        scene = _scene_with_word(script.screenplay, word)
        if scene is not None:
            cited.append(word)
            out.append({"scene": scene.number, "heading": scene.heading, "feature": feature,
                        "claim": f"\"{word}\" first appears here; in produced scripts this wording goes with {goes_with}"})
    return out


def _weighable(word: str) -> bool:
    """Words a reader can weigh: not a number, not two letters ('mr', 'ok'), not only function words
    ('i am': a style marker of period scripts, which tells a reader nothing as a citation)."""
    return not word.isdigit() and len(word) > 2 and not set(word.split()) <= ENGLISH_STOP_WORDS


def _overlap(a: str, b: str) -> bool:
    """"ship", "ships" and "the ship" are one piece of evidence, cited once."""
    a, b = _singular(a), _singular(b)
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _singular(words: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words.split())


def _scene_with_word(sp, word: str):
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, word.split())) + r"\b", re.IGNORECASE)
    for scene in sp.scenes:
        if any(e.kind in ("action", "dialogue") and pattern.search(e.text) for e in scene.elements):
            return scene
    return None


def _first_scene(sp, name: str):
    want = {"ext_share": ("EXT",), "night_share": ("NIGHT",), "int_share": ("INT",), "day_share": ("DAY",)}.get(name)
    for scene in sp.scenes:
        if not scene.heading:
            continue
        if want is None or (scene.int_ext in want or scene.time_of_day in want):
            return scene
    return None


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = (item["scene"], item["claim"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------- confidence and summary

def confidence(service, script, prediction: dict, comps: list[dict]) -> dict:
    reasons = []
    g = prediction["worldwide_gross_usd"]
    spread = g["high"] / max(g["low"], 1.0)
    reasons.append(f"the 80% range spans a factor of {spread:,.0f} (${g['low'] / 1e6:,.1f}M to ${g['high'] / 1e6:,.1f}M): "
                   "scripts alone leave much of box office unexplained")
    nearest = comps[0]["similarity"] if comps else 0.0
    typical = service.typical_nearest_similarity
    unusual = nearest < typical * 0.8
    if unusual:
        reasons.append(f"the script is unlike the training scripts (nearest similarity {nearest:.2f}, typical {typical:.2f})")
    reasons += [f"parse: {w}" for w in script.screenplay.warnings]
    level = "low" if unusual or script.screenplay.warnings or spread > 40 else "medium"
    return {"level": level, "reasons": reasons}


def headline(driver: dict) -> str:
    """A driver as the summary names it. A yes/no input carries its state: a script that is not tagged
    Horror can be lifted by that, and "genre: Horror" alone would read as if it were."""
    return driver["label"] if driver["ranked"] else f"{driver['label']} ({driver['band']})"


def summary(prediction: dict, top: list[dict], comps: list[dict]) -> str:
    g, p = prediction["worldwide_gross_usd"], prediction["p_break_even"]
    up = [d for d in top if d["contribution"]["worldwide_gross_usd"] > 0][:2]
    down = [d for d in top if d["contribution"]["worldwide_gross_usd"] < 0][:2]
    parts = [f"Forecast worldwide gross ${g['estimate'] / 1e6:,.0f}M (80% range ${g['low'] / 1e6:,.0f}M–${g['high'] / 1e6:,.0f}M), "
             f"break-even chance {p:.0%} at a budget of ${prediction['budget_used_usd'] / 1e6:,.0f}M "
             f"({prediction['budget_source']})."]
    if up:
        parts.append("Lifting it most: " + "; ".join(headline(d) for d in up) + ".")
    if down:
        parts.append("Holding it back: " + "; ".join(headline(d) for d in down) + ".")
    if comps:
        parts.append("Closest produced scripts: " + ", ".join(f"{c['title']} ({c['year']})" for c in comps[:3]) + ".")
    return " ".join(parts)


# ---------------------------------------------------------------- entry points

def explain(service, script, budget_usd: float | None = None) -> dict:
    prediction = service.predict_inputs(script, budget_usd)
    contrib = contributions(service, script, budget_usd)
    contrib["log_budget"] = math.log(budget_usd) if budget_usd is not None else None
    top = drivers(service, script, contrib)
    comps = comparables(service, script)
    gross_base, gross_terms, gross_end = contrib["gross_usd"]
    p_base, p_terms, p_end = contrib["p_break_even"]
    shown = {d["feature"] for d in top}
    rest = [i for i, n in enumerate(contrib["names"]) if n not in shown]
    return {
        "prediction": prediction,
        "baseline": {"worldwide_gross_usd": round(gross_base, 2), "p_break_even": round(p_base, 6)},
        "drivers": top,
        "other_features": {"count": len(rest),
                           "contribution": {"worldwide_gross_usd": round(float(gross_terms[rest].sum()), 2),
                                            "p_break_even": round(float(p_terms[rest].sum()), 6)}},
        "model_output": {"worldwide_gross_usd": round(gross_end, 2), "p_break_even": round(p_end, 6)},
        "comparables": comps,
        "evidence": evidence(script, top, service),
        "confidence": confidence(service, script, prediction, comps),
        "summary": summary(prediction, top, comps),
    }


def render_text(result: dict) -> str:
    p = result["prediction"]
    g, b = p["worldwide_gross_usd"], p["production_budget_usd"]
    lines = [result["summary"], "",
             f"Worldwide gross  ${g['estimate'] / 1e6:,.1f}M   80% range ${g['low'] / 1e6:,.1f}M – ${g['high'] / 1e6:,.1f}M",
             f"Budget estimate  ${b['estimate'] / 1e6:,.1f}M   80% range ${b['low'] / 1e6:,.1f}M – ${b['high'] / 1e6:,.1f}M",
             f"Break-even chance {p['p_break_even']:.0%}", "", "Drivers:"]
    lines += [f"  {d['contribution']['worldwide_gross_usd'] / 1e6:+8.1f}M  {d['sentence']}" for d in result["drivers"]]
    lines += ["", "Comparable titles:"]
    lines += [f"  {c['title']} ({c['year']}): gross ${c['worldwide_gross_usd'] / 1e6:,.0f}M on ${c['production_budget_usd'] / 1e6:,.0f}M — {c['why']}"
              for c in result["comparables"]]
    if result["evidence"]:
        lines += ["", "Evidence:"] + [f"  scene {e['scene']} {e['place']}: {e['claim']}" for e in result["evidence"]]
    lines += ["", f"Confidence: {result['confidence']['level']}"] + [f"  - {r}" for r in result["confidence"]["reasons"]]
    for w in p["warnings"]:
        lines.append(f"warning: {w}")
    return "\n".join(lines)
