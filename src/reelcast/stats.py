"""Statistics for the analysis report and the model card: Spearman with bootstrap CIs, BH-FDR, partial
Spearman, the interval of a proportion.

All functions are pure numpy/scipy and vectorised over bootstrap resamples, so the report's
~430 feature × target tests with 1,000 resamples each stay within seconds.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as sps

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240601


def _ranks(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Average ranks (ties share their mean rank), the ranking Spearman's rho is defined on."""
    return sps.rankdata(values, axis=axis)


def _row_pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of `a` with the same row of `b`; NaN for constant rows."""
    a = a - a.mean(axis=-1, keepdims=True)
    b = b - b.mean(axis=-1, keepdims=True)
    denominator = np.sqrt((a * a).sum(axis=-1) * (b * b).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (a * b).sum(axis=-1) / denominator, np.nan)


def correlation_p_value(r: float, n: int, controls: int = 0) -> float:
    """Two-sided p of a (partial) rank correlation by the t approximation, df = n − 2 − controls."""
    df = n - 2 - controls
    if not np.isfinite(r) or df < 1:
        return float("nan")
    if abs(r) >= 1.0:
        return 0.0
    t = r * np.sqrt(df / (1.0 - r * r))
    return float(2.0 * sps.t.sf(abs(t), df))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho; NaN when either variable is constant."""
    return float(_row_pearson(_ranks(np.asarray(x, float)), _ranks(np.asarray(y, float))))


def bootstrap_indices(n: int, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> np.ndarray:
    """(resamples, n) row indices drawn with replacement; fixed seed so the report is reproducible."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def resampled_ranks(values: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Average ranks of `values[indices]` within each resample row, by counting, not sorting.

    Values are coded 0..K-1 by their distinct value; per row, a bincount gives each code's
    multiplicity, its cumulative sum the number of smaller values, so the mid-rank of a code is
    smaller + (count + 1) / 2 — the same ties rule as scipy's rankdata, in O(rows × (n + K)).
    """
    _, codes = np.unique(values, return_inverse=True)
    distinct = int(codes.max()) + 1
    resampled = codes[indices]
    rows = indices.shape[0]
    offsets = (np.arange(rows) * distinct)[:, None]
    counts = np.bincount((resampled + offsets).ravel(), minlength=rows * distinct).reshape(rows, distinct)
    smaller = np.cumsum(counts, axis=1) - counts
    mid_ranks = smaller + (counts + 1) / 2.0
    return np.take_along_axis(mid_ranks, resampled, axis=1)


def bootstrap_spearman_ci(x: np.ndarray, y: np.ndarray, indices: np.ndarray | None = None,
                          level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap CI of Spearman's rho, re-ranking inside every resample.

    Pass the same `indices` for many features against one target so they share resamples.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if indices is None:
        indices = bootstrap_indices(len(x))
    rhos = _row_pearson(resampled_ranks(x, indices), resampled_ranks(y, indices))
    rhos = rhos[np.isfinite(rhos)]
    if rhos.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(rhos, [tail, 100.0 - tail])
    return float(low), float(high)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q); NaN inputs stay NaN and do not count as tests."""
    p = np.asarray(p_values, float)
    q = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    if finite.size == 0:
        return q
    order = finite[np.argsort(p[finite])]
    m = order.size
    scaled = p[order] * m / np.arange(1, m + 1)
    # Step-up: each q is the smallest scaled p at or above its rank, so q is monotone in p.
    q[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return q


def _rank_residuals(values: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """Residual of the ranks of `values` after least squares on the ranked controls (plus intercept)."""
    design = np.column_stack([np.ones(len(values)), _ranks(controls, axis=0)])
    ranked = _ranks(values)
    coef, *_ = np.linalg.lstsq(design, ranked, rcond=None)
    return ranked - design @ coef


def partial_spearman(x: np.ndarray, y: np.ndarray, controls: np.ndarray) -> tuple[float, float]:
    """Spearman of x and y with the controls' ranks regressed out of both; returns (rho, p)."""
    controls = np.asarray(controls, float).reshape(len(x), -1)
    rx = _rank_residuals(np.asarray(x, float), controls)
    ry = _rank_residuals(np.asarray(y, float), controls)
    rho = float(_row_pearson(rx, ry))
    return rho, correlation_p_value(rho, len(x), controls.shape[1])


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval of a proportion (Wilson score): sane at small n and near 0 or 1, unlike p ± 2·se."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))
