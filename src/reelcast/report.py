"""The analysis report: what in a screenplay goes with box-office performance, as one offline HTML.

`compute_analysis` turns the built dataset into numbers (a JSON-serialisable dict, pure);
`render_html` turns those numbers (plus the tables, for scatter plots) into a self-contained page
whose plots are embedded PNGs; `write_report` does the I/O: it reads `<home>/dataset`, writes
`report.html`, `analysis.json` and `relationships.csv` atomically. Every sentence that states a
finding is generated from the computed numbers, so the report never goes stale as batches arrive.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import time
from pathlib import Path

import jinja2
from markupsafe import Markup
import numpy as np
import pandas as pd

from reelcast import config, dataset, features, stats
from reelcast.features import FEATURES

BREAK_EVEN_MULTIPLE = 2.5       # worldwide gross ≥ 2.5 × production budget (README "Terms")
FDR_LEVEL = 0.05
MIN_GROUP_FILMS = 30            # smaller genre/rating/decade groups are pooled into "other"
MIN_TEST_ROWS = 10
MIN_RATING_FILMS = 5            # content rates of a rating with fewer films are noise
TOP_FEATURES_SHOWN = 25

TARGETS = {
    "log_gross": "log worldwide gross",
    "log_budget": "log production budget",
    "roi": "ROI (worldwide gross ÷ budget)",
    "break_even": f"break-even (gross ≥ {BREAK_EVEN_MULTIPLE}× budget)",
    "imdb_score": "IMDb score",
}
# Distributions shown in the script-features grid: the headline measurements.
KEY_FEATURES = ("pages", "scenes", "int_share", "night_share", "distinct_locations",
                "speaking_characters", "lead_line_share", "dialogue_share", "type_token_ratio",
                "reading_ease", "profanity_severe_per_1000", "violence_per_1000")


# ============================================================================ helpers


def _num(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def _money(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"${value / size:.1f}{suffix}"
    return f"${value:.0f}"


def _pct(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None or not np.isfinite(value) else f"{100 * value:.{digits}f}%"


def _jsonable(obj):
    """numpy scalars → Python, NaN/inf → None, recursively (json.dumps must never see NaN)."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def strength(rho: float | None) -> str:
    """Conventional words for |rho|: negligible < 0.1 ≤ weak < 0.3 ≤ moderate < 0.5 ≤ strong."""
    if rho is None or not np.isfinite(rho):
        return "untestable"
    size = abs(rho)
    return "negligible" if size < 0.1 else "weak" if size < 0.3 else "moderate" if size < 0.5 else "strong"


