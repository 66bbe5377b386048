"""Where the CPU-bound work runs: processes that each load the model once and then serve many scripts.

A forecast is ~50 ms of pure-Python CPU (read, parse, features, model). Threads of one process share one
core under the GIL, and `uvicorn --workers 2` pins each keep-alive connection to one process: measured
with 16 clients, one of the two processes took every request while the other idled. So the app keeps
one event loop and hands each request to a `WorkerPool`: one queue, served in arrival order by one
process per core (docs/decisions/007-serving-processes.md). Batch scoring (`reelcast score`) uses the
same per-process model (`process_service`).

This module imports nothing heavy at import time: the web process that feeds the pool stays small,
and only the worker processes hold numpy, scikit-learn, LightGBM and the model.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("reelcast.workers")

ServiceFactory = Callable[[str | Path | None], object]


def load_default_service(home: str | Path | None):
    from reelcast.service import Service
    return Service.load(home)


# ---------------------------------------------------------------- one model per process

_SERVICES: dict[tuple, object] = {}
_LOCK = threading.Lock()


def process_service(home: str | Path | None, factory: ServiceFactory = load_default_service):
    """This process's service for `home`, loaded on first use (under a lock: pool threads share it)."""
    key = (factory, str(home))
    with _LOCK:
        if key not in _SERVICES:
            _SERVICES[key] = factory(home)
        return _SERVICES[key]


def init_worker(home: str | Path | None, factory: ServiceFactory = load_default_service) -> None:
    """Start of a worker process: one BLAS/OpenMP thread (the processes are the parallelism), then the model.

    LightGBM's default OpenMP team costs ~8 ms per one-row predict and oversubscribes the cores: 2 batch
    workers were slower than 1 before this (26.5 s vs 16.8 s, 60 scripts)."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    _exit_with_parent()
    try:
        process_service(home, factory)
    except Exception:  # reported per request (status / ServiceUnavailable), not by killing the pool
        pass
    freeze_heap()


def freeze_heap() -> None:
    """Exempt everything loaded so far (libraries, the model) from garbage collection.

    A request allocates thousands of objects, which triggers collections; a full collection walked all
    ~140,000 objects of numpy, pandas, scikit-learn and the model every few requests. Frozen, a
    120-page predict went from p50 56 / p95 130 / mean 66 ms to p50 56 / p95 58 / mean 56 ms."""
    gc.collect()
    gc.freeze()


def _exit_with_parent() -> None:
    """Stop this worker when the process that started it dies, even by SIGKILL: an orphaned worker
    would hold ~300 MB and the server's stdout forever. (Linux's PR_SET_PDEATHSIG would fire when the
    starting *thread* ends, which for a pool is whichever thread happened to submit first.)"""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="reelcast-parent-watch", daemon=True).start()


class ServiceUnavailable(RuntimeError):
    """No model is loaded; the message says what to do."""


def service_or_problem(home: str | Path | None, factory: ServiceFactory) -> tuple[object | None, str | None]:
    """(service, None) when the model loads, else (None, what to do) so the app can still start."""
    from reelcast.model import ModelMissing
    try:
        return process_service(home, factory), None
    except ModelMissing as exc:
        return None, f"{exc}. The forecast endpoints are unavailable until then."
    except Exception as exc:  # a corrupt artifact must not keep the web page and /healthz down
        log.exception("the model failed to load")
        return None, f"the model failed to load ({type(exc).__name__}: {exc}); run `reelcast train` to rebuild it"


# ---------------------------------------------------------------- the work of one request

@dataclass(frozen=True)
class Upload:
    """What a request carried: pasted text (`filename` None) or a file's name and bytes."""

    data: str | bytes
    filename: str | None = None


def model_status(home: str | Path | None, factory: ServiceFactory) -> tuple[str | None, str | None]:
    """(model version, None) or (None, the problem), as a worker sees it."""
    service, problem = service_or_problem(home, factory)
    return (service.model_version if service is not None else None), problem


def answer(home: str | Path | None, factory: ServiceFactory, method: str, upload: Upload,
           budget_usd: float | None) -> dict:
    """Read the upload and run `method` (predict / explain / coverage) on it: one request's whole work."""
    from reelcast.read import read_document, read_text
    service, problem = service_or_problem(home, factory)
    if service is None:
        raise ServiceUnavailable(problem)
    screenplay = read_text(upload.data) if upload.filename is None else read_document(upload.filename, upload.data)
    return getattr(service, method)(screenplay, budget_usd)


# ---------------------------------------------------------------- the pool the app feeds

class WorkerLost(RuntimeError):
    """A worker process died mid-request (killed, out of memory); the pool has been restarted."""


class WorkerPool:
    """`processes` worker processes (0: threads of this process, for test doubles and one-core machines)."""

    def __init__(self, home: str | Path | None, factory: ServiceFactory, processes: int):
        self.home, self.factory, self.processes = home, factory, processes
        self.executor = self._start()

    def _start(self) -> Executor:
        if self.processes == 0:
            return ThreadPoolExecutor(thread_name_prefix="reelcast-work")
        # spawn, not fork: this process may already hold OpenMP/BLAS threads, and a forked child that
        # touches OpenMP again can deadlock (seen in the tests right after training).
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=init_worker, initargs=(self.home, self.factory))

    async def status(self) -> tuple[str | None, str | None]:
        """The model version (or the problem); starts and loads every worker process on the way."""
        calls = [self._submit(model_status, self.home, self.factory) for _ in range(max(self.processes, 1))]
        return (await asyncio.gather(*calls))[0]

    async def answer(self, method: str, upload: Upload, budget_usd: float | None) -> dict:
        return await self._submit(answer, self.home, self.factory, method, upload, budget_usd)

    async def _submit(self, function: Callable, *args):
        executor = self.executor
        try:
            return await asyncio.wrap_future(executor.submit(function, *args))
        except BrokenProcessPool as exc:
            if executor is self.executor:  # the first of the requests that saw it die restarts the pool
                log.error("a worker process died; restarting the pool")
                self.executor = self._start()
                executor.shutdown(wait=False, cancel_futures=True)
            raise WorkerLost("a worker process stopped while handling the request; it has been restarted") from exc

    def shutdown(self) -> None:
        """Drop queued work, let running work finish, and wait for the processes to exit (with
        wait=False they outlived the server: the interpreter exited before they were told to stop)."""
        self.executor.shutdown(wait=True, cancel_futures=True)


def default_processes() -> int:
    """$REELCAST_WORKERS, else one worker process per core."""
    setting = os.environ.get("REELCAST_WORKERS", "").strip()
    if setting:
        if not setting.isdigit():
            raise ValueError(f"REELCAST_WORKERS={setting!r} is not a whole number: use 0 (threads) or a process count")
        return int(setting)
    return os.cpu_count() or 1
