"""`python -m bench.run` (`make bench`): measure the issue's numbers and write bench/results.json.

What it measures, against the real data (`$REELCAST_DATA`, default ../shared/data), in its own home
(`var/bench/`, so `var/` is never touched):
- dataset build: cold (empty home), warm (nothing changed), incremental (one new batch of synthetic
  scripts written by the bench into a temporary copy of the scripts folder, outside the repo);
  each build runs as `reelcast build` would, in a child process, sampled for peak memory;
- in-process predict on the corpus script closest to 120 pages: per-stage times and p50/p95/p99;
- HTTP: a real uvicorn server on 127.0.0.1, 1/4/16 concurrent clients, a bounded number of
  requests each: latency percentiles, throughput, errors, /healthz latency under load, server RSS;
- a cProfile of one predict: the functions where the time goes.

Every goal of the issue gets measured value, goal and pass/fail. The whole run takes a few minutes.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

from reelcast import config, dataset, model, read, screenplay
from reelcast import workers
from reelcast.localserver import free_port, running, uvicorn_command
from reelcast.service import Service

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results.json"
BENCH_HOME = REPO / "var" / "bench"
TYPICAL_PAGES = 120
PREDICT_REPEATS = 50
CONCURRENCY = {1: 40, 4: 100, 16: 320}  # clients → requests (bounded: the run stops by itself)
REQUEST_TIMEOUT_S = 60
GOALS = {  # name: (limit, unit) — every goal is "measured ≤ limit"
    "predict_inprocess_p50_ms": (100, "ms"),
    "http_p99_ms_at_16_clients": (500, "ms"),
    "http_errors_at_16_clients": (0, "requests"),
    "build_warm_s": (5, "s"),
    "build_cold_s": (120, "s"),
    "server_pss_mb": (600, "MB"),  # the issue says RSS; summed RSS would count shared libraries per process
}


# ---------------------------------------------------------------- helpers

def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = np.array(samples_s) * 1000
    return {"n": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "mean_ms": round(float(ms.mean()), 1)}


class PeakMemory:
    """Samples a process and its children (a build's or a server's worker pool): the summed RSS every
    50 ms, and the summed PSS (shared pages divided among the processes sharing them) every 0.5 s.

    RSS summed over processes counts each shared library once per process; PSS counts it once in all,
    so for a multi-process server it is the memory the server really occupies."""

    def __init__(self, pid: int):
        self.process, self.peak, self.peak_pss, self._stop = psutil.Process(pid), 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        ticks = 0
        while not self._stop.is_set():
            try:
                tree = process_tree(self.process)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
                if ticks % 10 == 0:
                    self.peak_pss = max(self.peak_pss, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                pass
            ticks += 1
            self._stop.wait(0.05)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 1e6, 1)


def process_tree(process: psutil.Process) -> list[psutil.Process]:
    return [process, *process.children(recursive=True)]


def tree_memory_mb(pid: int) -> dict[str, float]:
    """RSS of each process of the tree, their sum, and their PSS sum, now."""
    tree = process_tree(psutil.Process(pid))
    infos = [p.memory_full_info() for p in tree]
    return {"processes": len(tree), "rss_each": [round(i.rss / 1e6, 1) for i in infos],
            "rss_sum": round(sum(i.rss for i in infos) / 1e6, 1), "pss_sum": round(sum(i.pss for i in infos) / 1e6, 1)}


def atomic_write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


# ---------------------------------------------------------------- dataset build

BUILD_CHILD = ("import json, sys, time; from reelcast import dataset; t = time.perf_counter(); "
               "s = dataset.build(sys.argv[1], sys.argv[2]).summary; "
               "print(json.dumps({'seconds': time.perf_counter() - t, 'processed': s['batches_processed'], "
               "'reused': s['batches_reused'], 'scripts_seen': s['scripts_seen'], 'training_rows': s['training_rows']}))")


def timed_build(data: Path, home: Path) -> dict:
    """One `dataset.build` in a fresh interpreter, as `reelcast build` runs: wall time, build time, peak RSS."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", BUILD_CHILD, str(data), str(home)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(child.pid) as rss:
        stdout, stderr = child.communicate()
    if child.returncode:
        raise RuntimeError(f"the build failed:\n{stderr[-3000:]}")
    inside = json.loads(stdout.strip().splitlines()[-1])
    return {"wall_s": round(time.perf_counter() - start, 2), "build_s": round(inside.pop("seconds"), 2),
            "peak_rss_mb": rss.peak_mb, **inside}


def synthetic_script(number: int) -> str:
    """A made-up screenplay (never corpus text) for the incremental batch."""
    lines = [f"{' ' * 30}BENCH PICTURE {number}", "", f"{' ' * 33}Written by", f"{' ' * 33}A. Bench", ""]
    for scene in range(60):
        lines += [f"{' ' * 10}{'INT.' if scene % 2 else 'EXT.'} PLACE {scene % 7} - {'DAY' if scene % 3 else 'NIGHT'}", "",
                  f"{' ' * 10}Rain runs down the glass while the crew waits for word from the harbor.", ""]
        for turn in range(4):
            speaker = ("NELL", "OWEN", "MARA")[(scene + turn) % 3]
            lines += [f"{' ' * 30}{speaker}", f"{' ' * 20}We hold until the lamp is lit, then we go.", ""]
    return "\n".join(lines)