def performance_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Films (or matched scripts) with the report's targets: logs, ROI, break-even, decade."""
    out = frame.copy()
    budget, gross = _num(out["production_budget_usd"]), _num(out["worldwide_gross_usd"])
    has_money = (budget > 0) & (gross > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["log_budget"] = np.where(budget > 0, np.log10(budget), np.nan)
        out["log_gross"] = np.where(gross > 0, np.log10(gross), np.nan)
        out["roi"] = np.where(has_money, gross / budget, np.nan)
    out["break_even"] = np.where(has_money, (gross >= BREAK_EVEN_MULTIPLE * budget).astype(float), np.nan)
    out["imdb_score"] = _num(out["imdb_score"])
    year = _num(out["year"])
    out["year_num"] = year
    out["decade"] = [f"{int(y // 10 * 10)}s" if np.isfinite(y) else None for y in year]
    return out


def _matched(table: pd.DataFrame) -> pd.DataFrame:
    return performance_frame(table[table["match_status"] == "matched"])


# ============================================================================ 1. the data


def _source_coverage(films: pd.DataFrame) -> dict:
    """Films each raw table supplied at least one field for, and the share of films with each field."""
    supplied: dict[str, int] = {}
    for raw in films.get("sources", pd.Series(dtype=object)).dropna():
        for source in set(json.loads(raw).values()):
            supplied[source] = supplied.get(source, 0) + 1
    fields = ["production_budget_usd", "worldwide_gross_usd", "domestic_gross_usd", "mpaa", "genres",
              "imdb_score", "rotten_tomatoes", "runtime_min", "release_date"]
    field_share = {f: float(films[f].notna().mean()) for f in fields if f in films}
    return {"films_by_source": dict(sorted(supplied.items(), key=lambda kv: -kv[1])),
            "field_share": field_share}


def _data_section(table: pd.DataFrame, films: pd.DataFrame, quality: dict, matches: pd.DataFrame | None) -> dict:
    status = table["match_status"].value_counts().to_dict()
    not_matched = []
    if matches is not None and len(matches):
        rows = matches[matches["status"] != "matched"]
        not_matched = [{"script": r.script_title, "status": r.status, "reason": r.reason}
                       for r in rows.itertuples()]
    perf = performance_frame(films)
    return {
        "scripts_seen": quality.get("scripts_seen"),
        "scripts_parsed": quality.get("scripts_parsed"),
        "scripts_rejected": len(quality.get("scripts_rejected", [])),
        "reject_reasons": quality.get("reject_reasons", {}),
        "duplicates": quality.get("duplicates", 0),
        "scripts_kept": len(table),
        "match_status": status,
        "not_matched": not_matched,
        "films": len(films),
        "films_with_budget_and_gross": int(np.isfinite(perf["roi"]).sum()),
        "conflicts": quality.get("conflicts", 0),
        "conflicts_by_field": quality.get("conflicts_by_field", {}),
        "batches": sorted(set(table["batch"])) if "batch" in table else [],
        **_source_coverage(films),
    }


# ============================================================================ survivorship


def _compare(population: np.ndarray, sample: np.ndarray) -> dict:
    """Medians, quartiles and a Mann–Whitney test of the matched sample against the population."""
    from scipy.stats import mannwhitneyu

    population, sample = population[np.isfinite(population)], sample[np.isfinite(sample)]
    if len(population) < 2 or len(sample) < 2:
        return {"n_population": len(population), "n_sample": len(sample)}
    test = mannwhitneyu(sample, population)
    return {
        "n_population": len(population), "n_sample": len(sample),
        "median_population": float(np.median(population)), "median_sample": float(np.median(sample)),
        "quartiles_population": np.percentile(population, [25, 75]).tolist(),
        "quartiles_sample": np.percentile(sample, [25, 75]).tolist(),
        "p_mann_whitney": float(test.pvalue),
        # Probability a random matched film beats a random film of the table (0.5 = no bias).
        "prob_sample_higher": float(test.statistic / (len(sample) * len(population))),
    }


def _survivorship(matched: pd.DataFrame, films: pd.DataFrame) -> dict:
    perf = performance_frame(films)
    gross = perf["worldwide_gross_usd"].pipe(_num)
    top_decile = np.nanpercentile(gross[gross > 0], 90) if (gross > 0).any() else np.nan
    matched_gross = _num(matched["worldwide_gross_usd"])
    return {
        "budget": _compare(_num(perf["production_budget_usd"]), _num(matched["production_budget_usd"])),
        "gross": _compare(np.where(gross > 0, gross, np.nan), np.where(matched_gross > 0, matched_gross, np.nan)),
        "year": _compare(perf["year_num"].to_numpy(), matched["year_num"].to_numpy()),
        "top_decile_gross_usd": top_decile,
        "matched_share_in_top_decile": float(np.mean(matched_gross[np.isfinite(matched_gross)] >= top_decile))
        if np.isfinite(matched_gross).any() else None,
        "break_even_rate_population": float(np.nanmean(perf["break_even"])),
        "break_even_rate_matched": float(np.nanmean(matched["break_even"])) if matched["break_even"].notna().any() else None,
    }


# ============================================================================ 2. performance landscape


def _group_table(perf: pd.DataFrame, column: str) -> list[dict]:
    """Per group: films, median budget/gross/ROI and break-even rate; small groups pooled as 'other'."""
    frame = perf[np.isfinite(perf["roi"])].copy()
    labels = frame[column].astype("object").where(frame[column].notna(), "unknown")
    counts = labels.value_counts()
    frame["group"] = labels.where(labels.map(counts) >= MIN_GROUP_FILMS, "other")
    rows = []
    for group, part in frame.groupby("group"):
        rows.append({"group": str(group), "films": len(part),
                     "median_budget_usd": float(np.median(_num(part["production_budget_usd"]))),
                     "median_gross_usd": float(np.median(_num(part["worldwide_gross_usd"]))),
                     "median_roi": float(part["roi"].median()),
                     "break_even_rate": float(part["break_even"].mean())})
    order = sorted(rows, key=lambda r: r["group"]) if column == "decade" else \
        sorted(rows, key=lambda r: -r["break_even_rate"])
    return order


def _landscape(films: pd.DataFrame, matched: pd.DataFrame) -> dict:
    perf = performance_frame(films)
    money = perf[np.isfinite(perf["roi"])]
    rho = stats.spearman(money["log_budget"], money["log_gross"]) if len(money) > 2 else float("nan")
    return {
        "films_with_money": len(money),
        "budget_gross_spearman": rho,
        "median_roi": float(money["roi"].median()) if len(money) else None,
        "break_even_rate": float(money["break_even"].mean()) if len(money) else None,
        "by_genre": _group_table(perf, "genres"),
        "by_mpaa": _group_table(perf, "mpaa"),
        "by_decade": _group_table(perf, "decade"),
        "matched_by_genre": _group_table(matched, "genres") if len(matched) else [],
        "median_budget_by_decade": {r["group"]: r["median_budget_usd"] for r in _group_table(perf, "decade")},
    }


# ============================================================================ 3. script features


def _feature_summary(table: pd.DataFrame) -> list[dict]:
    rows = []
    for name, feature in FEATURES.items():
        values = _num(table[f"f_{name}"]) if f"f_{name}" in table else np.array([])
        values = values[np.isfinite(values)]
        quantiles = np.percentile(values, [10, 25, 50, 75, 90]).tolist() if values.size else [None] * 5
        rows.append({"feature": name, "meaning": feature.meaning, "unit": feature.unit, "group": feature.group,
                     "n": int(values.size), "mean": float(values.mean()) if values.size else None,
                     "p10": quantiles[0], "p25": quantiles[1], "median": quantiles[2],
                     "p75": quantiles[3], "p90": quantiles[4]})
    return rows


def script_signals(sp) -> tuple[list[float], str]:
    """A screenplay's emotional arc and rule-of-thumb rating, by the coverage report's own code."""
    return features.emotional_arc(sp), features.mpaa_signal(features.content_flags(sp))


def _all_script_signals(table: pd.DataFrame, screenplays: dict) -> dict[str, tuple[list[float], str]]:
    # Serial on purpose: shipping parsed screenplays to worker processes cost more than it saved
    # on the 2-core build machine (35 s pooled vs 18 s serial for 280 scripts).
    return {source: script_signals(screenplays[source]) for source in table["source"] if source in screenplays}


def _mpaa_signals(table: pd.DataFrame, signals: dict) -> dict:
    """The coverage report's rating rule (features.mpaa_signal) against the real MPAA rating."""
    ratings = table["mpaa"].astype("object") if "mpaa" in table else pd.Series([None] * len(table))
    rows = [(signals[source][1], None if pd.isna(rating) else str(rating))
            for source, rating in zip(table["source"], ratings) if source in signals]
    rated = [(s, r) for s, r in rows if r in ("G", "PG", "PG-13", "R", "NC-17")]
    confusion: dict[str, dict[str, int]] = {}
    for signal, rating in rated:
        confusion.setdefault(rating, {}).setdefault(signal, 0)
        confusion[rating][signal] += 1
    r_like = [(s == "R", r in ("R", "NC-17")) for s, r in rated]
    r_hits = sum(a and b for a, b in r_like)
    said_r, are_r = sum(a for a, _ in r_like), sum(b for _, b in r_like)
    return {
        "scripts": len(rows), "rated": len(rated),
        "agreement": sum(s == r for s, r in rated) / len(rated) if rated else None,
        "r_precision": r_hits / said_r if said_r else None,
        "r_recall": r_hits / are_r if are_r else None,
        "signal_counts": pd.Series([s for s, _ in rows]).value_counts().to_dict() if rows else {},
        "confusion": confusion,
    }


def _content_by_rating(matched: pd.DataFrame) -> dict:
    """Median content rates per real MPAA rating: do the lexicon rates separate the ratings?"""
    out: dict[str, dict] = {}
    ratings = matched["mpaa"].astype("object")
    for rating in ("G", "PG", "PG-13", "R"):
        part = matched[ratings == rating]
        if len(part) >= MIN_RATING_FILMS:
            out[rating] = {"films": len(part), **{c: float(part[f"f_{c}_per_1000"].median())
                                                  for c in features.CONTENT_CATEGORIES}}
    return out


def _arc_section(table: pd.DataFrame, signals: dict) -> dict:
    """Mean emotional arc per arc shape, with counts, money by shape and comparable titles."""
    from scipy.stats import kruskal

    perf = performance_frame(table)
    shapes: dict[str, list] = {}
    for row in perf.itertuples():
        if row.source not in signals:
            continue
        arc = signals[row.source][0]
        shapes.setdefault(features.arc_shape(arc), []).append((arc, row))
    out, groups = {}, []
    for shape, items in sorted(shapes.items(), key=lambda kv: -len(kv[1])):
        gross = np.array([r.log_gross for _, r in items], float)
        money = [r for _, r in items if np.isfinite(r.log_gross)]
        top = sorted(money, key=lambda r: -r.log_gross)[:3]
        out[shape] = {
            "scripts": len(items),
            "mean_arc": np.mean([a for a, _ in items], axis=0).tolist(),
            "median_gross_usd": float(10 ** np.nanmedian(gross)) if np.isfinite(gross).any() else None,
            "break_even_rate": float(np.nanmean([r.break_even for _, r in items]))
            if any(np.isfinite(r.break_even) for _, r in items) else None,
            "comparables": [{"title": str(r.title), "year": int(r.year_num) if np.isfinite(r.year_num) else None,
                             "worldwide_gross_usd": float(10 ** r.log_gross)} for r in top],
        }
        if np.isfinite(gross).sum() >= 5:
            groups.append(gross[np.isfinite(gross)])
    p = float(kruskal(*groups).pvalue) if len(groups) >= 2 else None
    return {"shapes": out, "kruskal_p_log_gross": p, "points": features.ARC_POINTS}


PACING_BINS = np.array([0, 25, 50, 100, 200, 400, 800, 1600, np.inf])


def _pacing(table: pd.DataFrame, screenplays: dict) -> dict:
    lengths = np.array([scene.words for source in table["source"] if source in screenplays
                        for scene in screenplays[source].scenes if scene.heading], float)
    counts, _ = np.histogram(lengths, bins=PACING_BINS)
    labels = [f"{int(a)}–{int(b) - 1}" if np.isfinite(b) else f"{int(a)}+" for a, b in zip(PACING_BINS[:-1], PACING_BINS[1:])]
    return {"scenes": int(lengths.size), "bins": labels, "counts": counts.tolist(),
            "median_scene_words": float(np.median(lengths)) if lengths.size else None,
            "p90_scene_words": float(np.percentile(lengths, 90)) if lengths.size else None}


def _genre_section(table: pd.DataFrame) -> dict:
    """IMSDb tag counts, and how well each text genre signal picks out scripts carrying that tag (AUC)."""
    from sklearn.metrics import roc_auc_score

    tags = table["imsdb_genres"].fillna("").astype(str).str.split("|")
    tag_counts = pd.Series([t for row in tags for t in row if t]).value_counts().to_dict()
    slugs = [{re.sub(r"[^a-z0-9]+", "_", t.lower()).strip("_") for t in row} for row in tags]
    auc = {}
    for genre in features.GENRE_SIGNALS:
        tagged = np.array([genre in row for row in slugs])
        if 5 <= tagged.sum() <= len(tagged) - 5:
            signal = _num(table[f"f_genre_signal_{genre}"])
            auc[genre] = {"tagged": int(tagged.sum()), "auc": float(roc_auc_score(tagged, signal))}
    return {"tag_counts": tag_counts, "signal_auc": auc}


# ============================================================================ 4. relationships


def _test_rows(matched: pd.DataFrame, target: str) -> pd.DataFrame:
    """Rows where the target and both controls (budget, year) are known: raw and partial share them."""
    known = np.isfinite(matched[target]) & np.isfinite(matched["log_budget"]) & np.isfinite(matched["year_num"])
    return matched[known]


def _feature_tests(rows: pd.DataFrame, target: str) -> list[dict]:
    y = rows[target].to_numpy(float)
    # Budget cannot be controlled for when it is the outcome; year still is.
    controls = rows[["year_num"]] if target == "log_budget" else rows[["log_budget", "year_num"]]
    controls = controls.to_numpy(float)
    indices = stats.bootstrap_indices(len(rows))
    results = []
    for name in FEATURES:
        x = _num(rows[f"f_{name}"])
        result = {"feature": name, "target": target, "n": len(rows)}
        if len(rows) < MIN_TEST_ROWS or np.unique(x).size < 2 or np.unique(y).size < 2:
            results.append(result)
            continue
        rho = stats.spearman(x, y)
        low, high = stats.bootstrap_spearman_ci(x, y, indices)
        partial, partial_p = stats.partial_spearman(x, y, controls)
        results.append({**result, "rho": rho, "ci_low": low, "ci_high": high,
                        "p": stats.correlation_p_value(rho, len(rows)),
                        "partial_rho": partial, "partial_p": partial_p})
    return results


def _relationships(matched: pd.DataFrame) -> list[dict]:
    tests = [r for target in TARGETS for r in _feature_tests(_test_rows(matched, target), target)]
    # One BH family per analysis (all features × all targets), the conservative reading.
    for key in ("p", "partial_p"):
        q = stats.benjamini_hochberg(np.array([r.get(key, np.nan) for r in tests], float))
        for row, value in zip(tests, q):
            row[key.replace("p", "q", 1) if key == "p" else "partial_q"] = value
    for row in tests:
        feature = FEATURES[row["feature"]]
        row.update({"meaning": feature.meaning, "unit": feature.unit, "group": feature.group,
                    "strength": strength(row.get("rho")), "partial_strength": strength(row.get("partial_rho"))})
    return tests


def _significant(tests: list[dict], target: str, key: str = "q") -> list[dict]:
    rows = [r for r in tests if r["target"] == target and r.get(key) is not None and np.isfinite(r[key])
            and r[key] < FDR_LEVEL]
    rho_key = "rho" if key == "q" else "partial_rho"
    return sorted(rows, key=lambda r: -abs(r[rho_key]))


def _relationship_summary(tests: list[dict]) -> dict:
    summary = {}
    for target in TARGETS:
        rows = [r for r in tests if r["target"] == target]
        testable = [r for r in rows if r.get("rho") is not None and np.isfinite(r["rho"])]
        summary[target] = {
            "label": TARGETS[target], "n": rows[0]["n"] if rows else 0, "tested": len(testable),
            "significant": len(_significant(tests, target)),
            "significant_partial": len(_significant(tests, target, "partial_q")),
            "negligible_or_weak": sum(abs(r["rho"]) < 0.3 for r in testable),
            "max_abs_rho": max((abs(r["rho"]) for r in testable), default=None),
        }
    return summary


# ============================================================================ models (how much the script adds)


def _cv_r2(x: np.ndarray, y: np.ndarray) -> float | None:
    """5-fold cross-validated R² of a standardised ridge regression (alpha chosen inside each fold).

    Each column is first held to its training fold's 1st–99th percentiles: R² is a mean of squared
    errors, so one script with an absurd value (a transcript read as one 19,000-word scene) could
    otherwise decide a fold's score (session 18: log budget from the features and the year read 0.18
    with such a script among the rows, 0.32 with its values held)."""
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(y) < 25:
        return None
    model = make_pipeline(_Winsorizer(), StandardScaler(), RidgeCV(alphas=np.logspace(-1, 4, 20)))
    scores = cross_val_score(model, x, y, cv=KFold(5, shuffle=True, random_state=0), scoring="r2")
    return float(scores.mean())


class _Winsorizer:
    """Holds each column to the 1st–99th percentiles of the rows it was fitted on (scikit-learn API)."""

    def fit(self, x: np.ndarray, y=None) -> "_Winsorizer":
        self.low_, self.high_ = np.nanpercentile(x, 1, axis=0), np.nanpercentile(x, 99, axis=0)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, self.low_, self.high_)

    def get_params(self, deep: bool = True) -> dict:
        return {}

    def set_params(self, **params) -> "_Winsorizer":
        return self


