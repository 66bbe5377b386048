"""`reelcast evaluate` on the tiny made-up model home: the model card, its numbers, and honest folds."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reelcast import config, evaluate, model, stats

REELCAST = str(Path(sys.executable).with_name("reelcast"))


@pytest.fixture(scope="module")
def evaluated(trained_home, tmp_path_factory):
    """A copy of the trained home (evaluate writes evaluation.json into it) and the CLI's card and output."""
    home = tmp_path_factory.mktemp("evaluated") / "home"
    shutil.copytree(trained_home, home)
    card = home.parent / "model_card.md"
    result = subprocess.run([REELCAST, "evaluate", "--home", str(home), "--repeats", "1", "--out", str(card)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return home, card.read_text(), result.stdout


def test_the_card_describes_the_model_of_its_home(evaluated):
    home, card, stdout = evaluated
    version = json.loads((config.model_dir(home) / "manifest.json").read_text())["model_version"]
    fingerprint = json.loads((config.dataset_dir(home) / "manifest.json").read_text())["fingerprint"]
    assert f"Model version: `{version}`" in card
    assert f"Dataset fingerprint: `{fingerprint}`" in card
    assert "stack: gross ρ" in stdout and "model card written to" in stdout


def test_every_candidate_and_baseline_has_a_row_with_intervals(evaluated):
    home, card, _ = evaluated
    for candidate in evaluate.CANDIDATES:
        row = next(line for line in card.splitlines() if line.startswith(f"| {candidate.name} "))
        assert ("(baseline)" in row) == candidate.baseline
        assert row.count("[") == 4, row  # gross ρ, budget ρ, AUC and Brier, each with its 95% interval


def test_the_card_gives_the_intervals_of_scripts_without_the_footer(evaluated):
    home, card, _ = evaluated
    mean = json.loads((home / "evaluation.json").read_text())["results"]["stack_no_footer"]["mean"]
    line = next(line for line in card.splitlines() if line.startswith("- Scripts without the IMSDb footer"))
    assert f"coverage gross {mean['coverage_gross_interval']:.3f} [" in line


def test_the_metrics_file_holds_every_repeat_within_range(evaluated):
    home, _, _ = evaluated
    results = json.loads((home / "evaluation.json").read_text())["results"]
    assert set(results) == {c.name for c in evaluate.CANDIDATES}
    stack = results["stack"]
    assert len(stack["per_repeat"]) == 1
    mean = stack["mean"]
    assert -1 <= mean["spearman_gross"] <= 1 and -1 <= mean["spearman_budget"] <= 1
    assert 0 <= mean["auc_break_even"] <= 1 and 0 <= mean["brier_break_even"] <= 1
    assert 0 <= mean["coverage_gross_interval"] <= 1


def test_every_script_is_forecast_once_by_a_model_that_never_saw_it(trained_home):
    ts = model.load_training_set(trained_home)
    films = pd.read_parquet(config.dataset_dir(trained_home) / "films.parquet")
    seen = []

    def recording(train, test, films):
        overlap = set(train.frame["source"]) & set(test.frame["source"])
        assert not overlap, f"scripts in both the training and the test fold: {overlap}"
        seen.extend(test.frame["source"])
        return {"log_gross": np.zeros(len(test.frame)), "log_budget": np.zeros(len(test.frame)),
                "p_break_even": np.full(len(test.frame), 0.5)}

    evaluate.out_of_fold(evaluate.Candidate("recording", "", recording), ts, films, folds=5, seed=0)
    assert sorted(seen) == sorted(ts.frame["source"])


def test_the_learning_curve_fits_on_fewer_scripts_and_tests_on_the_same_folds(trained_home, monkeypatch):
    ts = model.load_training_set(trained_home)
    films = pd.read_parquet(config.dataset_dir(trained_home) / "films.parquet")
    sizes = []

    def recording(train, test, films):
        sizes.append((len(train.frame), len(test.frame)))
        return {"log_gross": np.zeros(len(test.frame)), "log_budget": np.zeros(len(test.frame)),
                "p_break_even": np.full(len(test.frame), 0.5)}

    monkeypatch.setattr(evaluate, "CANDIDATES", [evaluate.Candidate("stack", "", recording)])
    monkeypatch.setattr(evaluate, "MIN_LEARNING_SCRIPTS", 5)
    curve = evaluate.learning_curve(ts, films, repeats=1, log=lambda *_: None)
    evaluate.out_of_fold(evaluate.Candidate("all of each training fold", "", recording), ts, films, folds=5, seed=0)
    assert [p["train_fraction"] for p in curve] == list(evaluate.LEARNING_FRACTIONS)
    per_point = [sizes[i * 5:(i + 1) * 5] for i in range(len(curve) + 1)]
    for point, folds in zip(curve, per_point):
        assert [test for _, test in folds] == [test for _, test in per_point[-1]]
        expected = [round(point["train_fraction"] * train) for train, _ in per_point[-1]]
        assert [train for train, _ in folds] == expected


def test_the_card_shows_the_learning_curve_of_the_shipped_model(evaluated):
    home, card, _ = evaluated
    section = card.split("## Skill against the number of training scripts")[1].split("\n## ")[0]
    curve = json.loads((home / "evaluation.json").read_text())["learning_curve"]
    assert [p["training_scripts"] for p in curve] == [10, 15]  # half and three quarters of 20 per fold
    for point in curve:
        assert f"| {point['training_scripts']} | {point['mean']['spearman_gross']:.3f} |" in section
    assert "each doubling of the training scripts" in section


def test_reliability_bins_compare_the_mean_forecast_with_the_observed_rate():
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.15, 0.85])
    truth = np.array([0, 0, 1, 0, 1, 1, 1, 1, 0, 1])
    curve = evaluate.reliability(truth, p, bins=2)
    low, high = curve["bins"]
    assert (low["scripts"], high["scripts"]) == (5, 5)
    assert low["mean_forecast"] == pytest.approx(np.mean([0.1, 0.15, 0.2, 0.3, 0.4]))
    assert (low["observed_rate"], high["observed_rate"]) == (0.2, 1.0)
    assert (low["low"], low["high"], high["low"], high["high"]) == (0.1, 0.4, 0.6, 0.9)
    assert curve["ece"] == pytest.approx((abs(low["mean_forecast"] - 0.2) + abs(high["mean_forecast"] - 1.0)) / 2)
    assert high["observed_ci95"][1] == 1.0 and 0.4 < high["observed_ci95"][0] < 0.6


def test_wilson_interval_matches_the_textbook_case():
    # 8 of 10: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.717, half-width 0.227
    low, high = stats.wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert stats.wilson_interval(0, 0) == (0.0, 1.0)


def test_the_card_shows_the_reliability_of_both_modes_and_its_plot(evaluated):
    home, card, _ = evaluated
    stack = json.loads((home / "evaluation.json").read_text())["results"]["stack"]
    section = card.split("### Reliability of the break-even probability")[1].split("\n## ")[0]
    for mode, label in (("script", "script only"), ("given_budget", "real budget given")):
        bins = stack["reliability"][mode]["bins"]
        assert sum(b["scripts"] for b in bins) == len(model.load_training_set(home).frame)
        assert section.count(f"| {label} |") == len(bins)
        assert f"{label} {stack['reliability'][mode]['ece']:.3f}" in section
    plot = (home.parent / "model_card_reliability.svg")
    assert "](model_card_reliability.svg)" in section
    assert plot.read_text().lstrip().startswith("<?xml") and "<svg" in plot.read_text()