def bench_builds(data: Path) -> dict:
    """Cold, warm and incremental builds on a temp copy of the scripts folder (batches linked, not copied)."""
    shutil.rmtree(BENCH_HOME, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="reelcast-bench-") as tmp:
        work = Path(tmp)
        (work / "scripts").mkdir()
        (work / "performance").symlink_to((data / "performance").resolve())
        for batch in sorted((data / "scripts").glob("*.tar.xz")):
            (work / "scripts" / batch.name).symlink_to(batch.resolve())
        cold = timed_build(work, BENCH_HOME)
        warm = timed_build(work, BENCH_HOME)
        extra = work / "scripts" / "batch-zzz"
        extra.mkdir()
        for number in range(1, 6):
            (extra / f"Bench Picture {number}.txt").write_text(synthetic_script(number))
        incremental = timed_build(work, BENCH_HOME)
        # the dataset the model trains on must be the real one, without the synthetic batch
        shutil.rmtree(extra)
        timed_build(work, BENCH_HOME)
    return {"cold": cold, "warm": warm, "incremental": incremental}


# ---------------------------------------------------------------- in-process predict

def typical_script(data: Path, home: Path) -> tuple[str, bytes, float]:
    """The corpus script whose estimated length is closest to 120 pages: (source, raw bytes, pages)."""
    table = dataset.load_table(home)
    row = table.loc[(table["f_pages"] - TYPICAL_PAGES).abs().idxmin()]
    for raw in read.iter_raw_scripts(data / "scripts", [row["batch"]]):
        if raw.source == row["source"]:
            return raw.source, raw.data, float(row["f_pages"])
    raise RuntimeError(f"{row['source']} is in the dataset but not in {data / 'scripts'}")


def stage_times(service: Service, data: bytes) -> dict[str, float]:
    """One predict, timed stage by stage (read = bytes → clean text; the rest as the service does it)."""
    t0 = time.perf_counter()
    text, source_format = read.clean_text(read.decode(data))
    t1 = time.perf_counter()
    sp = screenplay.parse(text, source_format)
    t2 = time.perf_counter()
    inputs = service.inputs(sp)
    t3 = time.perf_counter()
    service.predict_inputs(inputs)
    t4 = time.perf_counter()
    return {"read": t1 - t0, "parse": t2 - t1, "features": t3 - t2, "model": t4 - t3}


def bench_predict(service: Service, data: bytes) -> dict:
    runs = [stage_times(service, data) for _ in range(PREDICT_REPEATS)]
    stages = {name: percentiles([r[name] for r in runs]) for name in runs[0]}
    pipeline = [r["parse"] + r["features"] + r["model"] for r in runs]
    end_to_end = [sum(r.values()) for r in runs]
    return {"stages": stages, "parse_features_model": percentiles(pipeline), "read_to_prediction": percentiles(end_to_end)}


def profile_predict(service: Service, filename: str, data: bytes, top: int = 15) -> list[dict]:
    """Where one predict spends its time: the functions with the most own time (cProfile)."""
    profiler = cProfile.Profile()
    profiler.enable()
    service.predict(read.read_document(filename, data))
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rows = [{"function": f"{Path(file).name}:{line}:{name}", "own_ms": round(tt * 1000, 1),
             "cumulative_ms": round(ct * 1000, 1), "calls": nc}
            for (file, line, name), (_, nc, tt, ct, _) in stats.items()]
    return sorted(rows, key=lambda r: r["own_ms"], reverse=True)[:top]


# ---------------------------------------------------------------- HTTP

def cpu_seconds(processes: list[psutil.Process]) -> float:
    return sum(t.user + t.system for t in (p.cpu_times() for p in processes))


async def load_level(base: str, body: dict, clients: int, requests: int, server_pid: int) -> dict:
    """`clients` concurrent clients share `requests` POST /v1/predict; /healthz is polled meanwhile.

    Also the CPU each side spent per request: the HTTP process, the model processes, and this client,
    which shares the machine's cores with the server."""
    http_process = psutil.Process(server_pid)
    model_processes = http_process.children(recursive=True)
    cpu_before = [cpu_seconds([http_process]), cpu_seconds(model_processes), cpu_seconds([psutil.Process()])]
    latencies, health, errors = [], [], []
    queue = iter(range(requests))
    done = asyncio.Event()
    payload = json.dumps(body).encode()  # encoded once: the clients share this machine's 2 cores with the server

    async def client(http: httpx.AsyncClient) -> None:
        for _ in queue:
            start = time.perf_counter()
            try:
                response = await http.post(f"{base}/v1/predict", content=payload,
                                           headers={"content-type": "application/json"})
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - start)

    async def poll_health(http: httpx.AsyncClient) -> None:
        while not done.is_set():
            start = time.perf_counter()
            await http.get(f"{base}/healthz")
            health.append(time.perf_counter() - start)
            await asyncio.sleep(0.1)

    limits = httpx.Limits(max_connections=clients + 1)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as http:
        poller = asyncio.create_task(poll_health(http))
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - start
        done.set()
        await poller
    cpu_after = [cpu_seconds([http_process]), cpu_seconds(model_processes), cpu_seconds([psutil.Process()])]
    cpu_ms = [round((after - before) * 1000 / requests, 1) for before, after in zip(cpu_before, cpu_after)]
    return {"clients": clients, "requests": requests, "errors": len(errors), "error_samples": errors[:3],
            "throughput_rps": round(requests / elapsed, 2), "latency": percentiles(latencies),
            "healthz_under_load": percentiles(health) if health else None,
            "cpu_ms_per_request": dict(zip(("http_process", "model_processes", "load_client"), cpu_ms))}


