"""Train, save, load and apply the forecast: script features (+ a planned budget) → gross, budget, break-even.

The model is a small stack, every piece with fit / transform / predict:

  TextScorer   TF-IDF of action + dialogue → ridge scores for log budget, log gross, release year,
               learned from each script's parts and scoring the mean of a script's parts
  GenreImputer IMSDb genre tags from the words, for scripts without IMSDb's footer
  FilmPrior    gradient boosting on the whole film table (thousands of films, no scripts):
               year, runtime, genres → log budget, log gross, break-even; fed with what the script implies
  LinearHead   standardised screenplay features + the two scorers' outputs → each target;
               linear so that baseline + contributions = prediction exactly (the explanation's promise);
               one set (`Heads`) for scripts with the footer's genre tags, one for tags read from words

Training feeds the heads out-of-fold scorer outputs (stacking), serving uses the scorers fitted on
everything. The artifact is plain numbers (npz without pickle, JSON, LightGBM text), hashed in its
manifest and checked on load.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy import stats as scipy_stats
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

from reelcast import config, dataset, features
from reelcast.features import GENRE_TAGS

MODEL_VERSION_PREFIX = "reelcast-1"
BREAK_EVEN_MULTIPLE = 2.5
LEVEL = 0.8
TEXT_TARGETS = ("log_budget", "log_gross", "year")


class ModelMissing(RuntimeError):
    """No usable model artifact; the message names the command that makes one."""


# ---------------------------------------------------------------- training data

@dataclass
class TrainingSet:
    """Scripts whose films have both a budget and a worldwide gross: the rows every target is learned from."""

    frame: pd.DataFrame          # dataset rows (film facts, f_* features)
    texts: list[str]             # document_text of each script
    feature_names: list[str]
    counts: sparse.csr_matrix | None = None   # word and word-pair counts of each script's CHUNKS parts
    vocab: np.ndarray | None = None           # (rows script by script) over a superset vocabulary,
                                              # tokenised once; each fit picks its own columns

    @property
    def log_budget(self) -> np.ndarray:
        return np.log(self.frame["production_budget_usd"].to_numpy(float))

    @property
    def log_gross(self) -> np.ndarray:
        return np.log(self.frame["worldwide_gross_usd"].to_numpy(float))

    @property
    def year(self) -> np.ndarray:
        return self.frame["year"].to_numpy(float)

    @property
    def break_even(self) -> np.ndarray:
        return (self.log_gross - self.log_budget >= math.log(BREAK_EVEN_MULTIPLE)).astype(int)

    @property
    def text_targets(self) -> dict[str, np.ndarray]:
        """What the text ridges learn: log budget, log gross and release year."""
        return {"log_budget": self.log_budget, "log_gross": self.log_gross, "year": self.year}

    @property
    def outcomes(self) -> np.ndarray:
        """Log budget, log gross and break-even per script: what a script's comparables report."""
        return np.column_stack([self.log_budget, self.log_gross, self.break_even])

    @property
    def X(self) -> np.ndarray:
        return self.frame[[f"f_{n}" for n in self.feature_names]].to_numpy(float)

    def subset(self, rows: np.ndarray) -> "TrainingSet":
        counts = self.counts[chunk_rows(rows)] if self.counts is not None else None
        return TrainingSet(self.frame.iloc[rows].reset_index(drop=True), [self.texts[i] for i in rows],
                           self.feature_names, counts, self.vocab)

    def with_counts(self) -> "TrainingSet":
        """Count every script's parts once, for all fits to share. The vocabulary keeps terms in ≥ MIN_DF
        scripts of the whole set, a superset of what any fit on a subset keeps, so per-fold selection
        stays exact and honest."""
        if self.counts is None:
            self.vocab = _count_vectorizer().fit(self.texts).get_feature_names_out()
            self.counts = TermCounter(list(self.vocab)).transform(parts_of(map(features.tokenize, self.texts)))
        return self


def load_training_set(home: str | Path | None = None) -> TrainingSet:
    frame = dataset.training_rows(dataset.load_table(home))
    screenplays = dataset.load_screenplays(home)
    texts = [features.document_text(screenplays[s]) for s in frame["source"]]
    return TrainingSet(frame, texts, list(features.FEATURES)).with_counts()


# ---------------------------------------------------------------- text scorer

MIN_DF, MAX_DF = 3, 0.95
# The text ridges learn from each script cut into CHUNKS consecutive parts, every part carrying its
# script's outcome, and score a script by the mean of its parts. Measured by repeated CV (decision 002):
# 4, 6 and 8 parts all beat the whole script by about +0.02 ρ for gross and budget; 6 sits mid-plateau.
CHUNKS = 6