def _models(matched: pd.DataFrame) -> dict:
    rows = _test_rows(matched, "log_gross")
    script = np.column_stack([_num(rows[f"f_{n}"]) for n in FEATURES]) if len(rows) else np.empty((0, len(FEATURES)))
    context = rows[["log_budget", "year_num"]].to_numpy(float)
    y_gross, y_budget = rows["log_gross"].to_numpy(float), rows["log_budget"].to_numpy(float)
    return {
        "n": len(rows),
        "budget_from_script_r2": _cv_r2(script, y_budget),
        "gross_from_budget_year_r2": _cv_r2(context, y_gross),
        "gross_from_budget_year_script_r2": _cv_r2(np.column_stack([context, script]), y_gross),
        "gross_from_script_r2": _cv_r2(script, y_gross),
    }


# ============================================================================ findings and recommendations


def _fmt_test(row: dict, partial: bool = False) -> str:
    if partial:
        return f"{row['feature']} (partial ρ = {row['partial_rho']:+.2f}, q = {row['partial_q']:.3g})"
    return f"{row['feature']} (ρ = {row['rho']:+.2f}, 95% CI {row['ci_low']:+.2f} to {row['ci_high']:+.2f}, q = {row['q']:.3g})"


def _controls(target: str) -> str:
    return "release year" if target == "log_budget" else "budget and year"


