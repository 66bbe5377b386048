"""A real server on this machine: a free port, starting a command that serves on it, waiting until the
app answers, and stopping it. Used by the benchmarks and the tests, which run the app as a user would
(`uvicorn reelcast.api:create_app --factory`, `reelcast serve`)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uvicorn_command(port: int, *options: str, app: str = "reelcast.api:create_app") -> list[str]:
    """The app under uvicorn on 127.0.0.1:`port`, as `make demo`'s server runs it."""
    return [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1", "--port", str(port), *options]


@contextmanager
def running(command: list[str], port: int, env: dict[str, str], log_path: Path, timeout_s: float = 60,
            need_model: bool = False) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start `command` (a server on `port`), its output in `log_path`; yield (process, base URL) once it
    answers; stop it on the way out."""
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log_path, timeout_s, need_model)
        yield process, base_url
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (uvicorn shuts down gracefully, and with it the model processes), SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_up(base_url: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 60,
                  need_model: bool = False) -> None:
    """Return once `/healthz` answers (with `need_model`: once it reports a loaded model); raise with the
    server's log if it exits or stays silent for `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if not need_model or json.load(response).get("status") == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /healthz within {timeout_s} s:\n{log_path.read_text()[-3000:]}")