def chunked(tokens: list[str]) -> list[list[str]]:
    """CHUNKS consecutive, near-equal slices of a script's tokens (empty slices for tiny texts)."""
    n = len(tokens)
    return [tokens[n * i // CHUNKS: n * (i + 1) // CHUNKS] for i in range(CHUNKS)]


def parts_of(token_lists) -> list[list[str]]:
    """Every script's CHUNKS parts, script by script: the rows of a parts matrix."""
    return [part for tokens in token_lists for part in chunked(tokens)]


def chunk_rows(scripts: np.ndarray) -> np.ndarray:
    """Row numbers of these scripts' parts in a parts-by-script matrix."""
    return (np.asarray(scripts, dtype=np.int64)[:, None] * CHUNKS + np.arange(CHUNKS)).ravel()


def merge_chunks(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Sum each script's CHUNKS consecutive rows into one row."""
    n = matrix.shape[0] // CHUNKS
    merge = sparse.csr_matrix((np.ones(n * CHUNKS, np.float32), (np.repeat(np.arange(n), CHUNKS), np.arange(n * CHUNKS))),
                              shape=(n, n * CHUNKS))
    return (merge @ matrix).tocsr()


def _count_vectorizer() -> CountVectorizer:
    """Words and word pairs of document texts, with the features' tokenizer (the texts are lowercase)."""
    return CountVectorizer(ngram_range=(1, 2), min_df=MIN_DF, token_pattern=features.TOKEN_PATTERN,
                           lowercase=False, dtype=np.float32)


class TermCounter:
    """Counts of a fixed vocabulary of words and word pairs in tokenised scripts.

    The same numbers as `_count_vectorizer()` restricted to `terms`, in a fraction of the time and from
    the tokens the features already made: words become integer ids and pairs are looked up as id
    pairs, so no pair string is ever built. Serving counts one script per request and scikit-learn's
    counting was its largest single cost (docs/performance.md)."""

    def __init__(self, terms: list[str]):
        self.terms = list(terms)
        self.word_ids: dict[str, int] = {}
        unigrams, pairs = [], []
        for index, term in enumerate(self.terms):
            ids = [self.word_ids.setdefault(word, len(self.word_ids)) for word in term.split(" ")]
            (unigrams if len(ids) == 1 else pairs).append((ids, index))
        self.n_words = len(self.word_ids)
        # slot n_words stands for "not a vocabulary word" and maps to no term
        self.unigram_term = np.full(self.n_words + 1, -1, dtype=np.int64)
        for (word,), index in unigrams:
            self.unigram_term[word] = index
        keys = np.array([a * self.n_words + b for (a, b), _ in pairs], dtype=np.int64)
        order = np.argsort(keys)
        self.pair_keys = keys[order]
        self.pair_terms = np.array([index for _, index in pairs], dtype=np.int64)[order]

    def transform(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        rows = [self._row(tokens) for tokens in token_lists]
        indptr = np.cumsum([0] + [len(terms) for terms, _ in rows])
        indices = np.concatenate([terms for terms, _ in rows]) if rows else np.zeros(0, np.int64)
        data = np.concatenate([counts for _, counts in rows]).astype(np.float32) if rows else np.zeros(0, np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.terms)))

    def _row(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.fromiter(map(self.word_ids.get, tokens, repeat(self.n_words)), dtype=np.int64, count=len(tokens))
        words = self.unigram_term[ids]
        first, second = ids[:-1], ids[1:]
        known = (first < self.n_words) & (second < self.n_words)
        # sorted, the lookups walk the table in order: 3-4 times faster than in text order
        keys = np.sort(first[known] * self.n_words + second[known])
        slots = np.minimum(np.searchsorted(self.pair_keys, keys), max(len(self.pair_keys) - 1, 0))
        found = self.pair_keys[slots] == keys if len(self.pair_keys) else np.zeros(len(keys), bool)
        terms = np.concatenate([words[words >= 0], self.pair_terms[slots[found]]])
        return np.unique(terms, return_counts=True)


class TextScorer:
    """TF-IDF of the script's words and word pairs → ridge predictions of several targets.

    A script's vector is the mean of its parts' TF-IDF vectors (see CHUNKS): the ridges, fitted on
    parts, are linear, so scoring that mean vector is exactly the mean of the parts' scores."""

    # Chosen by repeated 5-fold CV on the corpus (docs/decisions/002-model.md): unigrams + bigrams and a
    # light ridge penalty beat unigrams and alpha 1–10 for both budget and gross; the 20k most frequent
    # terms beat 60k for budget and break-even and tied for gross (10k: best budget, worse gross).
    def __init__(self, alpha: float = 0.05, max_features: int = 20000):
        self.alpha, self.max_features = alpha, max_features

    def fit(self, counts: sparse.csr_matrix, vocab: np.ndarray, targets: dict[str, np.ndarray]) -> "TextScorer":
        """Fit on pre-tokenised counts over `vocab` (rows = the training scripts' parts, script by script)."""
        self.columns = self._select_columns(merge_chunks(counts))
        self.counter = TermCounter(vocab[self.columns])
        counts = counts[:, self.columns]
        self.tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        matrix = self.tfidf.transform(counts)
        self.names = list(targets)
        self.ridges = {name: Ridge(alpha=self.alpha).fit(matrix, np.repeat(y, CHUNKS)) for name, y in targets.items()}
        return self

    def _select_columns(self, counts: sparse.csr_matrix) -> np.ndarray:
        """CountVectorizer's min_df / max_df / max_features rules, applied to these scripts only."""
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        keep = np.flatnonzero((df >= MIN_DF) & (df <= MAX_DF * counts.shape[0]))
        if len(keep) > self.max_features:
            totals = np.asarray(counts[:, keep].sum(axis=0)).ravel()
            keep = np.sort(keep[np.argsort(-totals, kind="stable")[: self.max_features]])
        return keep

    def transform_counts(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Scores for scripts already tokenised over the same superset vocabulary."""
        return self._scores(self.vectors_from_counts(counts))

    def vectors_from_counts(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """`vectors` of scripts whose parts are already counted over the training set's superset vocabulary."""
        return self._mean_of_parts(counts[:, self.columns])

    def _scores(self, matrix) -> np.ndarray:
        # Ridge.predict's own formula (`X @ coef_ + intercept_`, scikit-learn's LinearModel) without its
        # input validation, which took ~0.6 ms a target on every request
        return np.column_stack([matrix @ self.ridges[name].coef_ + self.ridges[name].intercept_ for name in self.names])

    def vectors(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        """One vector per script: the mean TF-IDF vector of its parts."""
        return self._mean_of_parts(self.counter.transform(parts_of(token_lists)))

    def _mean_of_parts(self, part_counts: sparse.csr_matrix) -> sparse.csr_matrix:
        return merge_chunks(self.tfidf.transform(part_counts)) / CHUNKS

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}vocab": np.array(self.counter.terms, dtype=str),
               f"{prefix}idf": self.tfidf.idf_,
               f"{prefix}names": np.array(self.names, dtype=str)}
        for name, ridge in self.ridges.items():
            out[f"{prefix}coef_{name}"] = ridge.coef_
            out[f"{prefix}intercept_{name}"] = np.array([ridge.intercept_])
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> "TextScorer":
        scorer = cls()
        vocab = [str(v) for v in arrays[f"{prefix}vocab"]]
        scorer.counter = TermCounter(vocab)
        scorer.tfidf = TfidfTransformer(sublinear_tf=True)
        scorer.tfidf.idf_ = arrays[f"{prefix}idf"]
        scorer.names = [str(n) for n in arrays[f"{prefix}names"]]
        scorer.ridges = {}
        for name in scorer.names:
            ridge = Ridge()
            ridge.coef_ = arrays[f"{prefix}coef_{name}"]
            ridge.intercept_ = float(arrays[f"{prefix}intercept_{name}"][0])
            ridge.n_features_in_ = len(vocab)
            scorer.ridges[name] = ridge
        return scorer


class GenreImputer:
    """IMSDb genre tags from the words, for scripts that arrive without IMSDb's footer (most uploads).

    One logistic regression per tag on the direction of the text scorer's TF-IDF vectors (scaled to unit
    length: a mean of parts is shorter than one part); a script that has tags keeps them.
    """

    # Penalty chosen by repeated CV on scripts stripped of their tags (decision 002): C 3 / 10 / 30 / 100 /
    # 300 / 1000 gave break-even AUC 0.552 / 0.562 / 0.567 / 0.571 / 0.572 / 0.574; 100 starts the plateau.
    C = 100.0

    def fit(self, matrix, tags: np.ndarray) -> "GenreImputer":
        # An L2-penalised logistic optimum lies in the span of the training rows, so each regression is
        # fitted on the rows' coordinates in that n-dimensional span (an SVD of the n × 20k matrix) and
        # mapped back: the same optimum as over 20k columns, reached to a tight tolerance in ~1 s where
        # lbfgs over the columns took ~5 s and stopped early (probabilities off by up to 0.03).
        u, s, vt = np.linalg.svd(normalize(matrix).toarray(), full_matrices=False)
        coords = u * s
        self.coef = np.zeros((tags.shape[1], matrix.shape[1]))
        self.intercept = np.zeros(tags.shape[1])
        for j in range(tags.shape[1]):
            y = tags[:, j] > 0
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(C=self.C, tol=1e-8, max_iter=20000).fit(coords, y)
                self.coef[j], self.intercept[j] = clf.coef_[0] @ vt, clf.intercept_[0]
            else:
                self.intercept[j] = 10.0 if y.all() else -10.0
        return self

    def probabilities(self, matrix) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(np.asarray(normalize(matrix) @ self.coef.T) + self.intercept)))

    def fill(self, F: np.ndarray, names: list[str], matrix) -> np.ndarray:
        """Rows with no tags get each tag's probability in place of the missing 0/1 (and their sum as the count)."""
        missing = ~has_footer_tags(F, names)
        if not missing.any():
            return F
        return with_genre_probabilities(F, names, missing, self.probabilities(matrix[np.flatnonzero(missing)]))


def has_footer_tags(F: np.ndarray, names: list[str]) -> np.ndarray:
    """Per feature row, before imputation: whether IMSDb's footer gave the script any tag the model
    knows. A footer with only other tags ("Short", "Film-Noir": never alone in training) says nothing
    the heads learned, so such a script reads its tags from its words like a script without one."""
    return genre_tag_matrix(F, names).sum(axis=1) > 0


def with_genre_probabilities(F: np.ndarray, names: list[str], rows: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """`F` with the genre tags of `rows` replaced by probabilities, and their sum as the tag count."""
    tag_cols = [names.index(features.genre_tag_feature(g)) for g in GENRE_TAGS]
    F = F.copy()
    F[np.ix_(rows, tag_cols)] = probs
    F[rows, names.index("genre_tags_count")] = probs.sum(axis=1)
    return F


def out_of_fold_genres(ts: "TrainingSet", vectors, seed: int = 0, folds: int = 5) -> np.ndarray:
    """The training scripts' features with their footer's genre tags replaced by what the words say, each
    from an imputer that never saw the script: the view of them a script without the footer gets."""
    tags = genre_tag_matrix(ts.X, ts.feature_names)
    probs = np.zeros(tags.shape)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(tags):
        probs[test] = GenreImputer().fit(vectors[train], tags[train]).probabilities(vectors[test])
    return with_genre_probabilities(ts.X, ts.feature_names, np.ones(len(tags), bool), probs)


def genre_tag_matrix(F: np.ndarray, names: list[str]) -> np.ndarray:
    return F[:, [names.index(features.genre_tag_feature(g)) for g in GENRE_TAGS]]


def out_of_fold_text_scores(ts: "TrainingSet", targets: dict[str, np.ndarray], folds: int = 5, seed: int = 0) -> np.ndarray:
    """Text scores for each training script from a scorer that never saw it (stacking without leakage)."""
    ts.with_counts()
    out = np.zeros((len(ts.texts), len(targets)))
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(ts.texts):
        scorer = TextScorer().fit(ts.counts[chunk_rows(train)], ts.vocab, {k: v[train] for k, v in targets.items()})
        out[test] = scorer.transform_counts(ts.counts[chunk_rows(test)])
    return out


# ---------------------------------------------------------------- film prior

PRIOR_GENRES = GENRE_TAGS
PRIOR_TARGETS = ("log_budget", "log_gross", "break_even")
GENRE_SYNONYMS = {"science fiction": "Sci-Fi", "sci fi": "Sci-Fi", "romantic comedy": "Romance",
                  "thriller/suspense": "Thriller", "black comedy": "Comedy", "concert/performance": "Musical"}


def genre_vector(genres: str | list[str]) -> list[float]:
    items = genres.split("|") if isinstance(genres, str) else list(genres)
    names = {GENRE_SYNONYMS.get(g.strip().lower(), g.strip()) for g in items if g and g.strip()}
    return [float(g in names) for g in PRIOR_GENRES]


# A script's runtime is its page count, which is off the film's by a factor e^±0.21 (sd of the log ratio
# over 255 scripts with a known runtime, decision 002), while the boosters step between neighbouring
# runtimes (a 2010 Western drama: $31M at 104 minutes, $42M at 105). So the prior answers for the runtimes
# the pages allow: its predictions averaged over runtime × e^(RUNTIME_SPREAD·z), z at the 15 equal-count
# quantiles of a standard normal (a plain mean; a few quadrature nodes would keep the steps).
RUNTIME_SPREAD = 0.2
_SPREAD_NODES = scipy_stats.norm.ppf((np.arange(15) + 0.5) / 15)
# A script without IMSDb's footer has genre tag *probabilities* (GenreImputer), but the boosters learned
# 0/1 tags and split them at 1e-35: fed a probability, every genre read as present (a 2% Animation
# chance was Animation). So the prior answers for genre sets drawn from those probabilities, GENRE_DRAWS
# per runtime node with fixed uniforms (the same script always gets the same answer); a 0/1 tag draws
# itself exactly, so scripts with the footer are unchanged.
GENRE_DRAWS = 4
_GENRE_UNIFORMS = np.random.default_rng(0).random((len(_SPREAD_NODES) * GENRE_DRAWS, len(PRIOR_GENRES)))


class FilmPrior:
    """What films like this usually cost and gross, learned from the whole film table (no scripts needed)."""

    columns = ["year", "runtime_min", *[f"genre_{g}" for g in PRIOR_GENRES]]

    def design(self, year, runtime, genres) -> np.ndarray:
        return np.column_stack([year, runtime, np.array(genres, dtype=float).reshape(len(year), -1)])

    def fit(self, films: pd.DataFrame) -> "FilmPrior":
        usable = films[films["production_budget_usd"].gt(0) & films["worldwide_gross_usd"].gt(0) & films["year"].notna()]
        X = self.design(usable["year"].to_numpy(float), usable["runtime_min"].to_numpy(float),
                        [genre_vector(g if isinstance(g, str) else "") for g in usable["genres"]])
        params = dict(n_estimators=300, learning_rate=0.05, num_leaves=15, min_child_samples=30,
                      subsample=0.8, subsample_freq=1, verbose=-1, random_state=0)
        broke_even = (usable["worldwide_gross_usd"] >= BREAK_EVEN_MULTIPLE * usable["production_budget_usd"]).astype(int)
        self.boosters = {
            "log_budget": lgb.LGBMRegressor(**params).fit(X, np.log(usable["production_budget_usd"])).booster_,
            "log_gross": lgb.LGBMRegressor(**params).fit(X, np.log(usable["worldwide_gross_usd"])).booster_,
            "break_even": lgb.LGBMClassifier(**params).fit(X, broke_even).booster_,
        }
        self.rows = len(usable)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Log budget, log gross and the log-odds of break-even of films like this one, averaged over
        the runtimes its page count allows (see RUNTIME_SPREAD) and the genre sets its tag
        probabilities allow (see GENRE_DRAWS)."""
        X = np.asarray(X, dtype=float)
        genres = slice(self.columns.index(f"genre_{PRIOR_GENRES[0]}"), None)
        # 0/1 tags draw themselves, so one draw per runtime node gives the same answer at a quarter the cost
        draws = GENRE_DRAWS if np.any((X[:, genres] > 0) & (X[:, genres] < 1)) else 1
        n, k = len(X), len(_SPREAD_NODES) * draws
        jittered = np.repeat(X, k, axis=0)  # each script's k draws in a row
        jittered[:, self.columns.index("runtime_min")] *= np.tile(np.exp(RUNTIME_SPREAD * _SPREAD_NODES), n * draws)
        jittered[:, genres] = jittered[:, genres] > np.tile(_GENRE_UNIFORMS[:k], (n, 1))
        # one thread: for a single script, OpenMP start-up costs ~8 ms a call and gains nothing
        predict = lambda name: self.boosters[name].predict(jittered, num_threads=1).reshape(n, k).mean(axis=1)
        p = np.clip(predict("break_even"), 1e-4, 1 - 1e-4)
        return np.column_stack([predict("log_budget"), predict("log_gross"), np.log(p / (1 - p))])

    def to_strings(self) -> dict[str, str]:
        return {name: booster.model_to_string() for name, booster in self.boosters.items()}

    @classmethod
    def from_strings(cls, strings: dict[str, str]) -> "FilmPrior":
        prior = cls()
        prior.boosters = {name: lgb.Booster(model_str=s) for name, s in strings.items()}
        return prior


def prior_inputs(F: np.ndarray, names: list[str], year_estimate: np.ndarray) -> np.ndarray:
    """What the script implies about the film: release year, runtime (≈ pages), genre tags."""
    col = {n: i for i, n in enumerate(names)}
    runtime = F[:, col["runtime_minutes"]]
    genres = np.column_stack([F[:, col[features.genre_tag_feature(g)]] for g in PRIOR_GENRES])
    return FilmPrior().design(year_estimate, runtime, genres)


def year_estimate(F: np.ndarray, names: list[str], text_year: np.ndarray, draft_lag: float) -> np.ndarray:
    """The release year: the draft's year (title page or revision marks) plus the usual draft-to-release
    lag when the script is dated, else the text model's guess."""
    col = {n: i for i, n in enumerate(names)}
    known = F[:, col["title_year_known"]] > 0
    return np.where(known, F[:, col["title_year"]] + draft_lag, text_year)


def fit_draft_lag(ts: "TrainingSet") -> float:
    """Median years from a draft's date to the film's release over the training scripts that are dated
    (a draft is dated before release; measured in decision 002); 0 when none has a date."""
    col = {n: i for i, n in enumerate(ts.feature_names)}
    X = ts.X
    known = X[:, col["title_year_known"]] > 0
    return float(np.median(ts.year[known] - X[known, col["title_year"]])) if known.any() else 0.0


# ---------------------------------------------------------------- linear heads

class LinearHead:
    """Standardise → ridge (regression) or logistic (probability). Exact per-input contributions."""

    def __init__(self, kind: str, alpha: float = 10.0, weights: np.ndarray | None = None):
        self.kind, self.alpha, self.weights = kind, alpha, weights

    def fit(self, X: np.ndarray, y: np.ndarray) -> "LinearHead":
        self.low, self.high = X.min(axis=0), X.max(axis=0)
        self.mean = X.mean(axis=0)
        self.scale = X.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        if self.weights is not None:
            # a column weight w is a penalty of 1/w²: folded into the scale, contributions stay exact;
            # a weight of 0 leaves the input out (an infinite scale: its standardised value is 0)
            with np.errstate(divide="ignore"):
                self.scale = self.scale / self.weights
        Z = (X - self.mean) / self.scale
        if self.kind == "ridge":
            # Sign-consistent: each coefficient keeps the sign of its input's own correlation with the
            # target, so an explanation never says "a high gross signal lowers the gross forecast"
            # merely because two correlated inputs traded weight.
            signs = np.sign(Z.T @ (y - y.mean()))
            signs[signs == 0] = 1.0
            model = Ridge(alpha=self.alpha, positive=True, solver="lbfgs", max_iter=5000).fit(Z * signs, y)
            self.coef, self.intercept = model.coef_.ravel() * signs, float(model.intercept_)
        else:
            model = LogisticRegression(C=1.0 / self.alpha, max_iter=2000).fit(Z, y)
            self.coef, self.intercept = model.coef_.ravel(), float(model.intercept_[0])
        return self

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-input additive terms in the head's own scale (log dollars or log-odds).

        Inputs are held to the range seen in training: a linear model extrapolating from a 10-page
        fragment or a 400-page epic would otherwise forecast billions."""
        return (np.clip(X, self.low, self.high) - self.mean) / self.scale * self.coef

    def decision(self, X: np.ndarray) -> np.ndarray:
        return self.intercept + self.contributions(X).sum(axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        z = self.decision(X)
        return z if self.kind == "ridge" else 1.0 / (1.0 + np.exp(-z))

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}mean": self.mean, f"{prefix}scale": self.scale, f"{prefix}coef": self.coef,
                f"{prefix}low": self.low, f"{prefix}high": self.high,
                f"{prefix}intercept": np.array([self.intercept]), f"{prefix}alpha": np.array([self.alpha])}

    @classmethod
    def from_arrays(cls, arrays, prefix: str, kind: str) -> "LinearHead":
        head = cls(kind, float(arrays[f"{prefix}alpha"][0]))
        head.mean, head.scale, head.coef = arrays[f"{prefix}mean"], arrays[f"{prefix}scale"], arrays[f"{prefix}coef"]
        head.low, head.high = arrays[f"{prefix}low"], arrays[f"{prefix}high"]
        head.intercept = float(arrays[f"{prefix}intercept"][0])
        return head


# ---------------------------------------------------------------- comparables in score space

class ScoreNeighbours:
    """What the training scripts nearest in text scores (budget, gross, era; standardised) made: the
    similarity-weighted mean of their log budget, log gross and break-even. A nonparametric read of the
    scores beside the linear heads (decision 002: +0.005 gross ρ, +0.008 budget ρ in each CV repeat)."""

    K = 10

    def fit(self, scores: np.ndarray, outcomes: np.ndarray) -> "ScoreNeighbours":
        """`scores`: the training scripts' out-of-fold text scores; `outcomes`: their targets (rows × 3)."""
        self.mean, self.scale = scores.mean(axis=0), scores.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.points, self.outcomes = (scores - self.mean) / self.scale, outcomes
        return self

    def transform(self, scores: np.ndarray, leave_one_out: bool = False) -> np.ndarray:
        """`leave_one_out` for the training scripts themselves: a script is not its own comparable."""
        distance = np.linalg.norm(((scores - self.mean) / self.scale)[:, None, :] - self.points[None, :, :], axis=2)
        if leave_one_out:
            np.fill_diagonal(distance, np.inf)
        nearest = np.argsort(distance, axis=1, kind="stable")[:, :self.K]
        weight = 1.0 / (1.0 + np.take_along_axis(distance, nearest, axis=1))
        return np.einsum("nk,nkj->nj", weight, self.outcomes[nearest]) / weight.sum(axis=1, keepdims=True)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}mean": self.mean, f"{prefix}scale": self.scale, f"{prefix}points": self.points,
                f"{prefix}outcomes": self.outcomes}

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> "ScoreNeighbours":
        neighbours = cls()
        neighbours.mean, neighbours.scale = arrays[f"{prefix}mean"], arrays[f"{prefix}scale"]
        neighbours.points, neighbours.outcomes = arrays[f"{prefix}points"], arrays[f"{prefix}outcomes"]
        return neighbours


