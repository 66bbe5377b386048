"""The one object the CLI and the HTTP app share: the model and corpus statistics, loaded once.

Every call takes a parsed `Screenplay` and an optional planned budget and goes through the same
path as training: screenplay → features → model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

from reelcast import features, model
from reelcast.model import ModelMissing
from reelcast.screenplay import Screenplay

__all__ = ["Service", "ModelMissing", "ScriptInputs"]

MIN_WORDS_FOR_FORECAST = 2000  # below ~10 pages the features describe a fragment, not a film


@dataclass
class ScriptInputs:
    """A script as the model sees it, computed once per request and shared by prediction,
    explanation and coverage: the feature row, the words and their TF-IDF vector, the heads' inputs."""

    screenplay: Screenplay
    features: dict[str, float]
    row: np.ndarray
    tokens: list[str]
    vectors: object  # 1 × vocabulary sparse TF-IDF row of `tokens` (the mean of its parts' rows)
    stacked: np.ndarray  # 1 × heads' inputs (`Forecaster.input_names`), genre tags imputed when absent
    genre_source: str    # "footer" or "words": whose heads forecast it (model.GENRE_SOURCES)

    @cached_property
    def characters(self) -> list[dict]:
        return features.character_stats(self.screenplay)

    @cached_property
    def content_flags(self) -> dict[str, dict]:
        return features.content_flags(self.screenplay)


# Words this close to a training script's are that script: a re-upload scores 1.00 (with or without
# IMSDb's footer), half of Die Hard 0.88, while the two closest different corpus scripts (Star Wars
# episodes I and II) score 0.64.
SAME_SCRIPT_SIMILARITY = 0.95


