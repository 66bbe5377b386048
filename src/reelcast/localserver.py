"""A real server on this machine: a free port, and waiting until the app answers. Used by the
benchmarks and the tests, which both start `uvicorn reelcast.api:create_app --factory` as a user would."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
