"""Repeated cross-validation of every candidate and baseline → metrics with confidence intervals → model card.

Every candidate answers the same question the product answers: from the script alone (no budget
given), what are log worldwide gross, log production budget and the chance of break-even? Folds are
shared across candidates so their differences are paired.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import KFold

from reelcast import config, dataset, model, stats

LEVEL = model.LEVEL


# ---------------------------------------------------------------- candidates

@dataclass
class Candidate:
    name: str
    description: str
    fit_predict: Callable[["model.TrainingSet", "model.TrainingSet", pd.DataFrame], dict]
    baseline: bool = False


def _median(train, test, films) -> dict:
    n = len(test.frame)
    return {"log_gross": np.full(n, np.median(train.log_gross)), "log_budget": np.full(n, np.median(train.log_budget)),
            "p_break_even": np.full(n, train.break_even.mean())}


def _genre_matrix(ts) -> np.ndarray:
    names = [n for n in ts.feature_names if n.startswith("genre_tag_")]
    return ts.frame[[f"f_{n}" for n in names]].to_numpy(float)


def _linear(Xtr, Xte, train) -> dict:
    out = {}
    for target in ("log_gross", "log_budget"):
        out[target] = Ridge(alpha=3.0).fit(Xtr, getattr(train, target)).predict(Xte)
    out["p_break_even"] = LogisticRegression(C=1.0, max_iter=2000).fit(Xtr, train.break_even).predict_proba(Xte)[:, 1]
    return out


def _genres_only(train, test, films) -> dict:
    return _linear(_genre_matrix(train), _genre_matrix(test), train)


def _tfidf(train, test, films) -> dict:
    vec = TfidfVectorizer(sublinear_tf=True, min_df=3, max_df=0.95)
    return _linear(vec.fit_transform(train.texts), vec.transform(test.texts), train)


def _standardise(Xtr, Xte):
    mean, scale = Xtr.mean(axis=0), Xtr.std(axis=0)
    scale[scale == 0] = 1
    return (Xtr - mean) / scale, (Xte - mean) / scale


def _features_ridge(train, test, films) -> dict:
    Xtr, Xte = _standardise(train.X, test.X)
    out = {t: Ridge(alpha=30.0).fit(Xtr, getattr(train, t)).predict(Xte) for t in ("log_gross", "log_budget")}
    out["p_break_even"] = LogisticRegression(C=1 / 30.0, max_iter=2000).fit(Xtr, train.break_even).predict_proba(Xte)[:, 1]
    return out


LGBM = dict(n_estimators=300, learning_rate=0.03, num_leaves=7, min_child_samples=15, subsample=0.8,
            subsample_freq=1, colsample_bytree=0.5, reg_lambda=5.0, verbose=-1, random_state=0)


def _features_lgbm(train, test, films) -> dict:
    out = {t: lgb.LGBMRegressor(**LGBM).fit(train.X, getattr(train, t)).predict(test.X) for t in ("log_gross", "log_budget")}
    out["p_break_even"] = lgb.LGBMClassifier(**LGBM).fit(train.X, train.break_even).predict_proba(test.X)[:, 1]
    return out


def _knn(train, test, films, k: int = 10) -> dict:
    vec = TfidfVectorizer(sublinear_tf=True, min_df=3, max_df=0.95)
    A, B = vec.fit_transform(train.texts), vec.transform(test.texts)
    sim = (B @ A.T).toarray()
    nearest = np.argsort(-sim, axis=1)[:, :k]
    w = np.take_along_axis(sim, nearest, axis=1) + 1e-9
    avg = lambda y: (y[nearest] * w).sum(axis=1) / w.sum(axis=1)
    return {"log_gross": avg(train.log_gross), "log_budget": avg(train.log_budget),
            "p_break_even": avg(train.break_even.astype(float))}


def _knn_learned(train, test, films) -> dict:
    """Neighbours under a similarity learned for the outcome: the shipped model's `ScoreNeighbours` alone
    (closeness of the text ridges' budget, gross and era scores, out of fold for the training scripts)."""
    targets = train.text_targets
    neighbours = model.ScoreNeighbours().fit(model.out_of_fold_text_scores(train, targets), train.outcomes)
    mean = neighbours.transform(model.TextScorer().fit(train.counts, train.vocab, targets).transform_counts(test.counts))
    return {"log_budget": mean[:, 0], "log_gross": mean[:, 1], "p_break_even": mean[:, 2]}


def _stack(train, test, films) -> dict:
    forecaster = model.fit_forecaster(train, films, prior=_prior_for(films))
    S = forecaster.inputs_from_vectors(test.X, forecaster.text.vectors_from_counts(test.counts))
    sources = forecaster.genre_source(test.X)
    out = forecaster.predict_stacked(S, sources)
    out["gross_interval"] = forecaster.interval("log_gross_script", out["log_gross"], sources)
    out["budget_interval"] = forecaster.interval("log_budget", out["log_budget"], sources)
    given = forecaster.predict_stacked(S, sources, np.exp(test.log_budget))
    out["log_gross_given_budget"] = given["log_gross"]
    out["p_break_even_given_budget"] = given["p_break_even"]
    out["gross_interval_given_budget"] = forecaster.interval("log_gross_given", given["log_gross"], sources)
    return out


def _stack_without_footer(train, test, films) -> dict:
    """The shipped model on test scripts stripped of IMSDb's genre footer, as most uploads arrive."""
    stripped = test.subset(np.arange(len(test.frame)))
    tag_columns = [c for c in stripped.frame.columns if c.startswith("f_genre_tag")]
    stripped.frame[tag_columns] = 0.0
    return _stack(train, stripped, films)


_PRIORS: dict[int, "model.FilmPrior"] = {}


def _prior_for(films: pd.DataFrame) -> "model.FilmPrior":
    """The film-table prior depends only on the film table (already without any script's film): fit once."""
    key = id(films)
    if key not in _PRIORS:
        _PRIORS.clear()
        _PRIORS[key] = model.FilmPrior().fit(films)
    return _PRIORS[key]


CANDIDATES = [
    Candidate("median", "the training median / base rate for every script", _median, baseline=True),
    Candidate("genres_only", "IMSDb genre tags → ridge / logistic", _genres_only, baseline=True),
    Candidate("tfidf_linear", "TF-IDF of the text → ridge / logistic", _tfidf, baseline=True),
    Candidate("features_ridge", "the screenplay features → ridge / logistic", _features_ridge),
    Candidate("features_lgbm", "the screenplay features → gradient boosting (LightGBM)", _features_lgbm),
    Candidate("comparables_knn", "mean outcome of the 10 most similar scripts by words (nearest neighbours)", _knn),
    Candidate("comparables_learned", "the same over a learned similarity: closeness of the text ridges' budget, "
              "gross and era scores", _knn_learned),
    Candidate("stack", "features + text scores + film-table prior → linear heads (the shipped model)", _stack),
    Candidate("stack_no_footer", "the shipped model on test scripts without IMSDb genre tags (imputed from the words)",
              _stack_without_footer),
]


# ---------------------------------------------------------------- metrics

def metrics(ts, pred: dict) -> dict:
    out = {
        "spearman_gross": spearmanr(pred["log_gross"], ts.log_gross)[0],
        "spearman_budget": spearmanr(pred["log_budget"], ts.log_budget)[0],
        "auc_break_even": roc_auc_score(ts.break_even, pred["p_break_even"]),
        "brier_break_even": brier_score_loss(ts.break_even, np.clip(pred["p_break_even"], 0, 1)),
        "mae_log_gross": float(np.mean(np.abs(pred["log_gross"] - ts.log_gross))),
    }
    for key, truth in (("gross_interval", ts.log_gross), ("budget_interval", ts.log_budget),
                       ("gross_interval_given_budget", ts.log_gross)):
        if key in pred:
            lo, hi = pred[key]
            out[f"coverage_{key}"] = float(np.mean((truth >= lo) & (truth <= hi)))
    if "log_gross_given_budget" in pred:
        out["spearman_gross_given_budget"] = spearmanr(pred["log_gross_given_budget"], ts.log_gross)[0]
        out["auc_break_even_given_budget"] = roc_auc_score(ts.break_even, pred["p_break_even_given_budget"])
    return {k: float(v) for k, v in out.items()}


RELIABILITY_BINS = 5


def reliability(truth: np.ndarray, p: np.ndarray, bins: int = RELIABILITY_BINS) -> dict:
    """Forecast probabilities in equal-count bins: the mean forecast against the observed break-even rate
    (with its 95% Wilson interval), and the expected calibration error (count-weighted mean gap)."""
    rows = []
    for group in np.array_split(np.argsort(p, kind="stable"), bins):
        if len(group):
            hits = int(truth[group].sum())
            rows.append({"scripts": len(group), "low": float(p[group].min()), "high": float(p[group].max()),
                         "mean_forecast": float(p[group].mean()), "observed_rate": hits / len(group),
                         "observed_ci95": stats.wilson_interval(hits, len(group))})
    ece = sum(r["scripts"] * abs(r["mean_forecast"] - r["observed_rate"]) for r in rows) / len(p)
    return {"bins": rows, "ece": float(ece)}


def bootstrap_ci(ts, pred: dict, n: int = 300, seed: int = 0) -> dict:
    """95% intervals over scripts: resample the out-of-fold predictions with replacement."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(n):
        idx = rng.integers(0, len(ts.frame), len(ts.frame))
        sub = ts.subset(idx)
        part = {k: (v[idx] if not isinstance(v, tuple) else (v[0][idx], v[1][idx])) for k, v in pred.items()}
        for k, v in metrics(sub, part).items():
            draws.setdefault(k, []).append(v)
    return {k: (float(np.nanpercentile(v, 2.5)), float(np.nanpercentile(v, 97.5))) for k, v in draws.items()}


def out_of_fold(candidate: Candidate, ts, films, folds: int, seed: int, train_fraction: float = 1.0) -> dict:
    """Out-of-fold predictions for every script; `train_fraction` < 1 fits on a random share of each
    training fold (the same test folds), for the learning curve."""
    pred: dict = {}
    rng = np.random.default_rng(seed)
    for train_idx, test_idx in KFold(folds, shuffle=True, random_state=seed).split(ts.frame):
        if train_fraction < 1.0:
            train_idx = np.sort(rng.choice(train_idx, round(train_fraction * len(train_idx)), replace=False))
        part = candidate.fit_predict(ts.subset(train_idx), ts.subset(test_idx), films)
        for key, value in part.items():
            if isinstance(value, tuple):
                lo, hi = pred.setdefault(key, (np.zeros(len(ts.frame)), np.zeros(len(ts.frame))))
                lo[test_idx], hi[test_idx] = value
            else:
                pred.setdefault(key, np.zeros(len(ts.frame)))[test_idx] = value
    return pred


def cross_validate(ts, films, repeats: int = 3, folds: int = 5, candidates=None, log=print) -> dict:
    # No script's own film may inform the prior, whichever fold it is in (the outside test films are
    # absent from every table, so this is the honest setting).
    films = model.films_without(films, ts.frame)
    results = {}
    for candidate in candidates or CANDIDATES:
        started = time.perf_counter()
        runs, preds = [], []
        for r in range(repeats):
            pred = out_of_fold(candidate, ts, films, folds, seed=r)
            runs.append(metrics(ts, pred))
            preds.append(pred)
        mean = _mean_of_runs(runs)
        ci = bootstrap_ci(ts, preds[0])
        curves = {mode: reliability(ts.break_even, preds[0][key])
                  for mode, key in (("script", "p_break_even"), ("given_budget", "p_break_even_given_budget"))
                  if key in preds[0]}
        results[candidate.name] = {"description": candidate.description, "baseline": candidate.baseline,
                                   "mean": mean, "ci95": ci, "per_repeat": runs, "reliability": curves,
                                   "seconds": round(time.perf_counter() - started, 1)}
        log(f"{candidate.name:16s} gross ρ {mean['spearman_gross']:.3f}  budget ρ {mean['spearman_budget']:.3f}  "
            f"AUC {mean['auc_break_even']:.3f}  ({results[candidate.name]['seconds']} s)")
    return results


def _mean_of_runs(runs: list[dict]) -> dict:
    return {k: float(np.mean([run[k] for run in runs])) for k in runs[0]}


LEARNING_FRACTIONS = (0.5, 0.75)
MIN_LEARNING_SCRIPTS = 10   # the stack's inner 5-fold cross-validation needs two scripts per fold


def learning_curve(ts, films, repeats: int = 3, folds: int = 5, log=print) -> list[dict]:
    """The shipped model's skill when it learns from fewer scripts, on the same test folds: how much
    would more scripts buy? (The full-data point is the `stack` row of the main results.)"""
    films = model.films_without(films, ts.frame)
    stack = next(c for c in CANDIDATES if c.name == "stack")
    full = len(ts.frame) * (folds - 1) / folds
    points = []
    for fraction in LEARNING_FRACTIONS:
        scripts = round(fraction * full)
        if scripts < MIN_LEARNING_SCRIPTS:
            continue
        runs = [metrics(ts, out_of_fold(stack, ts, films, folds, seed=r, train_fraction=fraction)) for r in range(repeats)]
        mean = _mean_of_runs(runs)
        points.append({"train_fraction": fraction, "training_scripts": scripts, "mean": mean, "per_repeat": runs})
        log(f"learning curve, {scripts} training scripts: gross ρ {mean['spearman_gross']:.3f}  "
            f"budget ρ {mean['spearman_budget']:.3f}  AUC {mean['auc_break_even']:.3f}")
    return points


# ---------------------------------------------------------------- model card

def run(home=None, repeats: int = 3, out: Path = Path("docs/model_card.md"), log=print) -> dict:
    ts = model.load_training_set(home)
    films = pd.read_parquet(config.dataset_dir(home) / "films.parquet")
    results = cross_validate(ts, films, repeats=repeats, log=log)
    curve = learning_curve(ts, films, repeats=repeats, log=log)
    built = dataset.manifest(home) or {}
    card = render_card(results, curve, ts, films, built, repeats, trained_version(home), reliability_plot_path(out).name)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_reliability_plot(results["stack"]["reliability"], reliability_plot_path(out))
    dataset.atomic_write_bytes(out, card.encode())
    metrics_path = config.home_dir(home) / "evaluation.json"
    dataset.atomic_write_json(metrics_path, {"results": results, "learning_curve": curve,
                                             "dataset_fingerprint": built.get("fingerprint"), "repeats": repeats})
    best = results["stack"]["mean"]
    return {"results": results, "summary": f"stack: gross ρ {best['spearman_gross']:.3f}, budget ρ {best['spearman_budget']:.3f}, "
                                           f"break-even AUC {best['auc_break_even']:.3f}, "
                                           f"80% gross interval coverage {best.get('coverage_gross_interval', float('nan')):.2f}"}


def _fmt(result: dict, key: str) -> str:
    if key not in result["mean"]:
        return "–"
    lo, hi = result["ci95"][key]
    return f"{result['mean'][key]:.3f} [{lo:.2f}, {hi:.2f}]"


def trained_version(home=None) -> str:
    """The version of the model trained in `home`, which the card describes."""
    manifest_path = config.model_dir(home) / "manifest.json"
    return json.loads(manifest_path.read_text())["model_version"] if manifest_path.exists() else "(not trained)"


MODE_LABELS = {"script": "script only", "given_budget": "real budget given"}


def reliability_plot_path(card: Path) -> Path:
    return card.with_name(f"{card.stem}_reliability.svg")


def write_reliability_plot(curves: dict, path: Path) -> None:
    """The reliability curve of the break-even probability, beside the card (SVG, reproducible bytes)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "reelcast"
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.plot([0, 1], [0, 1], color="#999", linestyle=":", label="perfect calibration")
    for (mode, curve), colour in zip(curves.items(), ("#1f5fa8", "#c0562b")):
        bins = curve["bins"]
        x = [b["mean_forecast"] for b in bins]
        y = [b["observed_rate"] for b in bins]
        err = [[b["observed_rate"] - b["observed_ci95"][0] for b in bins], [b["observed_ci95"][1] - b["observed_rate"] for b in bins]]
        ax.errorbar(x, y, yerr=err, marker="o", capsize=3, color=colour, label=f"{MODE_LABELS[mode]} (ECE {curve['ece']:.3f})")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="forecast probability of break-even (bin mean)",
           ylabel="observed break-even rate (95% interval)", title="Break-even reliability, out of fold")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    dataset.atomic_write_bytes(path, buffer.getvalue())


