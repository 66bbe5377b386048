"""The worker pool behind the HTTP app: real spawned processes, one queue, survival of a dead worker."""

import asyncio
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import PidService, SlowOrBrokenService, app_server
from fastapi.testclient import TestClient

from reelcast.api import create_app
from reelcast.workers import Upload, WorkerLost, WorkerPool


def run(coroutine_function, *args):
    """Run a coroutine on a fresh event loop in its own thread (the browser tests keep a loop in this one)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine_function(*args)).result()


async def timed_answers(pool: WorkerPool, script_text: str, count: int) -> tuple[list[dict], float]:
    await pool.status()
    await pool.answer("predict", Upload(script_text), None)  # both processes are started and loaded
    started = time.monotonic()
    results = await asyncio.gather(*(pool.answer("predict", Upload(script_text), None) for _ in range(count)))
    return results, time.monotonic() - started


def test_two_processes_share_the_queue(script_text, monkeypatch):
    monkeypatch.setenv("REELCAST_TEST_DELAY_S", "0.5")
    pool = WorkerPool(None, PidService.load, processes=2)
    try:
        results, elapsed = run(timed_answers, pool, script_text, 4)
    finally:
        pool.shutdown()
    assert os.getpid() not in {r["pid"] for r in results}, "the work ran in this process, not in a worker"
    assert len({r["pid"] for r in results}) == 2, results
    assert elapsed < 1.5, f"4 × 0.5 s on 2 processes took {elapsed:.2f} s: the processes did not share the queue"
    assert all(r["scenes"] >= 2 for r in results)  # the worker read and parsed the text itself


def test_a_dead_worker_costs_one_request_not_the_server(script_text, tmp_path, monkeypatch):
    monkeypatch.setenv("REELCAST_TEST_CRASH_MARKER", str(tmp_path / "crashed-once"))
    with TestClient(create_app(service_factory=PidService.load, workers=1), raise_server_exceptions=False) as client:
        lost = client.post("/v1/predict", json={"text": script_text})
        health = client.get("/healthz")
        after = client.post("/v1/predict", json={"text": script_text})
    assert lost.status_code == 503 and "send the request again" in lost.json()["detail"], lost.text
    assert health.json()["status"] == "ok"
    assert after.status_code == 200 and after.json()["model_version"] == "pid-double", after.text  # a fresh worker


async def crash_then_answer(pool: WorkerPool, script_text: str) -> tuple[Exception | None, dict]:
    await pool.status()
    try:
        await pool.answer("predict", Upload(script_text), None)
        lost = None
    except WorkerLost as exc:
        lost = exc
    return lost, await pool.answer("predict", Upload(script_text), None)


def test_a_worker_death_is_reported_and_the_pool_restarted(script_text, tmp_path, monkeypatch):
    monkeypatch.setenv("REELCAST_TEST_CRASH_MARKER", str(tmp_path / "crashed-once"))
    pool = WorkerPool(None, PidService.load, processes=1)
    try:
        lost, after = run(crash_then_answer, pool, script_text)
    finally:
        pool.shutdown()
    assert lost is not None, "a killed worker went unnoticed"
    assert after["pid"] != os.getpid()


def test_workers_exit_when_the_server_is_killed(trained_home, tmp_path):
    """SIGKILL leaves no chance to clean up: the workers must notice on their own."""
    import psutil
    with app_server(trained_home, tmp_path / "server.log") as (server, _):
        workers = psutil.Process(server.pid).children(recursive=True)
        assert workers, "the server started no worker processes"
        server.kill()
        gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"{len(alive)} worker processes outlived the killed server"


def test_the_web_process_holds_no_model_libraries():
    code = "import sys, reelcast.api; print(sorted(m for m in ('numpy', 'sklearn', 'lightgbm', 'pandas') if m in sys.modules))"
    import subprocess
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_threads_mode_keeps_test_doubles_in_this_process(script_text):
    with TestClient(create_app(service_factory=SlowOrBrokenService.load, workers=0), raise_server_exceptions=False) as client:
        assert client.get("/healthz").json()["model_version"] == "double"