# ---------------------------------------------------------------- the forecaster

SCORE_INPUTS = ["text_log_budget", "text_log_gross", "year_estimate", "prior_log_budget", "prior_log_gross",
                "prior_break_even_logit", "comparables_log_budget", "comparables_log_gross", "comparables_break_even"]
# Raw screenplay features enter the heads with a 400× stronger penalty than the summary scores: with
# ~280 scripts, 86 features at full weight overfit; 0.05 and alpha 30 won a small CV grid. The genre
# tags carry most of what the break-even head knows (they alone rank break-even as well as the stack),
# so they enter it at full weight; in the budget and gross heads a 16× stronger penalty ranks better
# (decision 002: weights 1 / 0.5 / 0.25 / 0.1 gave gross ρ 0.494 / 0.509 / 0.512 / 0.510).
RAW_FEATURE_WEIGHT = 0.05
GENRE_TAG_WEIGHT = {"ridge": 0.25, "logistic": 1.0}
# A title-page credit for adapted material ("Based on the novel by ...") is a yes/no fact, not a noisy
# rate, and enters every head at full weight (decision 002, session 16).
SOURCE_CREDIT_WEIGHT = 1.0
# A genre tag on fewer than 5% of the training scripts (here Animation, Family, Musical, War and
# Western: 2 to 11 scripts each) stays out of the break-even heads. At full weight the logistic head
# took the break-even rate of those few films as a rule (decision 002, session 18: break-even AUC
# +0.018 on the same folds, +0.016 on fresh ones).
RARE_TAG_SHARE = 0.05