def render_reliability(curves: dict, plot_name: str) -> str:
    rows = "\n".join(f"| {MODE_LABELS[mode]} | {b['low']:.2f}–{b['high']:.2f} | {b['scripts']} | {b['mean_forecast']:.2f} | "
                     f"{b['observed_rate']:.2f} [{b['observed_ci95'][0]:.2f}, {b['observed_ci95'][1]:.2f}] |"
                     for mode, curve in curves.items() for b in curve["bins"])
    errors = ", ".join(f"{MODE_LABELS[mode]} {curve['ece']:.3f}" for mode, curve in curves.items())
    return f"""Out-of-fold break-even probabilities (first repeat) in {RELIABILITY_BINS} equal-count bins: of the scripts given
about 40%, about 40% should break even. Expected calibration error (count-weighted gap): {errors}.

| mode | forecast range | scripts | mean forecast | observed rate [95%] |
|---|---|---|---|---|
{rows}

![Reliability curve of the break-even probability]({plot_name})"""


def render_learning_curve(curve: list[dict], stack: dict, scripts: int, folds: int = 5) -> str:
    if not curve:
        return "Too few training scripts to measure one."
    points = [*curve, {"training_scripts": round(scripts * (folds - 1) / folds), "mean": stack["mean"]}]
    rows = "\n".join(f"| {p['training_scripts']} | {p['mean']['spearman_gross']:.3f} | {p['mean']['spearman_budget']:.3f} | "
                     f"{p['mean']['auc_break_even']:.3f} | {p['mean']['coverage_gross_interval']:.2f} |" for p in points)
    first, before, last = points[0], points[-2], points[-1]
    doublings = np.log2(last["training_scripts"] / first["training_scripts"])
    keys = ("spearman_gross", "spearman_budget", "auc_break_even")
    gain = {k: (last["mean"][k] - first["mean"][k]) / doublings for k in keys}
    step = {k: last["mean"][k] - before["mean"][k] for k in keys}
    return f"""The shipped model fitted on a random share of each training fold, tested on the same folds (mean over
repeats; the last row is the full training fold, the `stack` row above). The model you run learns from all
{scripts} scripts, a quarter more than each fold here.

| training scripts | gross ρ | budget ρ | break-even AUC | 80% gross interval coverage |
|---|---|---|---|---|
{rows}

From {first['training_scripts']} to {last['training_scripts']} scripts, each doubling of the training scripts added
{gain['spearman_gross']:+.3f} to gross ρ, {gain['spearman_budget']:+.3f} to budget ρ and {gain['auc_break_even']:+.3f} to the
break-even AUC; the last step alone ({before['training_scripts']} → {last['training_scripts']}) added {step['spearman_gross']:+.3f},
{step['spearman_budget']:+.3f} and {step['auc_break_even']:+.3f}: where it is small, more scripts of the same kind will buy
little. New batches in the data folder are learned by one command, `reelcast train` (or `make demo`)."""