def bench_http(home: Path, text: str) -> dict:
    """The app as `make demo` runs it: one HTTP process and its default pool of model processes."""
    port = free_port()
    env = {**os.environ, "REELCAST_HOME": str(home)}
    command = uvicorn_command(port, "--log-level", "warning")
    with running(command, port, env, BENCH_HOME / "server.log", timeout_s=120, need_model=True) as (server, base):
        idle = tree_memory_mb(server.pid)
        levels, peak, peak_pss = [], idle["rss_sum"], idle["pss_sum"]
        for clients, requests in CONCURRENCY.items():
            with PeakMemory(server.pid) as memory:
                levels.append(asyncio.run(load_level(base, {"text": text}, clients, requests, server.pid)))
            peak, peak_pss = max(peak, memory.peak / 1e6), max(peak_pss, memory.peak_pss / 1e6)
        after = tree_memory_mb(server.pid)
    return {"levels": levels,
            "server_memory_mb": {"idle": idle, "after": after, "peak_rss_sum": round(peak, 1),
                                 "peak_pss_sum": round(peak_pss, 1),
                                 "note": "the server is one HTTP process plus one model process per core; "
                                         "PSS counts pages the processes share once, RSS once per process"}}


# ---------------------------------------------------------------- goals and main

def goal_values(results: dict) -> dict[str, float]:
    level16 = next(level for level in results["http"]["levels"] if level["clients"] == 16)
    return {
        "predict_inprocess_p50_ms": results["predict"]["parse_features_model"]["p50_ms"],
        "http_p99_ms_at_16_clients": level16["latency"]["p99_ms"],
        "http_errors_at_16_clients": level16["errors"],
        "build_warm_s": results["build"]["warm"]["wall_s"],
        "build_cold_s": results["build"]["cold"]["wall_s"],
        "server_pss_mb": results["http"]["server_memory_mb"]["peak_pss_sum"],
    }


def judge(values: dict[str, float]) -> dict:
    return {name: {"measured": values[name], "goal": f"<= {limit} {unit}", "pass": values[name] <= limit}
            for name, (limit, unit) in GOALS.items()}


def main() -> None:
    data = config.data_dir()
    if not (data / "scripts").is_dir():
        sys.exit(f"no raw data at {data.resolve()}: set REELCAST_DATA to the data folder")
    started = time.perf_counter()
    results: dict = {"command": "make bench  (python -m bench.run)", "machine": machine(), "data": str(data.resolve())}
    results["machine"]["load_average_1_5_15_at_start"] = [round(x, 2) for x in os.getloadavg()]
    print("building the dataset: cold, warm, incremental …", flush=True)
    results["build"] = bench_builds(data)
    print(json.dumps(results["build"]), flush=True)
    print("training …", flush=True)
    start = time.perf_counter()
    trained = model.train(BENCH_HOME)
    results["train"] = {"seconds": round(time.perf_counter() - start, 2), "rows": trained["training_rows"]}
    source, raw_bytes, pages = typical_script(data, BENCH_HOME)
    filename = Path(source.split(":")[-1]).name
    service = Service.load(BENCH_HOME)
    workers.freeze_heap()  # as every server worker does after loading the model
    print(f"predict in-process ×{PREDICT_REPEATS} on a {pages:.0f}-page script …", flush=True)
    results["typical_script"] = {"pages": round(pages, 1), "bytes": len(raw_bytes)}
    results["predict"] = bench_predict(service, raw_bytes)
    results["profile_one_predict"] = profile_predict(service, filename, raw_bytes)
    print(json.dumps({k: results["predict"][k] for k in ("parse_features_model", "read_to_prediction")}), flush=True)
    print("HTTP at 1, 4, 16 concurrent clients …", flush=True)
    results["http"] = bench_http(BENCH_HOME, read.decode(raw_bytes))
    results["goals"] = judge(goal_values(results))
    results["bench_s"] = round(time.perf_counter() - started, 1)
    # other work on the machine slows every number above: record how busy it was
    results["machine"]["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
    atomic_write_json(RESULTS, results)
    for name, verdict in results["goals"].items():
        print(f"{'PASS' if verdict['pass'] else 'FAIL'}  {name}: {verdict['measured']} ({verdict['goal']})")
    print(f"results written to {RESULTS.relative_to(REPO)} in {results['bench_s']} s")


if __name__ == "__main__":
    main()