def input_weights(feature_names: list[str], kind: str, extra: int = 0, rare_tags: frozenset[str] = frozenset()
                  ) -> np.ndarray:
    """Per head input, the weight that scales its penalty (1/w²): raw features, genre tags for a head
    of `kind` (0, left out, for the `rare_tags` in a break-even head), the source credit, then the
    summary scores and any `extra` inputs at 1."""
    def tag_weight(name: str) -> float:
        return 0.0 if kind == "logistic" and name in rare_tags else GENRE_TAG_WEIGHT[kind]
    raw = [tag_weight(n) if n.startswith("genre_tag_") else SOURCE_CREDIT_WEIGHT if n == "source_credit"
           else RAW_FEATURE_WEIGHT for n in feature_names]
    return np.array(raw + [1.0] * (len(SCORE_INPUTS) + extra))


def rare_tags(ts: "TrainingSet") -> frozenset[str]:
    """The genre tags on fewer than `RARE_TAG_SHARE` of the training scripts (by their IMSDb footers)."""
    shares = genre_tag_matrix(ts.X, ts.feature_names).mean(axis=0)
    return frozenset(features.genre_tag_feature(g) for g, share in zip(GENRE_TAGS, shares) if share < RARE_TAG_SHARE)


@dataclass
class Heads:
    """The linear heads for scripts whose genre tags came from one source, and the out-of-fold
    residuals that set their 80% intervals."""

    models: dict[str, LinearHead]
    residuals: dict[str, np.ndarray]

    def predict(self, S: np.ndarray, budget_usd: np.ndarray | None = None) -> dict[str, np.ndarray]:
        log_budget_hat = self.models["log_budget"].predict(S)
        given = budget_usd is not None
        log_budget_used = np.log(budget_usd) if given else log_budget_hat
        mode = "given" if given else "script"
        X = np.column_stack([S, log_budget_used]) if given else S
        return {
            "log_budget": log_budget_hat,
            "log_gross": self.models[f"log_gross_{mode}"].predict(X),
            "p_break_even": self.models[f"break_even_{mode}"].predict(X),
            "log_budget_used": log_budget_used,
        }

    def interval(self, target: str, level: float = LEVEL) -> tuple[float, float]:
        """The 80% interval around a forecast, as offsets in log dollars."""
        return tuple(np.quantile(self.residuals[target], [(1 - level) / 2, 1 - (1 - level) / 2]))