class Service:
    def __init__(self, forecaster: model.Forecaster, manifest: dict):
        self.forecaster, self.manifest = forecaster, manifest
        self.corpus = manifest["corpus"]
        self._prepare_similarity()

    def _prepare_similarity(self) -> None:
        """Corpus statistics the explanation reads on every call, computed once at load."""
        from scipy import sparse
        c = self.corpus
        # the training scripts' head inputs as each genre source sees them (footer tags / tags read
        # from the words): a script's percentiles and comparables are taken in its own source's view
        self.corpus_inputs = {"footer": c["inputs"], "words": c["inputs_words"]}
        # unit length, so a dot product is a cosine (a script's vector is a mean of unit vectors)
        self.corpus_vectors = normalize(sparse.csr_matrix((c["vec_data"], c["vec_indices"], c["vec_indptr"]),
                                                          shape=tuple(c["vec_shape"])))
        self.input_mean = c["inputs"].mean(axis=0)   # one scale for both views
        self.input_scale = c["inputs"].std(axis=0)
        self.input_scale[self.input_scale == 0] = 1.0
        # how much the model leans on each input, in its gross and budget heads: a learned similarity
        heads = self.forecaster.heads["footer"].models
        self.similarity_weights = np.abs(heads["log_budget"].coef) + np.abs(heads["log_gross_script"].coef)
        text_sim = (self.corpus_vectors @ self.corpus_vectors.T).toarray()
        np.fill_diagonal(text_sim, -1)
        self.typical_nearest_similarity = float(np.median(0.5 * text_sim.max(axis=1) + 0.5))

    @classmethod
    def load(cls, home: str | Path | None = None) -> "Service":
        forecaster, manifest = model.load(home)
        return cls(forecaster, manifest)

    @property
    def model_version(self) -> str:
        return self.manifest["model_version"]

    # ------------------------------------------------------------ inputs
    def inputs(self, screenplay: Screenplay) -> ScriptInputs:
        values, tokens = features.featurize_with_tokens(screenplay)
        f = self.forecaster
        row = np.array([[values[n] for n in f.feature_names]], dtype=float)
        vectors = f.text.vectors([tokens])
        return ScriptInputs(screenplay, values, row, tokens, vectors, f.inputs_from_vectors(row, vectors),
                            str(f.genre_source(row)[0]))

    # ------------------------------------------------------------ prediction
    def predict(self, screenplay: Screenplay, budget_usd: float | None = None) -> dict:
        return self.predict_inputs(self.inputs(screenplay), budget_usd)

    def predict_inputs(self, script: ScriptInputs, budget_usd: float | None = None) -> dict:
        f = self.forecaster
        budget = None if budget_usd is None else np.array([float(budget_usd)])
        source = np.array([script.genre_source])
        out = f.predict_stacked(script.stacked, source, budget)
        mode = "script" if budget is None else "given"
        gross_lo, gross_hi = f.interval(f"log_gross_{mode}", out["log_gross"], source)
        budget_lo, budget_hi = f.interval("log_budget", out["log_budget"], source)
        return {
            "model_version": self.model_version,
            "worldwide_gross_usd": _interval(out["log_gross"][0], gross_lo[0], gross_hi[0]),
            "production_budget_usd": _interval(out["log_budget"][0], budget_lo[0], budget_hi[0]),
            "p_break_even": round(float(out["p_break_even"][0]), 4),
            "budget_used_usd": round(float(math.exp(out["log_budget_used"][0])), -3),
            "budget_source": "planned" if budget is not None else "estimated from the script",
            "budget_tier": budget_tier(math.exp(out["log_budget"][0])),
            "warnings": self.warnings(script, budget_usd),
        }

    def word_similarity(self, script: ScriptInputs) -> np.ndarray:
        """Cosine between the script's words (its TF-IDF vector) and each training script's."""
        # sparse matrix × dense vector: a sparse × sparse product here cost ~24 ms a request (scipy builds
        # the transposed product's structure first), this ~2 ms, with the same values
        return self.corpus_vectors @ normalize(script.vectors).toarray().ravel()

    def training_twin(self, script: ScriptInputs) -> str | None:
        """The training script this one is, or a light edit of ('Die Hard (1988)'), else None."""
        similarity = self.word_similarity(script)
        i = int(similarity.argmax())
        if similarity[i] < SAME_SCRIPT_SIMILARITY:
            return None
        return f"{self.corpus['title'][i]} ({int(self.corpus['year'][i])})"

    def warnings(self, script: ScriptInputs, budget_usd: float | None) -> list[str]:
        notes = list(script.screenplay.warnings)
        twin = self.training_twin(script)
        if twin:
            notes.append(f"this is one of the model's training scripts, {twin}, or nearly: the model learned from "
                         "its film's results, so this forecast is in sample and flatters the model (the forecast "
                         "itself reads only the text)")
        if script.features.get("words", 0) < MIN_WORDS_FOR_FORECAST:
            notes.append(f"only {int(script.features.get('words', 0))} words: a forecast for a fragment is little better than the average film")
        budgets = self.corpus["budget"]
        if budget_usd is not None and not (budgets.min() <= budget_usd <= budgets.max()):
            notes.append(f"the planned budget is outside the training films' range "
                         f"(${budgets.min():,.0f} – ${budgets.max():,.0f}); the forecast extrapolates")
        return notes

    # ------------------------------------------------------------ explanation and coverage
    def explain(self, screenplay: Screenplay, budget_usd: float | None = None) -> dict:
        from reelcast import explain
        return explain.explain(self, self.inputs(screenplay), budget_usd)

    def coverage(self, screenplay: Screenplay, budget_usd: float | None = None) -> dict:
        from reelcast import coverage
        return coverage.coverage_report(self, self.inputs(screenplay), budget_usd)


def _interval(log_estimate: float, log_low: float, log_high: float) -> dict:
    return {"estimate": round(math.exp(log_estimate), -3), "low": round(math.exp(log_low), -3),
            "high": round(math.exp(log_high), -3), "level": model.LEVEL}


BUDGET_TIERS = [(5e6, "micro (under $5M)"), (20e6, "low ($5–20M)"), (60e6, "mid ($20–60M)"),
                (120e6, "high ($60–120M)"), (math.inf, "tentpole (over $120M)")]


def budget_tier(budget_usd: float) -> str:
    return next(label for limit, label in BUDGET_TIERS if budget_usd < limit)