def render_card(results: dict, curve: list[dict], ts, films, built: dict, repeats: int, version: str,
                plot_name: str) -> str:
    rows = "\n".join(
        f"| {name}{' (baseline)' if r['baseline'] else ''} | {r['description']} | {_fmt(r, 'spearman_gross')} | "
        f"{_fmt(r, 'spearman_budget')} | {_fmt(r, 'auc_break_even')} | {_fmt(r, 'brier_break_even')} |"
        for name, r in results.items())
    stack = results["stack"]
    years = ts.frame["year"]
    return f"""# Model card: reelcast forecast

_Generated by `reelcast evaluate` ({repeats}× repeated 5-fold cross-validation). Do not edit by hand._

- Model version: `{version}`
- Dataset fingerprint: `{built.get('fingerprint', '?')}` (dataset version {built.get('version', '?')})
- Training scripts: {len(ts.frame)} IMSDb screenplays matched to a film with a known budget and worldwide gross
  (release years {int(years.min())}–{int(years.max())}, median {int(years.median())}); film-table prior: {len(films)} films
  of which those with budget and gross and **not** among the training scripts' films are used.

## What it predicts
From the script text alone (optionally with a planned budget): worldwide gross (nominal US$), production
budget (the script's budget tier), and the probability that worldwide gross reaches 2.5 × budget (break-even).
Base rate of break-even in the training scripts: {ts.break_even.mean():.0%}.

## Cross-validated skill (script only, no budget given)
Mean over repeats; brackets are 95% bootstrap intervals over scripts (first repeat's out-of-fold predictions).
All candidates share the same folds. The median baseline predicts one constant per fold, so its ρ and AUC
only reflect which fold a script fell in: it has no skill by construction.

| candidate | what it is | Spearman ρ, log gross | Spearman ρ, log budget | break-even AUC | Brier |
|---|---|---|---|---|---|
{rows}

Measured outside this command, since they need packages the product does not install: GloVe word vectors
and all-MiniLM-L6-v2 sentence embeddings, alone and as extra stacked inputs. Neither beat the text ridges,
and the sentence embeddings cost seconds per script; figures in `docs/decisions/002-model.md`.

## Uncertainty (the shipped `stack`)
- 80% interval coverage, out of fold: worldwide gross {_fmt(stack, 'coverage_gross_interval')},
  budget {_fmt(stack, 'coverage_budget_interval')}, gross with the real budget given {_fmt(stack, 'coverage_gross_interval_given_budget')}.
  Intervals are split-conformal: quantiles of out-of-fold residuals from an inner cross-validation.
- Break-even probability: Brier {_fmt(stack, 'brier_break_even')} (base-rate Brier {results['median']['mean']['brier_break_even']:.3f}).
- With the real budget given: gross ρ {_fmt(stack, 'spearman_gross_given_budget')}, break-even AUC {_fmt(stack, 'auc_break_even_given_budget')}.
{_render_without_footer(results.get("stack_no_footer"))}

### Reliability of the break-even probability
{render_reliability(stack['reliability'], plot_name)}

## Skill against the number of training scripts
{render_learning_curve(curve, stack, len(ts.frame))}

## Data and its biases
- IMSDb favours famous, produced, often successful films: the training films gross more than the average film
  in the tables (see the analysis report, `reelcast report`). Forecasts for unknown scripts lean optimistic.
- Scripts are drafts; the released film can differ (length, scenes, even the ending).
- Money is nominal US dollars across decades; the era estimate (title-page date or vocabulary) is an input.
- Vocabulary selection for text features is fit inside each training fold; the film-table prior never sees
  the training scripts' own films.

## Limits
- A few hundred scripts: estimates of small effects are noisy; intervals are wide by design.
- Scripts without an IMSDb footer lack genre tags; text genre signals stand in, less precisely
  (row `stack_no_footer`).
- Not for: ranking scripts by artistic merit; predicting marketing, release timing or star power.
"""


def _render_without_footer(r: dict | None) -> str:
    """The uncertainty figures of scripts without the footer, which have their own heads."""
    if r is None:
        return ""
    ece = {mode: curve["ece"] for mode, curve in r["reliability"].items()}
    return (f"- Scripts without the IMSDb footer (genre tags read from the words; their own heads): 80% interval "
            f"coverage gross {_fmt(r, 'coverage_gross_interval')},\n  budget {_fmt(r, 'coverage_budget_interval')}, "
            f"gross with the real budget given {_fmt(r, 'coverage_gross_interval_given_budget')}; Brier "
            f"{_fmt(r, 'brier_break_even')}; expected calibration error of P(break-even) {ece['script']:.3f}\n"
            f"  ({ece['given_budget']:.3f} with the budget given); with the real budget given, gross ρ "
            f"{_fmt(r, 'spearman_gross_given_budget')}, break-even AUC {_fmt(r, 'auc_break_even_given_budget')}.")
