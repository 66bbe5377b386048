"""The analysis report: its statistics, its numbers on a made-up dataset, and its page in Chromium."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from reelcast import report, stats
from reelcast.features import FEATURES
from reelcast.screenplay import parse

# ----------------------------------------------------------------------------- statistics


def test_bootstrap_ranks_match_scipy_with_ties():
    rng = np.random.default_rng(3)
    values = rng.integers(0, 7, 40).astype(float)
    indices = stats.bootstrap_indices(40, resamples=50)
    expected = scipy_stats.rankdata(values[indices], axis=1)
    np.testing.assert_allclose(stats.resampled_ranks(values, indices), expected)


def test_perfect_monotone_relation_has_rho_one_and_ci_containing_one():
    x = np.arange(30, dtype=float)
    y = np.exp(x / 5)
    assert stats.spearman(x, y) == pytest.approx(1.0)
    low, high = stats.bootstrap_spearman_ci(x, y)
    assert low <= 1.0 + 1e-12 and high == pytest.approx(1.0)


def test_spearman_and_p_value_agree_with_scipy():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=80), rng.normal(size=80)
    y = y + 0.4 * x
    expected = scipy_stats.spearmanr(x, y)
    rho = stats.spearman(x, y)
    assert rho == pytest.approx(expected.statistic)
    assert stats.correlation_p_value(rho, 80) == pytest.approx(expected.pvalue, rel=1e-6)


def test_benjamini_hochberg_is_monotone_and_matches_scipy():
    p = np.array([0.04, 0.001, 0.03, np.nan, 0.5, 0.02])
    q = stats.benjamini_hochberg(p)
    assert np.isnan(q[3])
    finite = np.isfinite(p)
    np.testing.assert_allclose(q[finite], scipy_stats.false_discovery_control(p[finite]))
    order = np.argsort(p[finite])
    assert np.all(np.diff(q[finite][order]) >= 0)
    assert np.all(q[finite] >= p[finite])


def test_partial_spearman_removes_a_shared_confounder():
    rng = np.random.default_rng(1)
    budget = rng.normal(size=300)
    feature = budget + 0.3 * rng.normal(size=300)
    gross = budget + 0.3 * rng.normal(size=300)
    assert stats.spearman(feature, gross) > 0.7
    partial, p = stats.partial_spearman(feature, gross, budget)
    assert abs(partial) < 0.15 and p > 0.01


# ----------------------------------------------------------------------------- a made-up dataset

SCRIPT = """INT. DINER - NIGHT

Rain. MAVIS wipes the counter.

MAVIS
We're closed. Go home.

EXT. PARKING LOT - DAY

JOE waves, happy and smiling, as the sun comes up.

JOE
Best day ever!
"""


def _made_up_dataset(rows: int = 30):
    """A table where f_words is planted to equal worldwide gross's rank; other features are noise."""
    rng = np.random.default_rng(7)
    budget = rng.uniform(5e6, 1e8, rows)
    gross = np.sort(budget * rng.uniform(0.5, 5.0, rows))
    table = pd.DataFrame({
        "source": [f"batch-t:s{i}.txt" for i in range(rows)], "script_title": [f"Film {i}" for i in range(rows)],
        "batch": "batch-t", "match_status": ["matched"] * (rows - 2) + ["unmatched"] * 2,
        "title": [f"Film {i}" for i in range(rows)], "year": rng.integers(1985, 2020, rows).astype(float),
        "production_budget_usd": budget, "worldwide_gross_usd": gross,
        "mpaa": rng.choice(["PG", "PG-13", "R"], rows), "genres": rng.choice(["Drama", "Comedy"], rows),
        "imdb_score": rng.uniform(4, 8, rows), "imsdb_genres": rng.choice(["Comedy", "Drama|Horror"], rows),
    })
    for name in FEATURES:
        table[f"f_{name}"] = rng.normal(size=rows)
    table["f_words"] = np.arange(rows, dtype=float)  # planted: the same order as gross
    films = pd.concat([table[["title", "year", "production_budget_usd", "worldwide_gross_usd", "mpaa", "genres", "imdb_score"]],
                       pd.DataFrame({"title": ["Extra"] * 40, "year": 2000.0, "production_budget_usd": 1e6,
                                     "worldwide_gross_usd": 5e5, "mpaa": "R", "genres": "Drama", "imdb_score": 5.0})],
                      ignore_index=True)
    films["sources"] = json.dumps({"title": "the_numbers", "mpaa": "imdb"})
    quality = {"scripts_seen": rows + 1, "scripts_parsed": rows, "scripts_rejected": [{"file": "x", "reason": "placeholder"}],
               "reject_reasons": {"placeholder": 1}, "duplicates": 0, "conflicts": 0, "conflicts_by_field": {}}
    screenplays = {source: parse(SCRIPT) for source in table["source"]}
    return table, films, quality, screenplays


@pytest.fixture(scope="module")
def made_up():
    table, films, quality, screenplays = _made_up_dataset()
    return table, films, report.compute_analysis(table, films, quality, screenplays)