# Where a script's genre tags came from: IMSDb's footer, or the GenreImputer reading the words. Each
# source has its own heads (decision 002): heads fitted on footer tags over-trust imputed ones.
GENRE_SOURCES = ("footer", "words")


@dataclass
class Forecaster:
    """Everything needed to turn a feature row + script text (+ budget) into the contract's numbers."""

    feature_names: list[str]
    text: TextScorer
    prior: FilmPrior
    heads: dict[str, Heads]                   # by genre source (GENRE_SOURCES)
    alphas: dict[str, float]
    genres: GenreImputer
    neighbours: ScoreNeighbours
    draft_lag: float                          # years from a draft's date to release (fit_draft_lag)

    def inputs(self, F: np.ndarray, token_lists: list[list[str]]) -> np.ndarray:
        """Stacked head inputs for new scripts: features (genre tags imputed when absent) + scores."""
        return self.inputs_from_vectors(F, self.text.vectors(token_lists))

    def inputs_from_vectors(self, F: np.ndarray, vectors) -> np.ndarray:
        F = self.genres.fill(F, self.feature_names, vectors)
        return self.stacked_inputs(F, self.text._scores(vectors))

    def genre_source(self, F: np.ndarray) -> np.ndarray:
        """Per script (raw feature rows, before imputation): "footer" if it carries IMSDb's tags, else "words"."""
        return np.where(has_footer_tags(F, self.feature_names), "footer", "words")

    # --- inputs of the heads
    def stacked_inputs(self, F: np.ndarray, text_scores: np.ndarray, training: bool = False) -> np.ndarray:
        """[features, text scores, year estimate, prior scores, comparables' outcomes] for each script;
        `training` when the rows are the training scripts (their comparables leave them out)."""
        year = year_estimate(F, self.feature_names, text_scores[:, 2], self.draft_lag)
        prior = self.prior.transform(prior_inputs(F, self.feature_names, year))
        comparables = self.neighbours.transform(text_scores, leave_one_out=training)
        text_money = text_scores[:, :2] + PRIOR_SHARE * prior[:, :2]  # the ridges learned money beyond the prior's share
        return np.column_stack([F, text_money, year, prior, comparables])

    @property
    def input_names(self) -> list[str]:
        return [*self.feature_names, *SCORE_INPUTS]

    # --- prediction
    def predict_stacked(self, S: np.ndarray, sources: np.ndarray,
                        budget_usd: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Each row through the heads of its genre source (`genre_source`)."""
        by_source = {source: self.heads[source].predict(S, budget_usd) for source in np.unique(sources)}
        return {key: np.select([sources == s for s in by_source], [p[key] for p in by_source.values()])
                for key in next(iter(by_source.values()))}

    def interval(self, target: str, center: np.ndarray, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        offsets = np.array([self.heads[source].interval(target) for source in sources])
        return center + offsets[:, 0], center + offsets[:, 1]


def fit_forecaster(ts: TrainingSet, films: pd.DataFrame, alphas: dict[str, float] | None = None,
                   seed: int = 0, prior: FilmPrior | None = None) -> Forecaster:
    """Fit every piece on `ts`; residuals for intervals come from an inner cross-validation.

    The heads for scripts without the footer learn from each training script twice: with its footer's
    tags and with the tags an out-of-fold imputer reads from its words (decision 002: both views beat
    the imputed view alone)."""
    alphas = alphas or default_alphas()
    prior = prior or FilmPrior().fit(films_without(films, ts.frame))
    targets = text_targets_beyond_prior(ts, prior, seed)
    oof_text = out_of_fold_text_scores(ts, targets, seed=seed)
    text = TextScorer().fit(ts.counts, ts.vocab, targets)
    vectors = text.vectors_from_counts(ts.counts)
    genres = GenreImputer().fit(vectors, genre_tag_matrix(ts.X, ts.feature_names))
    neighbours = ScoreNeighbours().fit(oof_text, ts.outcomes)
    forecaster = Forecaster(ts.feature_names, text, prior, {}, alphas, genres, neighbours, fit_draft_lag(ts))
    S = forecaster.stacked_inputs(ts.X, oof_text, training=True)
    S_words = forecaster.stacked_inputs(out_of_fold_genres(ts, vectors, seed), oof_text, training=True)
    forecaster.heads = {"footer": fit_heads(S, ts, alphas, seed),
                        "words": fit_heads(np.vstack([S, S_words]), ts, alphas, seed, views=2)}
    forecaster.training_inputs = {"footer": S, "words": S_words}
    forecaster.training_vectors = vectors  # the explanation's corpus keeps them (corpus_arrays)
    return forecaster


# The budget and gross text ridges learn log money minus this share of the film-table prior's estimate:
# asked for what genre, length and era do not already say, the words rank better (decision 002, session
# 28: shares 1 / 0.5 / 0.25 measured; 0.25 gained gross in all six seeds, budget in five). The heads get
# the share back (`Forecaster.stacked_inputs`), so the text inputs stay estimates in log dollars.
PRIOR_SHARE = 0.25


def text_targets_beyond_prior(ts: TrainingSet, prior: FilmPrior, seed: int = 0) -> dict[str, np.ndarray]:
    """`ts.text_targets` with PRIOR_SHARE of the prior's log budget and log gross taken out; the prior is
    fed the era a script shows its ridges (out-of-fold text year unless dated), as in the heads."""
    oof_year = out_of_fold_text_scores(ts, {"year": ts.year}, seed=seed)[:, 0]
    year = year_estimate(ts.X, ts.feature_names, oof_year, fit_draft_lag(ts))
    money = prior.transform(prior_inputs(ts.X, ts.feature_names, year))[:, :2]
    targets = ts.text_targets
    return {**targets, "log_budget": targets["log_budget"] - PRIOR_SHARE * money[:, 0],
            "log_gross": targets["log_gross"] - PRIOR_SHARE * money[:, 1]}


def films_without(films: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The film table minus the films of the training scripts: the prior must not see the answers."""
    return films[~films["film_id"].isin(set(frame.get("film_id", pd.Series(dtype=str)).dropna()))]


def default_alphas() -> dict[str, float]:
    # Head penalties from repeated CV (decision 002). The script-only gross head takes a stronger one
    # since the text was read in parts: alpha 30 / 100 / 300 gave gross ρ 0.480 / 0.491 / 0.496, and 100
    # also had the lowest error in log dollars; with a planned budget, 30 stays best.
    return {"log_budget": 30.0, "log_gross_given": 30.0, "log_gross_script": 100.0, "break_even": 20.0}


def fit_heads(S: np.ndarray, ts: TrainingSet, alphas: dict[str, float], seed: int, views: int = 1) -> Heads:
    """Budget head, then gross and break-even heads in two modes: with the real budget and with an
    out-of-fold budget estimate (what serving has when no budget is given).

    `S` may hold several views of the training scripts stacked (rows of view v at v·n …); the inner
    folds keep a script's views together, and the residuals come from the last view."""
    names = ts.feature_names
    log_budget, log_gross = np.tile(ts.log_budget, views), np.tile(ts.log_gross, views)
    w_budget = input_weights(names, "ridge")
    budget_oof = _oof(lambda: LinearHead("ridge", alphas["log_budget"], w_budget), S, log_budget, seed, views)
    models = {"log_budget": LinearHead("ridge", alphas["log_budget"], w_budget).fit(S, log_budget)}
    residuals = {"log_budget": ts.log_budget - budget_oof}
    # Script only: the budget estimate is itself linear in S, so the heads read S alone (no redundant
    # input whose pushed-back terms would flip signs in the explanation). With a planned budget, the
    # budget is one more input.
    rare = rare_tags(ts)
    for mode, X, extra in (("given", np.column_stack([S, log_budget]), 1), ("script", S, 0)):
        gross_alpha, w_gross = alphas[f"log_gross_{mode}"], input_weights(names, "ridge", extra)
        models[f"log_gross_{mode}"] = LinearHead("ridge", gross_alpha, w_gross).fit(X, log_gross)
        w_break_even = input_weights(names, "logistic", extra, rare)
        models[f"break_even_{mode}"] = LinearHead("logistic", alphas["break_even"], w_break_even
                                                  ).fit(X, np.tile(ts.break_even, views))
        gross_oof = _oof(lambda: LinearHead("ridge", gross_alpha, w_gross), X, log_gross, seed, views)
        residuals[f"log_gross_{mode}"] = ts.log_gross - gross_oof
    return Heads(models, residuals)


def _oof(make, X: np.ndarray, y: np.ndarray, seed: int, views: int = 1, folds: int = 5) -> np.ndarray:
    """Out-of-fold predictions for the last view's rows, folds drawn over scripts."""
    n = len(y) // views
    out = np.zeros(n)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(np.arange(n)):
        rows = np.concatenate([train + v * n for v in range(views)])
        out[test] = make().fit(X[rows], y[rows]).predict(X[test + (views - 1) * n])
    return out


# ---------------------------------------------------------------- artifact

def training_code_fingerprint() -> str:
    """This module's source: the recipe that turns a dataset into a model. The dataset fingerprint covers
    the reader, parser and features, not this file, so a changed recipe must mark a model stale itself."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _fingerprint_files(root: Path, names: list[str]) -> dict[str, str]:
    return {n: hashlib.sha256((root / n).read_bytes()).hexdigest() for n in names}


def save(forecaster: Forecaster, home: str | Path | None, dataset_fingerprint: str, extra: dict,
         corpus_arrays: dict[str, np.ndarray]) -> str:
    """Write the artifact into a fresh folder and swap it in: a reader never sees half a model."""
    root = config.model_dir(home)
    staging = root.with_name(f".model.{os.getpid()}.tmp")
    staging.mkdir(parents=True, exist_ok=True)
    arrays = forecaster.text.to_arrays("text_")
    for source, heads in forecaster.heads.items():
        for name, head in heads.models.items():
            arrays.update(head.to_arrays(f"head_{source}_{name}_"))
        arrays.update({f"resid_{source}_{k}": v for k, v in heads.residuals.items()})
    arrays.update({f"corpus_{k}": v for k, v in corpus_arrays.items()})
    arrays.update({"genres_coef": forecaster.genres.coef, "genres_intercept": forecaster.genres.intercept})
    arrays.update(forecaster.neighbours.to_arrays("neighbours_"))
    np.savez_compressed(staging / "arrays.npz", **arrays)
    for name, text in forecaster.prior.to_strings().items():
        (staging / f"prior_{name}.txt").write_text(text)
    files = _fingerprint_files(staging, ["arrays.npz", *[f"prior_{n}.txt" for n in PRIOR_TARGETS]])
    # dataset it learned from + the bytes it learned: a retrain with other code gets a new version
    version = f"{MODEL_VERSION_PREFIX}+{dataset_fingerprint[:8]}.{files['arrays.npz'][:8]}"
    manifest = {"model_version": version, "dataset_fingerprint": dataset_fingerprint,
                "training_code": training_code_fingerprint(),
                "feature_names": forecaster.feature_names, "input_names": forecaster.input_names,
                "heads": {source: list(heads.models) for source, heads in forecaster.heads.items()},
                "text_chunks": CHUNKS,
                "alphas": forecaster.alphas, "draft_lag": forecaster.draft_lag, "files": files, **extra}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    _swap_in(staging, root)
    return version


def _swap_in(staging: Path, root: Path) -> None:
    old = root.with_name(f".model.old.{os.getpid()}")
    if root.exists():
        os.replace(root, old)
    os.replace(staging, root)
    if old.exists():
        import shutil
        shutil.rmtree(old, ignore_errors=True)


def load(home: str | Path | None = None) -> tuple[Forecaster, dict]:
    root = config.model_dir(home)
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        raise ModelMissing(f"no model at {root}: run `reelcast train` (it builds the dataset first)")
    try:
        manifest = json.loads(manifest_path.read_text())
        for name, digest in manifest["files"].items():
            if hashlib.sha256((root / name).read_bytes()).hexdigest() != digest:
                raise ModelMissing(f"model file {name} does not match its recorded hash: run `reelcast train` again")
        arrays = dict(np.load(root / "arrays.npz", allow_pickle=False))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelMissing(f"the model at {root} is unreadable ({exc}): run `reelcast train` again") from exc
    if list(features.FEATURES) != manifest["feature_names"] or manifest.get("input_names") != [*features.FEATURES, *SCORE_INPUTS]:
        raise ModelMissing("the model was trained on other features than this code computes: run `reelcast train`")
    if manifest.get("text_chunks") != CHUNKS:
        raise ModelMissing("the model reads scripts in other parts than this code: run `reelcast train`")
    if "draft_lag" not in manifest:
        raise ModelMissing("the model predates the draft-to-release lag: run `reelcast train`")
    if (not isinstance(manifest.get("heads"), dict) or set(manifest["heads"]) != set(GENRE_SOURCES)
            or "corpus_inputs_words" not in arrays):
        raise ModelMissing("the model predates the heads for scripts without IMSDb's footer: run `reelcast train`")
    heads = {source: _load_heads(arrays, source, names) for source, names in manifest["heads"].items()}
    prior = FilmPrior.from_strings({n: (root / f"prior_{n}.txt").read_text() for n in PRIOR_TARGETS})
    genres = GenreImputer()
    genres.coef, genres.intercept = arrays["genres_coef"], arrays["genres_intercept"]
    forecaster = Forecaster(manifest["feature_names"], TextScorer.from_arrays(arrays, "text_"), prior, heads,
                            manifest["alphas"], genres, ScoreNeighbours.from_arrays(arrays, "neighbours_"),
                            float(manifest["draft_lag"]))
    manifest["corpus"] = {k[len("corpus_"):]: v for k, v in arrays.items() if k.startswith("corpus_")}
    return forecaster, manifest


def _load_heads(arrays, source: str, names: list[str]) -> Heads:
    models = {name: LinearHead.from_arrays(arrays, f"head_{source}_{name}_",
                                           "logistic" if name.startswith("break_even") else "ridge") for name in names}
    prefix = f"resid_{source}_"
    return Heads(models, {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)})


def is_stale(home: str | Path | None = None) -> bool:
    """True when there is no model, or it was trained on another dataset than the one on disk or by
    another version of the training code."""
    built = dataset.manifest(home)
    if built is None:
        return True
    try:
        _, manifest = load(home)
    except ModelMissing:
        return True  # missing, corrupt, or made by other code: retrain
    return (manifest.get("dataset_fingerprint") != built["fingerprint"]
            or manifest.get("training_code") != training_code_fingerprint())


# ---------------------------------------------------------------- training entry point

def corpus_arrays(ts: TrainingSet, forecaster: Forecaster) -> dict[str, np.ndarray]:
    """What explanations need about the training scripts: their features and word vectors, and how
    each film performed (comparable titles are real films of the dataset, never invented)."""
    vectors = forecaster.training_vectors.tocsr()
    return {
        "title": ts.frame["title"].fillna(ts.frame["script_title"]).to_numpy(str),
        "year": ts.frame["year"].fillna(0).to_numpy(int),
        "gross": ts.frame["worldwide_gross_usd"].to_numpy(float),
        "budget": ts.frame["production_budget_usd"].to_numpy(float),
        "genres": ts.frame["imsdb_genres"].fillna("").to_numpy(str),
        "features": ts.X,
        "inputs": forecaster.training_inputs["footer"],
        "inputs_words": forecaster.training_inputs["words"],   # as a script without the footer sees them
        "vec_data": vectors.data, "vec_indices": vectors.indices, "vec_indptr": vectors.indptr,
        "vec_shape": np.array(vectors.shape),
    }


def train(home: str | Path | None = None) -> dict:
    """Dataset on disk → model artifact on disk. Returns what was trained on and the version."""
    built = dataset.manifest(home)
    if built is None:
        raise ModelMissing("no dataset yet: run `reelcast build` first")
    ts = load_training_set(home)
    if len(ts.frame) < 20:
        raise ModelMissing(f"only {len(ts.frame)} scripts have a known budget and gross; need at least 20 to train")
    films = pd.read_parquet(config.dataset_dir(home) / "films.parquet")
    forecaster = fit_forecaster(ts, films)
    extra = {"training_rows": len(ts.frame), "prior_rows": forecaster.prior.rows}
    version = save(forecaster, home, built["fingerprint"], extra, corpus_arrays(ts, forecaster))
    return {"model_version": version, **extra}