def _findings(analysis: dict) -> list[str]:
    tests, summary = analysis["relationships"], analysis["relationship_summary"]
    surv, land = analysis["survivorship"], analysis["landscape"]
    out = []
    if surv["budget"].get("median_sample") is not None and surv["gross"].get("median_sample") is not None:
        out.append(
            f"Survivorship: the {surv['gross']['n_sample']} matched films have a median worldwide gross of "
            f"{_money(surv['gross']['median_sample'])} against {_money(surv['gross']['median_population'])} for the "
            f"{surv['gross']['n_population']:,} films with a known gross (Mann–Whitney p = {surv['gross']['p_mann_whitney']:.2g}); "
            f"{_pct(surv['matched_share_in_top_decile'])} of them sit in the table's top tenth by gross. "
            "Every relationship below describes famous, released films, not the slush pile.")
    if land["break_even_rate"] is not None:
        out.append(f"Of {land['films_with_money']:,} films with budget and gross, {_pct(land['break_even_rate'])} reached "
                   f"{BREAK_EVEN_MULTIPLE}× budget worldwide (median ROI {land['median_roi']:.2f}×); "
                   f"budget and gross rank-correlate at ρ = {land['budget_gross_spearman']:.2f}.")
    for target, s in summary.items():
        top = _significant(tests, target)[:3]
        top_partial = _significant(tests, target, "partial_q")[:3]
        sentence = (f"{s['label']} (n = {s['n']}): {s['significant']} of {s['tested']} testable features have a "
                    f"Benjamini–Hochberg q < {FDR_LEVEL}; {s['significant_partial']} after controlling for {_controls(target)}. ")
        if top:
            sentence += "Strongest: " + "; ".join(_fmt_test(r) for r in top) + ". "
        if top_partial:
            sentence += f"Controlling for {_controls(target)}: " + "; ".join(_fmt_test(r, True) for r in top_partial) + ". "
        sentence += (f"{s['negligible_or_weak']} of {s['tested']} have |ρ| < 0.3 (weak or negligible)."
                     if s["tested"] else "Too few rows to test.")
        out.append(sentence)
    models = analysis["models"]
    if models.get("gross_from_budget_year_r2") is not None:
        change = models["gross_from_budget_year_script_r2"] - models["gross_from_budget_year_r2"]
        out.append(
            f"Out of sample, budget and year alone explain R² = {models['gross_from_budget_year_r2']:.2f} of log gross; adding all "
            f"{len(FEATURES)} script features {'raises' if change > 0 else 'lowers'} it to {models['gross_from_budget_year_script_r2']:.2f} "
            f"(ridge regression, 5-fold CV, n = {models['n']}). Script features alone explain R² = {models['budget_from_script_r2']:.2f} "
            f"of log budget and {models['gross_from_script_r2']:.2f} of log gross"
            + (": a script says more about what a film will cost than about what it will earn."
               if models["budget_from_script_r2"] > models["gross_from_script_r2"] else "."))
    return out


def _reliability(q: float | None, rho: float | None) -> str:
    if q is None or rho is None or not np.isfinite(q):
        return "untested"
    if q < FDR_LEVEL and abs(rho) >= 0.3:
        return "good"
    if q < FDR_LEVEL:
        return "moderate (significant but weak)"
    return "low (not significant after FDR control)"


def _best(tests: list[dict], target: str, names: tuple[str, ...] | None = None, partial: bool = True) -> dict | None:
    key, rho_key = ("partial_q", "partial_rho") if partial else ("q", "rho")
    rows = [r for r in tests if r["target"] == target and r.get(rho_key) is not None
            and np.isfinite(r[rho_key]) and (names is None or r["feature"] in names)]
    if not rows:
        return None
    return min(rows, key=lambda r: (r[key], -abs(r[rho_key])))


def _describe(row: dict | None, partial: bool = True, name: str | None = None) -> str:
    """A test row in words, led by `name` (the feature's, unless given)."""
    if row is None:
        return "not testable on this data"
    name = name or row["feature"]
    if partial:
        return f"{name}: partial ρ = {row['partial_rho']:+.2f} (q = {row['partial_q']:.2g}, n = {row['n']})"
    return f"{name}: ρ = {row['rho']:+.2f}, 95% CI {row['ci_low']:+.2f}…{row['ci_high']:+.2f} (q = {row['q']:.2g}, n = {row['n']})"


def _recommendations(analysis: dict) -> list[dict]:
    tests, models = analysis["relationships"], analysis["models"]
    land, surv, mpaa, arcs = analysis["landscape"], analysis["survivorship"], analysis["mpaa_signal"], analysis["arcs"]
    recs = []

    cost_drivers = ("distinct_locations", "ext_share", "night_share", "speaking_characters",
                    "spectacle_per_1000", "scenes", "genre_signal_sci_fi", "genre_signal_fantasy")
    budget_rows = sorted([r for r in tests if r["target"] == "log_budget" and r["feature"] in cost_drivers
                          and r.get("partial_rho") is not None], key=lambda r: r["partial_q"])[:3]
    r2 = models.get("budget_from_script_r2")
    recs.append({
        "title": "Budget-tier estimate",
        "what": "Place the script in a budget tier (under $20M, $20–60M, $60–120M, over $120M) from its production-scale features, with the drivers named.",
        "evidence": (f"Script features predict log budget with cross-validated R² = {r2:.2f}. " if r2 is not None else "")
                    + "; ".join(_describe(r) for r in budget_rows),
        "assumption": "A draft's locations, cast and spectacle words reflect the shooting script; nominal dollars (older budgets look smaller).",
        "reliability": "good" if r2 is not None and r2 >= 0.4 else "moderate" if r2 is not None and r2 >= 0.2 else "low",
    })
    source = {r["target"]: r for r in tests if r["feature"] == "source_credit" and r.get("rho") is not None
              and np.isfinite(r["rho"])}
    if "log_budget" in source:
        share = next(r for r in analysis["features"] if r["feature"] == "source_credit")["mean"]
        recs.append({
            "title": "Source material",
            "what": "Quote the title page's credit for adapted material (a novel, a play, a story, true events) beside the budget tier.",
            "evidence": f"{_pct(share)} of the kept scripts credit one. "
                        + "; ".join(_describe(source[t], partial=False, name=t)
                                    for t in ("log_budget", "log_gross", "break_even") if t in source),
            "assumption": "The credit is printed on the draft's title page; an adaptation without one reads as original.",
            "reliability": _reliability(source["log_budget"]["q"], source["log_budget"]["rho"]),
        })
    if mpaa.get("agreement") is not None:
        by_mpaa = {r["group"]: r for r in land["by_mpaa"]}
        rates = ", ".join(f"{g} {_pct(by_mpaa[g]['break_even_rate'])}" for g in ("G", "PG", "PG-13", "R") if g in by_mpaa)
        recs.append({
            "title": "MPAA-rating risk",
            "what": "Flag the likely rating from profanity, violence, sexual and drug words, with the scenes that push it up, so a writer can target PG-13.",
            "evidence": f"The rule agrees with the real rating for {_pct(mpaa['agreement'])} of {mpaa['rated']} rated matched films; "
                        f"when it says R it is right {_pct(mpaa['r_precision'])} of the time and it catches {_pct(mpaa['r_recall'])} of R films. "
                        f"Break-even rate by rating in the film table: {rates}.",
            "assumption": "Drafts swear more than released cuts; the lexicon counts words, not context.",
            "reliability": "good" if mpaa["agreement"] >= 0.7 else "moderate" if mpaa["agreement"] >= 0.5 else "low",
        })
    shapes = arcs["shapes"]
    if shapes:
        parts = [f"{s} ({v['scripts']} scripts, median gross {_money(v['median_gross_usd'])})" for s, v in shapes.items()]
        p = arcs["kruskal_p_log_gross"]
        recs.append({
            "title": "Arc shape with comparable titles",
            "what": "Show the script's emotional arc, its nearest classic shape, and the top-grossing matched films with the same shape.",
            "evidence": "; ".join(parts) + (f". Kruskal–Wallis test of log gross across shapes: p = {p:.2g}." if p is not None else "."),
            "assumption": "VADER word sentiment tracks the story's emotional line; shapes are the nearest of six templates.",
            "reliability": "good as description; " + ("the shape relates to gross (p < 0.05)" if p is not None and p < 0.05
                                                      else "not a predictor of gross (p ≥ 0.05)"),
        })
    best_genre = land["by_genre"][0] if land["by_genre"] else None
    worst_genre = land["by_genre"][-1] if land["by_genre"] else None
    auc = analysis["genres"]["signal_auc"]
    if best_genre and auc:
        mean_auc = float(np.mean([v["auc"] for v in auc.values()]))
        recs.append({
            "title": "Genre economics",
            "what": "Read the genre from the text and show that genre's historical break-even rate and median ROI.",
            "evidence": f"Highest break-even rate: {best_genre['group']} {_pct(best_genre['break_even_rate'])} ({best_genre['films']} films); "
                        f"lowest: {worst_genre['group']} {_pct(worst_genre['break_even_rate'])}. Text genre signals find IMSDb's tags with mean AUC {mean_auc:.2f}.",
            "assumption": "IMDb's first genre is the film's genre; rates are on nominal dollars and films with both numbers known.",
            "reliability": "good" if mean_auc >= 0.75 else "moderate",
        })
    length = _best(tests, "imdb_score", ("pages", "runtime_minutes", "words", "scenes"))
    recs.append({
        "title": "Length and runtime check",
        "what": "Estimate pages and runtime and flag scripts outside the corpus's 10th–90th percentile.",
        "evidence": _range_sentence(analysis, "pages") + " Relationship with IMDb score: " + _describe(length, partial=False) + ".",
        "assumption": "One page ≈ one minute; IMSDb transcripts can differ in layout from the shooting script.",
        "reliability": "good as measurement; " + _reliability(length and length.get("q"), length and length.get("rho")) + " as a predictor",
    })
    for title, target, what in (
            ("Audience-reception signals", "imdb_score", "Report the features most tied to IMDb score, as a craft note rather than a forecast."),
            ("Gross drivers beyond budget", "log_gross", "Show the features that still go with gross once budget and year are accounted for."),
            ("Break-even drivers", "break_even", "Show the features that go with reaching 2.5× budget, controlling for budget and year.")):
        best = [r for r in _significant(tests, target, "partial_q")][:3] or [_best(tests, target)]
        recs.append({
            "title": title, "what": what,
            "evidence": "; ".join(_describe(r) for r in best if r) or "no testable feature",
            "assumption": "Correlation in famous, released films; not causal.",
            "reliability": _reliability(best[0] and best[0].get("partial_q"), best[0] and best[0].get("partial_rho")),
        })
    recs.append({
        "title": "Survivorship-adjusted base rate",
        "what": "Show every forecast beside the population's base rate, not only the famous films the model learnt from.",
        "evidence": f"Break-even rate {_pct(surv['break_even_rate_matched'])} in matched films vs {_pct(surv['break_even_rate_population'])} "
                    f"in the whole film table; median gross {_money(surv['gross'].get('median_sample'))} vs {_money(surv['gross'].get('median_population'))}.",
        "assumption": "The film table is closer to the population of produced films than IMSDb is.",
        "reliability": "good",
    })
    return recs