def _test_row(analysis, feature, target):
    return next(r for r in analysis["relationships"] if r["feature"] == feature and r["target"] == target)


def test_planted_correlation_is_found_with_its_interval(made_up):
    _, _, analysis = made_up
    row = _test_row(analysis, "words", "log_gross")
    assert row["rho"] == pytest.approx(1.0)
    assert row["ci_low"] <= 1.0 <= row["ci_high"] + 1e-12
    assert row["q"] < 0.05
    assert row["n"] == 28  # the two unmatched scripts carry no outcome


def test_analysis_is_json_and_counts_add_up(made_up):
    table, films, analysis = made_up
    json.dumps(analysis, allow_nan=False)  # NaN would make the JSON invalid for browsers
    assert analysis["data"]["scripts_kept"] == len(table)
    assert analysis["data"]["match_status"] == {"matched": 28, "unmatched": 2}
    assert len(analysis["relationships"]) == len(FEATURES) * len(report.TARGETS)
    summary = analysis["relationship_summary"]["log_gross"]
    assert summary["significant"] == sum(1 for r in analysis["relationships"]
                                         if r["target"] == "log_gross" and r.get("q") is not None and r["q"] < 0.05)
    assert any(f"{summary['significant']} of {summary['tested']}" in text for text in analysis["findings"])
    assert 5 <= len(analysis["recommendations"]) <= 10


def test_survivorship_compares_matched_with_the_whole_table(made_up):
    _, _, analysis = made_up
    gross = analysis["survivorship"]["gross"]
    assert gross["n_sample"] == 28 and gross["n_population"] == 70
    assert gross["median_sample"] > gross["median_population"]  # the 40 extra films are small flops


def test_break_even_uses_two_and_a_half_times_budget():
    frame = report.performance_frame(pd.DataFrame({
        "production_budget_usd": [10.0, 10.0, 0.0], "worldwide_gross_usd": [25.0, 24.9, 5.0],
        "imdb_score": [5, 6, 7], "year": [2000, 2001, 2002]}))
    assert frame["break_even"].tolist()[:2] == [1.0, 0.0]
    assert np.isnan(frame["break_even"].iloc[2])  # no budget, no verdict


def test_missing_dataset_says_to_build_first(tmp_path):
    with pytest.raises(FileNotFoundError, match="reelcast build"):
        report.write_report(tmp_path)


def test_empty_dataset_is_a_clear_error():
    table, films, quality, screenplays = _made_up_dataset()
    with pytest.raises(ValueError, match="no scripts"):
        report.compute_analysis(table.iloc[:0], films, quality, screenplays)


# ----------------------------------------------------------------------------- the page in Chromium


@pytest.mark.browser
def test_report_renders_offline_with_every_plot_visible(made_up, page, tmp_path):
    table, films, analysis = made_up
    html = report.render_html(analysis, table, films)
    path = tmp_path / "report.html"
    path.write_text(html)
    external = []
    page.on("request", lambda request: external.append(request.url)
            if urlparse(request.url).scheme not in ("file", "data") else None)
    page.goto(path.as_uri())
    plots = page.locator("figure img, figure svg")
    assert plots.count() >= 10
    for i in range(plots.count()):
        plot = plots.nth(i)
        plot.scroll_into_view_if_needed()
        box = plot.bounding_box()
        assert plot.is_visible() and box["width"] > 100 and box["height"] > 100
        assert plot.evaluate("img => img.complete && img.naturalWidth > 0")
    assert external == []
    assert "What in a screenplay goes with box-office performance" in page.title() + page.inner_text("h1")
    assert page.locator("figcaption").count() == plots.count()


def test_source_material_is_recommended_with_its_measured_budget_link():
    table, films, quality, screenplays = _made_up_dataset()
    budget_rank = table["production_budget_usd"].rank()
    table["f_source_credit"] = (budget_rank > len(table) - 10).astype(float)  # planted: the ten costliest adapt
    analysis = report.compute_analysis(table, films, quality, screenplays)
    source = next(r for r in analysis["recommendations"] if r["title"] == "Source material")
    row = _test_row(analysis, "source_credit", "log_budget")
    assert row["rho"] > 0.5 and row["q"] < 0.05
    assert source["evidence"].startswith("33% of the kept scripts credit one. log_budget: ρ = +")
    assert not source["reliability"].startswith("low")


def test_one_absurd_feature_value_does_not_decide_the_cross_validated_r2():
    """A transcript parsed as one 19,000-word scene once took the budget R² from 0.32 to 0.18."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = x @ [1.0, 0.5, 0.0] + rng.normal(scale=0.5, size=200)
    clean = report._cv_r2(x, y)
    x[7, 0] = 500.0  # one row far outside the others (plain standardised ridge: R² ≈ -1,235)
    assert clean > 0.75
    assert report._cv_r2(x, y) == pytest.approx(clean, abs=0.02)
