"""Batch scoring on a tiny model trained from made-up data: local pool, Dask, errors, order, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures_model import SCRIPTED_FILMS, screenplay_text
from reelcast import batch
from reelcast.model import ModelMissing
from reelcast.service import Service


@pytest.fixture(scope="module")
def script_folder(tmp_path_factory) -> Path:
    """Eight made-up scripts in two levels, an unreadable PDF, an empty file and a file that is no script."""
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "more").mkdir()
    for seed, (title, year, _, _, genre) in enumerate(SCRIPTED_FILMS[:8]):
        where = folder / "more" if seed % 2 else folder
        text = screenplay_text(title, year, genre, seed + 100)
        if seed == 3:  # Fountain carries its title page as `Key: value` lines
            (where / f"{title}.fountain").write_text(f"Title: {title}\nDraft date: {year - 1}\n\n{text}")
        else:
            (where / f"{title}.txt").write_text(text)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "empty.txt").write_text("")
    (folder / "notes.md").write_text("not a script: never scored")
    return folder


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_lines_follow_sorted_relative_paths_and_skip_other_files(trained_home, script_folder, tmp_path):
    out = tmp_path / "scores.jsonl"
    count = batch.score_folder(script_folder, out, home=trained_home, workers=1)
    files = [row["file"] for row in read_lines(out)]
    expected = sorted(p.relative_to(script_folder).as_posix() for p in script_folder.rglob("*")
                      if p.suffix in (".txt", ".pdf", ".fountain"))
    assert files == expected
    assert count == len(expected) == 10
    assert "notes.md" not in files


def test_unreadable_files_get_an_error_line_and_the_rest_are_scored(trained_home, script_folder, tmp_path):
    out = tmp_path / "scores.jsonl"
    batch.score_folder(script_folder, out, home=trained_home, workers=1)
    rows = {row["file"]: row for row in read_lines(out)}
    assert set(rows["broken.pdf"]) == {"file", "error"} and "PDF" in rows["broken.pdf"]["error"]
    assert "empty" in rows["empty.txt"]["error"]
    scored = [row for row in rows.values() if "error" not in row]
    assert len(scored) == 8
    assert all(row["worldwide_gross_usd"]["estimate"] > 0 and 0 <= row["p_break_even"] <= 1 for row in scored)


def test_batch_lines_equal_one_at_a_time_predictions(trained_home, script_folder, tmp_path):
    from reelcast.read import read_document

    out = tmp_path / "scores.jsonl"
    batch.score_folder(script_folder, out, home=trained_home, workers=2)
    service = Service.load(trained_home)
    for row in read_lines(out):
        if "error" not in row:
            path = script_folder / row["file"]
            expected = service.predict(read_document(path.name, path.read_bytes()))
            assert row == json.loads(json.dumps({"file": row["file"], **expected}))


def test_dask_cluster_results_equal_the_local_pool(trained_home, script_folder, tmp_path):
    from distributed import LocalCluster

    local_out, dask_out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    batch.score_folder(script_folder, local_out, home=trained_home, workers=2)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None) as cluster:
        count = batch.score_folder(script_folder, dask_out, home=trained_home, workers=2,
                                   scheduler=cluster.scheduler_address)
    assert count == 10
    assert dask_out.read_text() == local_out.read_text()


def test_scheduler_local_starts_its_own_cluster(trained_home, script_folder, tmp_path):
    local_out, dask_out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    batch.score_folder(script_folder, local_out, home=trained_home, workers=1)
    batch.score_folder(script_folder, dask_out, home=trained_home, workers=1, scheduler="local")
    assert dask_out.read_text() == local_out.read_text()


def test_output_is_replaced_whole_and_no_temp_file_is_left(trained_home, script_folder, tmp_path):
    out = tmp_path / "scores.jsonl"
    out.write_text("stale line from an earlier run\n" * 50)
    batch.score_folder(script_folder, out, home=trained_home, workers=1)
    assert "stale" not in out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]


def test_missing_model_fails_before_any_work(script_folder, tmp_path):
    out = tmp_path / "scores.jsonl"
    with pytest.raises(ModelMissing, match="reelcast train"):
        batch.score_folder(script_folder, out, home=tmp_path / "empty-home")
    assert not out.exists()


def test_chunks_cover_every_file_once_in_order():
    items = [f"f{i}" for i in range(103)]
    size = batch.chunk_size(len(items), workers=4)
    chunks = list(batch.make_chunks(items, size))
    assert [item for chunk in chunks for item in chunk] == items
    assert max(len(c) for c in chunks) <= batch.MAX_CHUNK
    assert len(chunks) >= 4 * batch.TASKS_PER_WORKER - 1