def _range_sentence(analysis: dict, feature: str) -> str:
    row = next(r for r in analysis["features"] if r["feature"] == feature)
    if row["median"] is None:
        return f"No {feature} values."
    return f"Median {row['median']:.0f} {row['unit']}, 10th–90th percentile {row['p10']:.0f}–{row['p90']:.0f}."


# ============================================================================ compute


def compute_analysis(table: pd.DataFrame, films: pd.DataFrame, quality: dict, screenplays: dict,
                     matches: pd.DataFrame | None = None) -> dict:
    """All the report's numbers from the built dataset; JSON-serialisable (NaN → None)."""
    if table.empty:
        raise ValueError("the dataset has no scripts: add script batches and run `reelcast build`")
    matched = _matched(table)
    tests = _relationships(matched)
    signals = _all_script_signals(table, screenplays)
    analysis = {
        "data": _data_section(table, films, quality, matches),
        "survivorship": _survivorship(matched, films),
        "landscape": _landscape(films, matched),
        "features": _feature_summary(table),
        "content_by_rating": _content_by_rating(matched),
        "mpaa_signal": _mpaa_signals(matched, signals),
        "arcs": _arc_section(table, signals),
        "pacing": _pacing(table, screenplays),
        "genres": _genre_section(table),
        "relationships": tests,
        "relationship_summary": _relationship_summary(tests),
        "models": _models(matched),
        "settings": {"bootstrap_resamples": stats.BOOTSTRAP_RESAMPLES, "seed": stats.BOOTSTRAP_SEED,
                     "fdr_level": FDR_LEVEL, "break_even_multiple": BREAK_EVEN_MULTIPLE,
                     "features": len(FEATURES), "controls": ["log production budget", "release year"]},
    }
    analysis["findings"] = _findings(analysis)
    analysis["recommendations"] = _recommendations(analysis)
    return _jsonable(analysis)


# ============================================================================ plots


def _figure(width: float = 9.0, height: float = 4.0, ncols: int = 1, nrows: int = 1):
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, no GUI toolkit
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    return fig, axes.ravel()


