"""Load: 16 concurrent clients against the real server, mixed sizes and endpoints; zero errors, stable memory.

Each client sends its share of requests one after another over its own connection: a one-scene
fragment, a 30-scene script and a 150-scene feature (about 200 KB), as JSON or as an upload, to
predict, explain and coverage in turn. The server's resident memory is read with psutil after a
warm-up round (first requests fill caches) and again after the load; it must not keep growing.

The issue asks for 16 clients x 200 requests. With the tiny test model the server handles about 17
mixed requests a second on this 2-core machine, so 3,200 requests take about three minutes: too long
for every test run. The suite sends 16 x 13 = 208 requests (about 12 s); set
REELCAST_LOAD_REQUESTS_PER_CLIENT=200 to run the full load (docs/robustness.md has its numbers).
"""

from __future__ import annotations

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import psutil
import pytest

from conftest import SHORT_SCRIPT
from fixtures_model import feature_length_text

CLIENTS = 16
REQUESTS_PER_CLIENT = int(os.environ.get("REELCAST_LOAD_REQUESTS_PER_CLIENT", "13"))
MAX_RSS_GROWTH_MB = 100
ENDPOINTS = ["/v1/predict", "/v1/explain", "/v1/coverage"]
SIZES = ["short", "medium", "long", "short", "medium"]  # long scripts are the slow ones: one in five


@pytest.fixture(scope="module")
def scripts() -> dict[str, str]:
    return {"short": SHORT_SCRIPT, "medium": feature_length_text("Night Ferry", seed=11, scenes=30),
            "long": feature_length_text("Long Haul", seed=12, scenes=150)}


def server_process(base_url: str) -> psutil.Process:
    """The child of this test run that listens on the server's port."""
    port = urlparse(base_url).port
    for child in psutil.Process().children(recursive=True):
        try:
            if any(c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in child.net_connections("tcp")):
                return child
        except psutil.Error:
            continue
    raise RuntimeError(f"no child process listens on port {port}")


def send(client: httpx.Client, scripts: dict[str, str], number: int) -> tuple[int, float]:
    """Request `number` of a client's sequence: size, endpoint and body shape all vary with it."""
    text = scripts[SIZES[number % len(SIZES)]]
    path = ENDPOINTS[number % len(ENDPOINTS)]
    started = time.perf_counter()
    if number % 2:
        response = client.post(path, files={"file": ("script.txt", text.encode())}, data={"budget_usd": "30000000"})
    else:
        response = client.post(path, json={"text": text})
    return response.status_code, time.perf_counter() - started


def run_client(base_url: str, scripts: dict[str, str], client_number: int, requests: int) -> list[tuple[int, float]]:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        return [send(client, scripts, client_number * 7 + k) for k in range(requests)]


def run_load(base_url: str, scripts: dict[str, str], clients: int, requests: int) -> list[tuple[int, float]]:
    with ThreadPoolExecutor(clients) as pool:
        results = pool.map(lambda n: run_client(base_url, scripts, n, requests), range(clients))
        return [outcome for client_results in results for outcome in client_results]


def test_sixteen_clients_get_no_errors_and_memory_stays_flat(server, scripts):
    process = server_process(server)
    run_load(server, scripts, clients=2, requests=len(SIZES) * len(ENDPOINTS))  # warm-up: every size × endpoint
    rss_before = process.memory_info().rss

    started = time.perf_counter()
    outcomes = run_load(server, scripts, CLIENTS, REQUESTS_PER_CLIENT)
    elapsed = time.perf_counter() - started
    rss_after = process.memory_info().rss

    statuses = [status for status, _ in outcomes]
    latencies = sorted(seconds for _, seconds in outcomes)
    growth_mb = (rss_after - rss_before) / 2**20
    print(f"\n{len(outcomes)} requests from {CLIENTS} clients in {elapsed:.1f} s; "
          f"median {statistics.median(latencies):.2f} s, p95 {latencies[int(0.95 * len(latencies))]:.2f} s; "
          f"server RSS {rss_before / 2**20:.0f} → {rss_after / 2**20:.0f} MB")
    assert len(outcomes) == CLIENTS * REQUESTS_PER_CLIENT
    assert statuses.count(200) == len(statuses), {status: statuses.count(status) for status in set(statuses)}
    assert growth_mb < MAX_RSS_GROWTH_MB, f"server memory grew {growth_mb:.0f} MB under load"
    assert httpx.get(f"{server}/healthz").json()["status"] == "ok"
