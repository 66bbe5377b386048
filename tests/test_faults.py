"""Faults: a missing or corrupt model, missing data, a build killed half-way, a full disk.

Each must end in one clear sentence (no traceback), and nothing half-written may ever be read: a
corrupt model is refused by its recorded hashes, a killed build resumes from its finished batches
and ends equal to a clean build, and a write that fails leaves the previous file whole.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fixtures_model import write_raw_data
from reelcast import cli, dataset
from reelcast.api import create_app
from reelcast.service import ModelMissing, Service

REELCAST = str(Path(sys.executable).with_name("reelcast"))


def one_line_error(stderr: str, *words: str) -> None:
    """What a user sees from a failed command: one `error:` line naming the problem, no traceback."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]


# --- the model artifact -----------------------------------------------------------------------------------


@pytest.fixture
def model_home(trained_home, tmp_path) -> Path:
    """A private copy of the trained model, free to damage."""
    shutil.copytree(trained_home / "model", tmp_path / "model")
    return tmp_path


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def drop_array(root: Path, key: str) -> None:
    """What a model saved by older code looks like: an intact, hashed arrays file that lacks `key`."""
    arrays = dict(np.load(root / "arrays.npz", allow_pickle=False))
    del arrays[key]
    np.savez_compressed(root / "arrays.npz", **arrays)
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["files"]["arrays.npz"] = hashlib.sha256((root / "arrays.npz").read_bytes()).hexdigest()
    (root / "manifest.json").write_text(json.dumps(manifest))


def edit_manifest(root: Path, **changes) -> None:
    """What a model made by other code looks like: its manifest records other settings."""
    manifest = json.loads((root / "manifest.json").read_text())
    (root / "manifest.json").write_text(json.dumps({**manifest, **changes}))


def forget_in_manifest(root: Path, key: str) -> None:
    """What a model made by older code looks like: its manifest lacks a setting this code needs."""
    manifest = json.loads((root / "manifest.json").read_text())
    del manifest[key]
    (root / "manifest.json").write_text(json.dumps(manifest))


