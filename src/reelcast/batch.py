"""Batch scoring: a folder of scripts → one JSON line of forecast per file.

Two ways to run the same per-chunk function, so their results are identical:
- locally, a `ProcessPoolExecutor` whose initializer loads the model once per worker process;
- on a Dask cluster (`scheduler="local"` starts a `LocalCluster`, or give a `tcp://` address),
  `Client.map` over chunks; each Dask worker loads the model once and keeps it
  (`workers.process_service`, as the HTTP app's workers do).

Workers read the files and the model themselves, by absolute path, so no script bytes travel through
the scheduler; on a multi-machine cluster the folder and the model home must be on shared storage
at the same path.

The output is written to a temporary file and renamed: a killed run leaves no half-written `--out`.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reelcast import config
from reelcast.model import ModelMissing
from reelcast.workers import init_worker, process_service

SCRIPT_SUFFIXES = (".txt", ".pdf", ".fdx", ".fountain")
MAX_CHUNK = 32        # files per task: big enough to hide per-task overhead (~ms) behind ~100 ms per script
TASKS_PER_WORKER = 4  # several chunks per worker so a chunk of long scripts does not leave the others idle


# ---------------------------------------------------------------- public entry point

def score_folder(folder: str | Path, out: str | Path, home: str | Path | None = None,
                 workers: int | None = None, scheduler: str | None = None) -> int:
    """Score every script under `folder` (recursively, sorted) into the JSON Lines file `out`.

    Each line is `{"file": <path relative to folder>, **prediction}` or `{"file", "error"}` when the
    file cannot be scored; a bad file never stops the batch. Returns the number of files written.
    """
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder of scripts")
    home = _model_home(home)
    files = list_scripts(folder)
    workers = workers or os.cpu_count() or 1
    chunks = list(make_chunks([str(folder / name) for name in files], chunk_size(len(files), workers)))
    results = _run(chunks, home, workers, scheduler)
    return write_jsonl(out, _relative(_flatten(results), folder))


def list_scripts(folder: Path) -> list[str]:
    """Script files under `folder` as sorted relative POSIX paths (the output order)."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in SCRIPT_SUFFIXES
    )


def chunk_size(files: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, math.ceil(files / (workers * TASKS_PER_WORKER))))


def make_chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _model_home(home: str | Path | None) -> str:
    """The model home as an absolute path (workers may run elsewhere); fails early if there is no model."""
    root = config.home_dir(home).resolve()
    if not (config.model_dir(root) / "manifest.json").exists():
        raise ModelMissing(f"no model at {config.model_dir(root)}: run `reelcast train` (it builds the dataset first)")
    return str(root)


# ---------------------------------------------------------------- executors

def _run(chunks: list[list[str]], home: str, workers: int, scheduler: str | None) -> Iterable[list[dict]]:
    if scheduler:
        return _run_dask(chunks, home, workers, scheduler)
    if workers <= 1 or len(chunks) <= 1:
        return (score_chunk(home, chunk) for chunk in chunks)
    return _run_pool(chunks, home, workers)


def _run_pool(chunks: list[list[str]], home: str, workers: int) -> Iterator[list[dict]]:
    # spawn, not fork: a parent that has run LightGBM/BLAS holds OpenMP threads, and a forked child
    # that touches OpenMP again deadlocks (seen in the tests right after training).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context,
                             initializer=init_worker, initargs=(home,)) as pool:
        yield from pool.map(score_chunk, [home] * len(chunks), chunks)


def _run_dask(chunks: list[list[str]], home: str, workers: int, scheduler: str) -> Iterator[list[dict]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # an optional dependency: only cluster users need it
        raise RuntimeError("scoring on Dask needs the `distributed` package: pip install 'dask[distributed]'") from exc
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        futures = client.map(score_chunk, [home] * len(chunks), chunks)
        # In input order, one chunk at a time, so lines are written while later chunks still run.
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------- worker side

def score_chunk(home: str, paths: list[str]) -> list[dict]:
    """Score files by absolute path; runs in a pool worker, a Dask worker (whose nanny sets
    OMP_NUM_THREADS=1 itself) or in-process."""
    service = process_service(home)
    return [score_file(service, Path(path)) for path in paths]


def score_file(service, path: Path) -> dict:
    from reelcast.read import UnreadableScript, read_document
    try:
        return {"file": str(path), **service.predict(read_document(path.name, path.read_bytes()))}
    except UnreadableScript as exc:
        return {"file": str(path), "error": str(exc)}
    except OSError as exc:
        return {"file": str(path), "error": f"cannot read the file: {exc.strerror or exc}"}
    except Exception as exc:  # a parser bug on one odd file must not lose a batch of thousands
        return {"file": str(path), "error": f"internal error while scoring ({type(exc).__name__}: {exc})"}


# ---------------------------------------------------------------- output

def _flatten(results: Iterable[list[dict]]) -> Iterator[dict]:
    for chunk in results:
        yield from chunk


def _relative(rows: Iterable[dict], folder: Path) -> Iterator[dict]:
    for row in rows:
        yield {**row, "file": Path(row["file"]).relative_to(folder).as_posix()}


def write_jsonl(out: str | Path, rows: Iterable[dict]) -> int:
    """Stream rows to a temp file beside `out`, then rename it into place; returns the row count."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return count