def _png(fig) -> str:
    """The figure as a base64 data URI, so the HTML carries its plots inside it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


FILM_COLOUR, MATCHED_COLOUR = "#9aa5b1", "#c2410c"


def _plot_survivorship(films: pd.DataFrame, matched: pd.DataFrame, analysis: dict) -> dict:
    perf = performance_frame(films)
    fig, axes = _figure(11, 3.4, ncols=3)
    for ax, column, label in zip(axes, ("log_budget", "log_gross", "year_num"),
                                 ("log10 production budget (USD)", "log10 worldwide gross (USD)", "release year")):
        for frame, colour, name in ((perf, FILM_COLOUR, "all films"), (matched, MATCHED_COLOUR, "matched scripts")):
            values = np.sort(frame[column].to_numpy(float))
            values = values[np.isfinite(values)]
            if values.size:
                ax.step(values, np.arange(1, values.size + 1) / values.size, color=colour, label=f"{name} (n={values.size:,})")
        ax.set_xlabel(label)
        ax.set_ylabel("share of films at or below")
        ax.legend(fontsize=8)
    surv = analysis["survivorship"]
    return {"src": _png(fig), "caption":
            "Cumulative distributions of budget, gross and year: the whole film table (grey) against the films matched to a script (orange). "
            f"A curve further right means bigger films. Median budget {_money(surv['budget'].get('median_sample'))} matched vs "
            f"{_money(surv['budget'].get('median_population'))} overall; median gross {_money(surv['gross'].get('median_sample'))} vs "
            f"{_money(surv['gross'].get('median_population'))}: IMSDb favours famous films."}


def _plot_budget_gross(films: pd.DataFrame, matched: pd.DataFrame, analysis: dict) -> dict:
    perf = performance_frame(films)
    perf = perf[np.isfinite(perf["roi"])]
    fig, (ax,) = _figure(7.5, 5.0)
    ax.scatter(perf["log_budget"], perf["log_gross"], s=4, alpha=0.25, color=FILM_COLOUR, label="all films", rasterized=True)
    money = matched[np.isfinite(matched["roi"])]
    ax.scatter(money["log_budget"], money["log_gross"], s=12, color=MATCHED_COLOUR, label="matched scripts")
    if len(perf):
        lo, hi = float(perf["log_budget"].min()), float(perf["log_budget"].max())
        ax.plot([lo, hi], [lo + math.log10(BREAK_EVEN_MULTIPLE), hi + math.log10(BREAK_EVEN_MULTIPLE)],
                color="black", lw=1, ls="--", label=f"break-even ({BREAK_EVEN_MULTIPLE}× budget)")
    ax.set_xlabel("log10 production budget (USD)")
    ax.set_ylabel("log10 worldwide gross (USD)")
    ax.legend(fontsize=8)
    land = analysis["landscape"]
    return {"src": _png(fig), "caption":
            f"Budget against worldwide gross for {land['films_with_money']:,} films (nominal dollars, log scales). Films above the dashed line broke even. "
            f"Budget and gross rank-correlate at ρ = {land['budget_gross_spearman']:.2f}, yet only {_pct(land['break_even_rate'])} cleared {BREAK_EVEN_MULTIPLE}× budget."}


def _plot_groups(analysis: dict) -> dict:
    land = analysis["landscape"]
    fig, axes = _figure(12, 4.2, ncols=3)
    for ax, key, title in zip(axes, ("by_genre", "by_mpaa", "by_decade"), ("genre (IMDb)", "MPAA rating", "decade")):
        rows = land[key]
        ax.barh([f"{r['group']} ({r['films']})" for r in rows], [r["break_even_rate"] for r in rows], color="#2563eb")
        ax.axvline(land["break_even_rate"] or 0, color="black", lw=1, ls="--")
        ax.invert_yaxis()
        ax.set_xlabel("break-even rate")
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=8)
    best = land["by_genre"][0] if land["by_genre"] else {"group": "n/a", "break_even_rate": None}
    return {"src": _png(fig), "caption":
            f"Share of films reaching {BREAK_EVEN_MULTIPLE}× budget by genre, rating and decade (films per group in brackets; dashed line = overall "
            f"{_pct(land['break_even_rate'])}). Best genre: {best['group']} at {_pct(best['break_even_rate'])}. Decades compare nominal dollars: "
            "older budgets and grosses are not inflation-adjusted."}


def _plot_feature_grid(table: pd.DataFrame) -> dict:
    fig, axes = _figure(12, 7.5, ncols=4, nrows=3)
    for ax, name in zip(axes, KEY_FEATURES):
        values = _num(table[f"f_{name}"])
        values = values[np.isfinite(values)]
        ax.hist(values, bins=25, color="#0f766e")
        if values.size:
            ax.axvline(np.median(values), color="black", lw=1)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(FEATURES[name].unit, fontsize=8)
        ax.tick_params(labelsize=7)
    return {"src": _png(fig), "caption":
            f"Distributions of twelve headline script features over the {len(table)} kept scripts (black line = median), "
            "computed by the same featurize() code the model uses. The table below gives every feature's quartiles."}


def _plot_content(analysis: dict) -> dict:
    content = analysis["content_by_rating"]
    fig, (ax,) = _figure(8, 3.2)
    ratings = list(content)
    width = 0.8 / max(len(features.CONTENT_CATEGORIES), 1)
    for i, category in enumerate(features.CONTENT_CATEGORIES):
        ax.bar(np.arange(len(ratings)) + i * width, [content[r][category] for r in ratings], width, label=category)
    ax.set_xticks(np.arange(len(ratings)) + 0.4 - width / 2, [f"{r} ({content[r]['films']})" for r in ratings])
    ax.set_ylabel("median per 1,000 words")
    ax.legend(fontsize=7, ncols=3)
    mpaa = analysis["mpaa_signal"]
    return {"src": _png(fig), "caption":
            "Median content-word rates by the film's real MPAA rating (films in brackets). "
            f"The coverage report's rating rule matches the real rating for {_pct(mpaa['agreement'])} of {mpaa['rated']} rated films."}


def _plot_arcs(analysis: dict) -> dict:
    arcs = analysis["arcs"]
    fig, (ax,) = _figure(8, 4)
    for shape, info in arcs["shapes"].items():
        x = (np.arange(len(info["mean_arc"])) + 0.5) / len(info["mean_arc"])
        ax.plot(x, info["mean_arc"], label=f"{shape} ({info['scripts']})", lw=2)
    ax.set_xlabel("position in script (0 = first page, 1 = last)")
    ax.set_ylabel("mean VADER sentiment")
    ax.legend(fontsize=8)
    p = arcs["kruskal_p_log_gross"]
    largest = next(iter(arcs["shapes"]), "n/a")
    return {"src": _png(fig), "caption":
            f"Mean emotional arc of the scripts in each arc-shape cluster (scripts in brackets). The most common shape is '{largest}'. "
            + (f"Log gross does {'not ' if p >= 0.05 else ''}differ across shapes (Kruskal–Wallis p = {p:.2g})." if p is not None else "")}


def _plot_pacing(analysis: dict) -> dict:
    pacing = analysis["pacing"]
    fig, (ax,) = _figure(8, 3.4)
    ax.bar(pacing["bins"], pacing["counts"], color="#7c3aed")
    ax.set_xlabel("words in the scene")
    ax.set_ylabel("scenes")
    return {"src": _png(fig), "caption":
            f"Scene length over all {pacing['scenes']:,} headed scenes: median {pacing['median_scene_words'] or 0:.0f} words "
            f"(about {(pacing['median_scene_words'] or 0) / 180:.1f} page); the longest tenth run past {pacing['p90_scene_words'] or 0:.0f} words."}


def _plot_genre_auc(analysis: dict) -> dict:
    auc = analysis["genres"]["signal_auc"]
    fig, (ax,) = _figure(7, 3.4)
    names = list(auc)
    ax.barh([f"{g} ({auc[g]['tagged']})" for g in names], [auc[g]["auc"] for g in names], color="#db2777")
    ax.axvline(0.5, color="black", lw=1, ls="--")
    ax.set_xlim(0, 1)
    ax.set_xlabel("AUC: text signal separates tagged from untagged scripts")
    mean = np.mean([v["auc"] for v in auc.values()]) if auc else float("nan")
    return {"src": _png(fig), "caption":
            f"How well each genre's word list picks out the scripts IMSDb tags with that genre (tagged scripts in brackets; 0.5 = chance). Mean AUC {mean:.2f}."}


def _plot_heatmap(analysis: dict) -> dict:
    tests = analysis["relationships"]
    by_key = {(r["feature"], r["target"]): r for r in tests}
    ranked = sorted({r["feature"] for r in tests if r.get("rho") is not None},
                    key=lambda f: -max(abs(by_key[(f, t)].get("rho") or 0) for t in TARGETS))[:TOP_FEATURES_SHOWN]
    grid = np.array([[by_key[(f, t)].get("rho") or np.nan for t in TARGETS] for f in ranked], float).reshape(len(ranked), len(TARGETS))
    fig, (ax,) = _figure(7.5, 0.28 * len(ranked) + 1.8)
    image = ax.imshow(grid, cmap="RdBu_r", vmin=-0.6, vmax=0.6, aspect="auto")
    for i, f in enumerate(ranked):
        for j, t in enumerate(TARGETS):
            row = by_key[(f, t)]
            mark = ("*" if (row.get("q") or 1) < FDR_LEVEL else "") + ("†" if (row.get("partial_q") or 1) < FDR_LEVEL else "")
            if np.isfinite(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:+.2f}{mark}", ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(TARGETS)), list(TARGETS), fontsize=8)
    ax.set_yticks(range(len(ranked)), ranked, fontsize=8)
    fig.colorbar(image, ax=ax, label="Spearman ρ")
    return {"src": _png(fig), "caption":
            f"Spearman ρ of the {len(ranked)} features with the largest |ρ| against each outcome. * = BH q < {FDR_LEVEL}; "
            f"† = partial correlation (budget and year held) has BH q < {FDR_LEVEL}. Colour is the raw ρ."}


def _plot_forest(analysis: dict, target: str = "log_gross") -> dict:
    rows = [r for r in analysis["relationships"] if r["target"] == target and r.get("rho") is not None]
    rows = sorted(rows, key=lambda r: -abs(r["rho"]))[:15][::-1]
    fig, (ax,) = _figure(8, 0.3 * len(rows) + 1.6)
    y = np.arange(len(rows))
    ax.errorbar([r["rho"] for r in rows], y, xerr=[[r["rho"] - r["ci_low"] for r in rows], [r["ci_high"] - r["rho"] for r in rows]],
                fmt="o", color="#1d4ed8", label="ρ with bootstrap 95% CI")
    ax.scatter([r["partial_rho"] for r in rows], y + 0.2, marker="x", color=MATCHED_COLOUR, label="partial ρ (budget, year held)")
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [r["feature"] for r in rows], fontsize=8)
    ax.set_xlabel(f"Spearman ρ with {TARGETS[target]}")
    ax.legend(fontsize=8, loc="lower right")
    s = analysis["relationship_summary"][target]
    return {"src": _png(fig), "caption":
            f"The 15 features most correlated with {TARGETS[target]} (n = {s['n']}), with bootstrap 95% intervals and the partial "
            f"correlation after budget and year. {s['significant']} features pass FDR control raw, {s['significant_partial']} after the controls"
            + (": much of the raw signal is budget in disguise." if s["significant_partial"] < s["significant"] else ".")}


def _plot_top_scatter(matched: pd.DataFrame, analysis: dict) -> dict | None:
    # Scatter plots only say something for measured features; yes/no tags are in the heatmap.
    tests = [r for r in analysis["relationships"] if r.get("partial_q") is not None and r["target"] != "log_budget"
             and FEATURES[r["feature"]].unit != "1 = yes"]
    top = sorted(tests, key=lambda r: r["partial_q"])[:3]
    if not top:
        return None
    fig, axes = _figure(12, 3.6, ncols=len(top))
    for ax, row in zip(axes, top):
        rows = _test_rows(matched, row["target"])
        ax.scatter(_num(rows[f"f_{row['feature']}"]), rows[row["target"]], s=10, alpha=0.6, color="#0f766e")
        ax.set_xlabel(f"{row['feature']} ({row['unit']})", fontsize=8)
        ax.set_ylabel(TARGETS[row["target"]], fontsize=8)
        if row["target"] == "roi":
            ax.set_yscale("log")  # a few 100× hits would flatten everything else
        ax.set_title(f"ρ = {row['rho']:+.2f}, partial ρ = {row['partial_rho']:+.2f}", fontsize=9)
    return {"src": _png(fig), "caption":
            "The three measured feature–outcome pairs with the smallest partial q (budget and year held): "
            + "; ".join(f"{r['feature']} vs {TARGETS[r['target']]} (q = {r['partial_q']:.2g})" for r in top) + "."}


def build_plots(analysis: dict, table: pd.DataFrame, films: pd.DataFrame) -> dict:
    matched = _matched(table)
    plots = {
        "survivorship": _plot_survivorship(films, matched, analysis),
        "budget_gross": _plot_budget_gross(films, matched, analysis),
        "groups": _plot_groups(analysis),
        "feature_grid": _plot_feature_grid(table),
        "content": _plot_content(analysis),
        "arcs": _plot_arcs(analysis),
        "pacing": _plot_pacing(analysis),
        "genre_auc": _plot_genre_auc(analysis),
        "heatmap": _plot_heatmap(analysis),
        "forest": _plot_forest(analysis),
        "top_scatter": _plot_top_scatter(matched, analysis),
    }
    return {k: v for k, v in plots.items() if v is not None}


# ============================================================================ HTML

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reelcast analysis report</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2937;max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin-bottom:4px} h2{border-bottom:2px solid #e5e7eb;padding-bottom:4px;margin-top:40px}
h3{margin-top:24px} .muted{color:#6b7280;font-size:13px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px} th,td{border-bottom:1px solid #e5e7eb;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left} th{background:#f9fafb}
figure{margin:16px 0} figure img{max-width:100%;display:block;border:1px solid #e5e7eb}
figcaption{font-size:13px;color:#374151;margin-top:4px}
.rec{border:1px solid #e5e7eb;border-left:4px solid #2563eb;padding:8px 12px;margin:10px 0;border-radius:4px}
.rec h3{margin:0 0 4px;font-size:16px} .rec p{margin:3px 0;font-size:14px}
.summary li{margin-bottom:6px} details{margin:8px 0} .sig{font-weight:600}
</style></head><body>
<h1>What in a screenplay goes with box-office performance</h1>
<p class="muted">{{ d.scripts_kept }} scripts ({{ d.match_status.get('matched', 0) }} matched to a film) from {{ d.batches|length }} batch(es);
{{ "{:,}".format(d.films) }} films in the reconciled film table. Built {{ built }} in {{ "%.0f"|format(seconds) }} s. All numbers are computed by reelcast's code; the data behind them is in analysis.json and relationships.csv.</p>

<h2>Summary</h2>
<ul class="summary">{% for f in a.findings %}<li>{{ f }}</li>{% endfor %}</ul>

<h2>1. The data</h2>
<h3>Scripts</h3>
<table><tr><th>step</th><th>scripts</th></tr>
<tr><td>files seen</td><td>{{ d.scripts_seen }}</td></tr>
<tr><td>parsed</td><td>{{ d.scripts_parsed }}</td></tr>
{% for reason, n in d.reject_reasons.items() %}<tr><td>rejected: {{ reason }}</td><td>{{ n }}</td></tr>{% endfor %}
<tr><td>duplicates dropped (kept the fuller version)</td><td>{{ d.duplicates }}</td></tr>
<tr><td>kept</td><td>{{ d.scripts_kept }}</td></tr>
{% for status, n in d.match_status.items() %}<tr><td>match: {{ status }}</td><td>{{ n }}</td></tr>{% endfor %}
</table>
{% if d.not_matched %}<details><summary>Scripts not matched to a film ({{ d.not_matched|length }})</summary>
<table><tr><th>script</th><th>status</th><th>reason</th></tr>{% for r in d.not_matched %}<tr><td>{{ r.script }}</td><td>{{ r.status }}</td><td style="text-align:left">{{ r.reason }}</td></tr>{% endfor %}</table></details>{% endif %}
<h3>Films</h3>
<p>The film table reconciles the performance tables: {{ "{:,}".format(d.films) }} films, {{ "{:,}".format(d.films_with_budget_and_gross) }} with both budget and worldwide gross;
{{ "{:,}".format(d.conflicts) }} disagreements between sources were resolved (by field: {% for f, n in d.conflicts_by_field.items() %}{{ f }} {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}).</p>
<table><tr><th>source</th><th>films it supplied a field for</th></tr>{% for s, n in d.films_by_source.items() %}<tr><td>{{ s }}</td><td>{{ "{:,}".format(n) }}</td></tr>{% endfor %}</table>
<table><tr><th>field</th><th>share of films with it</th></tr>{% for f, v in d.field_share.items() %}<tr><td>{{ f }}</td><td>{{ v|pct }}</td></tr>{% endfor %}</table>
<h3>Survivorship bias</h3>
<table><tr><th>measure</th><th>matched median</th><th>all films median</th><th>P(matched film &gt; random film)</th><th>Mann–Whitney p</th></tr>
{% for key, label in [('budget','production budget'),('gross','worldwide gross')] %}{% set c = s[key] %}<tr><td>{{ label }}</td><td>{{ c.median_sample|money }}</td><td>{{ c.median_population|money }}</td><td>{{ c.prob_sample_higher|num(2) }}</td><td>{{ c.p_mann_whitney|num(3) }}</td></tr>{% endfor %}
<tr><td>release year</td><td>{{ s.year.median_sample|num(0) }}</td><td>{{ s.year.median_population|num(0) }}</td><td>{{ s.year.prob_sample_higher|num(2) }}</td><td>{{ s.year.p_mann_whitney|num(3) }}</td></tr>
<tr><td>break-even rate</td><td>{{ s.break_even_rate_matched|pct }}</td><td>{{ s.break_even_rate_population|pct }}</td><td></td><td></td></tr></table>
{{ fig(p.survivorship) }}

<h2>2. Performance landscape</h2>
{{ fig(p.budget_gross) }}
{{ fig(p.groups) }}
{% for key, title in [('by_genre','Genre'),('by_mpaa','MPAA rating'),('by_decade','Decade')] %}
<details><summary>{{ title }} table</summary><table><tr><th>{{ title }}</th><th>films</th><th>median budget</th><th>median gross</th><th>median ROI</th><th>break-even rate</th></tr>
{% for r in l[key] %}<tr><td>{{ r.group }}</td><td>{{ r.films }}</td><td>{{ r.median_budget_usd|money }}</td><td>{{ r.median_gross_usd|money }}</td><td>{{ r.median_roi|num(2) }}×</td><td>{{ r.break_even_rate|pct }}</td></tr>{% endfor %}</table></details>{% endfor %}
<p class="muted">All money is nominal US dollars as reported; a 1985 budget and a 2015 budget are not comparable without inflation adjustment, which is why year is a control in section 4. Median budget by decade:
{% for dec, v in l.median_budget_by_decade.items() %}{{ dec }} {{ v|money }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>

<h2>3. Script features</h2>
{{ fig(p.feature_grid) }}
{{ fig(p.content) }}
{{ fig(p.arcs) }}
<table><tr><th>arc shape</th><th>scripts</th><th>median gross</th><th>break-even rate</th><th>top-grossing comparables</th></tr>
{% for shape, v in a.arcs.shapes.items() %}<tr><td>{{ shape }}</td><td>{{ v.scripts }}</td><td>{{ v.median_gross_usd|money }}</td><td>{{ v.break_even_rate|pct }}</td><td style="text-align:left">{% for c in v.comparables %}{{ c.title }} ({{ c.year }}, {{ c.worldwide_gross_usd|money }}){% if not loop.last %}; {% endif %}{% endfor %}</td></tr>{% endfor %}</table>
{{ fig(p.pacing) }}
{{ fig(p.genre_auc) }}
<details><summary>Every feature: meaning, unit and distribution over the kept scripts</summary>
<table><tr><th>feature</th><th>meaning</th><th>unit</th><th>p10</th><th>p25</th><th>median</th><th>p75</th><th>p90</th></tr>
{% for r in a.features %}<tr><td>{{ r.feature }}</td><td style="text-align:left">{{ r.meaning }}</td><td style="text-align:left">{{ r.unit }}</td><td>{{ r.p10|num(2) }}</td><td>{{ r.p25|num(2) }}</td><td>{{ r.median|num(2) }}</td><td>{{ r.p75|num(2) }}</td><td>{{ r.p90|num(2) }}</td></tr>{% endfor %}</table></details>

<h2>4. Relationships</h2>
<p>Each of the {{ a.settings.features }} features against five outcomes: Spearman ρ with a bootstrap 95% CI ({{ a.settings.bootstrap_resamples }} resamples, fixed seed),
Benjamini–Hochberg false-discovery control at q &lt; {{ a.settings.fdr_level }} over all feature × outcome tests, and the partial Spearman correlation holding log budget and release year fixed
(year only when budget is the outcome). Rows need a known budget and year.</p>
<table><tr><th>outcome</th><th>films</th><th>features tested</th><th>q &lt; {{ a.settings.fdr_level }}</th><th>q &lt; {{ a.settings.fdr_level }} with controls</th><th>|ρ| &lt; 0.3</th><th>largest |ρ|</th></tr>
{% for t, r in a.relationship_summary.items() %}<tr><td>{{ r.label }}</td><td>{{ r.n }}</td><td>{{ r.tested }}</td><td>{{ r.significant }}</td><td>{{ r.significant_partial }}</td><td>{{ r.negligible_or_weak }}</td><td>{{ r.max_abs_rho|num(2) }}</td></tr>{% endfor %}</table>
{{ fig(p.heatmap) }}
{{ fig(p.forest) }}
{% if p.top_scatter %}{{ fig(p.top_scatter) }}{% endif %}
<details><summary>Significant relationships (q &lt; {{ a.settings.fdr_level }}), all outcomes</summary>
<table><tr><th>feature</th><th>outcome</th><th>ρ</th><th>95% CI</th><th>q</th><th>partial ρ</th><th>partial q</th><th>strength</th></tr>
{% for r in significant %}<tr><td>{{ r.feature }}</td><td>{{ r.target }}</td><td>{{ r.rho|num(2) }}</td><td>{{ r.ci_low|num(2) }} … {{ r.ci_high|num(2) }}</td><td>{{ r.q|num(3) }}</td><td>{{ r.partial_rho|num(2) }}</td><td>{{ r.partial_q|num(3) }}</td><td>{{ r.strength }}</td></tr>{% endfor %}</table></details>

<h2>5. Recommendations for the coverage report</h2>
{% for r in a.recommendations %}<div class="rec"><h3>{{ loop.index }}. {{ r.title }}</h3>
<p>{{ r.what }}</p><p><b>Evidence:</b> {{ r.evidence }}</p><p><b>Assumption:</b> {{ r.assumption }}</p><p><b>Reliability:</b> {{ r.reliability }}</p></div>{% endfor %}
<p class="muted">Correlations describe IMSDb's famous, released films; they are associations, not causes.</p>
</body></html>
"""