DAMAGE = {
    "arrays-flipped": (lambda root: flip_a_byte(root / "arrays.npz"), "does not match its recorded hash"),
    "prior-edited": (lambda root: (root / "prior_log_gross.txt").write_text("tree\n"), "does not match its recorded hash"),
    "prior-deleted": (lambda root: (root / "prior_log_budget.txt").unlink(), "unreadable"),
    "manifest-truncated": (lambda root: (root / "manifest.json").write_text('{"model_version": '), "unreadable"),
    "manifest-deleted": (lambda root: (root / "manifest.json").unlink(), "no model"),
    "folder-deleted": (lambda root: shutil.rmtree(root), "no model"),
    "other-features": (lambda root: edit_manifest(root, feature_names=["words"]), "other features"),
    "other-text-parts": (lambda root: edit_manifest(root, text_chunks=1), "other parts"),
    "no-draft-lag": (lambda root: forget_in_manifest(root, "draft_lag"), "predates the draft-to-release lag"),
    "one-set-of-heads": (lambda root: edit_manifest(root, heads=["log_budget", "log_gross_script"]),
                         "predates the heads for scripts without IMSDb's footer"),
    "no-footerless-corpus-view": (lambda root: drop_array(root, "corpus_inputs_words"),
                                  "predates the heads for scripts without IMSDb's footer"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_model_is_refused_with_what_to_do(model_home, damage):
    harm, words = DAMAGE[damage]
    harm(model_home / "model")
    with pytest.raises(ModelMissing, match=words) as error:
        Service.load(model_home)
    assert "reelcast train" in str(error.value) or "reelcast build" in str(error.value)


def test_the_intact_copy_loads(model_home):
    assert Service.load(model_home).model_version


def test_with_a_corrupt_model_the_app_starts_degraded(model_home, script_text):
    flip_a_byte(model_home / "model" / "arrays.npz")
    with TestClient(create_app(home=model_home, workers=1)) as client:
        health = client.get("/healthz").json()
        forecast = client.post("/v1/predict", json={"text": script_text})
        page = client.get("/")
    assert health["status"] == "degraded" and "recorded hash" in health["detail"]
    assert forecast.status_code == 503 and "reelcast train" in forecast.json()["detail"]
    assert page.status_code == 200


def test_with_a_corrupt_model_the_cli_says_so_in_one_line(model_home, script_file):
    (model_home / "model" / "manifest.json").write_text("not json")
    result = subprocess.run([REELCAST, "predict", str(script_file), "--home", str(model_home)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and result.stdout == ""
    one_line_error(result.stderr, "unreadable", "reelcast train")


# --- missing data -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout, words", [("nothing", ["no data folder"]), ("empty", ["no scripts folder"]),
                                            ("scripts-only", ["no performance tables"])])
def test_build_without_its_data_fails_in_one_line(tmp_path, layout, words):
    data = tmp_path / "data"
    if layout != "nothing":
        (data / "scripts").mkdir(parents=True) if layout == "scripts-only" else data.mkdir()
    result = subprocess.run([REELCAST, "build", "--data", str(data), "--home", str(tmp_path / "home")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    one_line_error(result.stderr, *words)


# --- a build killed half-way --------------------------------------------------------------------------------


def two_batch_data(root: Path) -> Path:
    """The fixture data with its one script archive split into batch-001 and batch-002."""
    data = write_raw_data(root)
    archive = data / "scripts" / "batch-001.tar.xz"
    with tarfile.open(archive) as source:
        members = [(member, source.extractfile(member).read()) for member in source if member.isfile()]
    half = len(members) // 2
    for name, part in [("batch-001.tar.xz", members[:half]), ("batch-002.tar.xz", members[half:])]:
        with tarfile.open(data / "scripts" / name, "w:xz") as target:
            for member, content in part:
                target.addfile(member, io.BytesIO(content))
    return data


# Runs `reelcast build` and SIGKILLs it at the worst moment: batch-002's cache file is fully written
# under its temporary name but not yet renamed, and nothing after the batches has been written.
KILLED_BUILD = """
import os, signal, sys
from reelcast import cli
rename = os.replace
def rename_or_die(source, target, *args, **kwargs):
    if "batch-002" in str(target):
        os.kill(os.getpid(), signal.SIGKILL)
    return rename(source, target, *args, **kwargs)
os.replace = rename_or_die
sys.argv = ["reelcast", "build", "--data", sys.argv[1], "--home", sys.argv[2], "--workers", "1"]
cli.app()
"""


def test_a_killed_build_resumes_and_equals_a_clean_build(tmp_path):
    data = two_batch_data(tmp_path / "data")
    home = tmp_path / "killed"
    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(data), str(home)],
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    batches = home / "dataset" / "batches"
    assert [p.name.split(".json.gz")[0].rsplit(".", 1)[0] for p in batches.glob("*.json.gz")] == ["batch-001.tar.xz"]
    assert list(batches.glob(".batch-002*.tmp")), "the killed write should have left its temporary file"
    with pytest.raises(dataset.DataMissing):  # no manifest yet: the half-built dataset is never read
        dataset.load_table(home)

    resumed = dataset.build(data, home, workers=1).summary
    clean = dataset.build(data, tmp_path / "clean", workers=1).summary

    assert resumed["batches_processed"] == ["batch-002.tar.xz"] and resumed["batches_reused"] == ["batch-001.tar.xz"]
    assert resumed["fingerprint"] == clean["fingerprint"]
    pd.testing.assert_frame_equal(dataset.load_table(home), dataset.load_table(tmp_path / "clean"))
    assert {k: v for k, v in resumed.items() if not k.startswith("batches")} == \
           {k: v for k, v in clean.items() if not k.startswith("batches")}


# --- a full disk --------------------------------------------------------------------------------------------


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "quality.json"
    dataset.atomic_write_json(path, {"scripts_seen": 1})
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        dataset.atomic_write_json(path, {"scripts_seen": 2})
    assert path.read_text() == '{\n  "scripts_seen": 1\n}'
    assert [p.name for p in tmp_path.iterdir()] == ["quality.json"], "a partial temporary file was left behind"


def test_a_full_disk_during_a_parquet_write_keeps_the_old_table(tmp_path, monkeypatch):
    path = tmp_path / "dataset.parquet"
    old = pd.DataFrame({"title": ["Old Reel"], "year": [1975]})
    dataset.atomic_write_parquet(path, old)

    def half_a_table_then_full(frame, target, **kwargs):
        Path(target).write_bytes(b"PAR1 half a table")
        disk_full()

    monkeypatch.setattr(pd.DataFrame, "to_parquet", half_a_table_then_full)
    with pytest.raises(OSError):
        dataset.atomic_write_parquet(path, pd.DataFrame({"title": ["New"], "year": [2020]}))
    monkeypatch.undo()
    pd.testing.assert_frame_equal(pd.read_parquet(path), old)
    assert [p.name for p in tmp_path.iterdir()] == ["dataset.parquet"]


def test_a_build_on_a_full_disk_fails_in_one_line_and_keeps_the_last_dataset(tmp_path, monkeypatch):
    data = two_batch_data(tmp_path / "data")
    (data / "scripts" / "batch-002.tar.xz").rename(tmp_path / "later.tar.xz")
    home = tmp_path / "home"
    dataset.build(data, home, workers=1)
    before = dataset.load_table(home)

    (tmp_path / "later.tar.xz").rename(data / "scripts" / "batch-002.tar.xz")  # a new batch arrives
    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(cli.app, ["build", "--data", str(data), "--home", str(home), "--workers", "1"])
    monkeypatch.undo()

    assert result.exit_code == 2
    one_line_error(result.stderr, "No space left on device", "reelcast build")
    pd.testing.assert_frame_equal(dataset.load_table(home), before)
    assert not list((home / "dataset").rglob("*.tmp"))


# --- the live server after faults -------------------------------------------------------------------------


def test_the_degraded_server_answers_every_endpoint_with_503_not_500(server_without_model, script_text):
    for path in ("/v1/predict", "/v1/explain", "/v1/coverage"):
        response = httpx.post(f"{server_without_model}{path}", files={"file": ("s.txt", script_text.encode())})
        assert response.status_code == 503 and "reelcast train" in response.json()["detail"]