def _fmt_num(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def render_html(analysis: dict, table: pd.DataFrame, films: pd.DataFrame, seconds: float = 0.0) -> str:
    """The self-contained report page: the analysis numbers, their plots as inline PNGs."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters.update(money=_money, pct=_pct, num=_fmt_num)
    plots = build_plots(analysis, table, films)

    def fig(plot: dict) -> Markup:
        return Markup('<figure><img alt="{0}" src="{1}"><figcaption>{0}</figcaption></figure>').format(
            plot["caption"], Markup(plot["src"]))

    significant = sorted([r for r in analysis["relationships"] if r.get("q") is not None and r["q"] < FDR_LEVEL],
                         key=lambda r: r["q"])
    return environment.from_string(TEMPLATE).render(
        a=analysis, d=analysis["data"], s=analysis["survivorship"], l=analysis["landscape"], p=plots, fig=fig,
        significant=significant, seconds=seconds, built=time.strftime("%Y-%m-%d %H:%M"))


# ============================================================================ I/O


RELATIONSHIP_COLUMNS = ["feature", "meaning", "unit", "group", "target", "n", "rho", "ci_low", "ci_high", "p", "q",
                        "partial_rho", "partial_p", "partial_q", "strength", "partial_strength"]


def _atomic_write_text(path: Path, text: str) -> None:
    dataset.atomic_write_bytes(path, text.encode("utf-8"))


def _load_inputs(home) -> tuple[pd.DataFrame, pd.DataFrame, dict, dict, pd.DataFrame | None]:
    root = config.dataset_dir(home)
    if dataset.manifest(home) is None:
        raise FileNotFoundError(f"no dataset at {root}: run `reelcast build` first")
    matches_path = root / "matches.parquet"
    return (dataset.load_table(home), pd.read_parquet(root / "films.parquet"),
            json.loads((root / "quality.json").read_text()), dataset.load_screenplays(home),
            pd.read_parquet(matches_path) if matches_path.exists() else None)


def write_report(home: str | Path | None = None, out: Path | None = None) -> Path:
    """Build the report from `<home>/dataset`; write the HTML (default `<home>/report/report.html`),
    and `analysis.json` and `relationships.csv` beside it. Returns the HTML path."""
    started = time.monotonic()
    table, films, quality, screenplays, matches = _load_inputs(home)
    analysis = compute_analysis(table, films, quality, screenplays, matches)
    out = Path(out) if out else config.home_dir(home) / "report" / "report.html"
    html = render_html(analysis, table, films, seconds=time.monotonic() - started)
    _atomic_write_text(out.parent / "analysis.json", json.dumps(analysis, indent=1))
    frame = pd.DataFrame(analysis["relationships"]).reindex(columns=RELATIONSHIP_COLUMNS)
    _atomic_write_text(out.parent / "relationships.csv", frame.to_csv(index=False))
    _atomic_write_text(out, html)
    return out
