"""Shared fixtures: a tiny trained model home, a real uvicorn server on 127.0.0.1, a headless Chromium.

The HTTP and browser tests talk to a real server process over a real socket, running the real app
(`reelcast.api:create_app`) on a real model that `fixtures_model.make_trained_home` trains once per
session from made-up data.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reelcast.localserver import free_port, running, uvicorn_command

TESTS_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The servers under test take small uploads so the size-limit tests stay fast.
TEST_UPLOAD_LIMIT_MB = 1

# A short screenplay written for these tests (never text from the real corpus).
SHORT_SCRIPT = """\
TITLE: Tide Table
Author: Test Writer

INT. HARBOR OFFICE - NIGHT

Rain on the windows. NELL (40s), harbormaster, pores over a tide chart.

NELL
The nine o'clock ferry never came in.

OWEN (60s) shakes water off his coat.

OWEN
Then where is it?

EXT. BREAKWATER - CONTINUOUS

Nell runs along the wall, flashlight cutting the spray.

NELL
(shouting)
Owen! The lamp's out!

INT. LIGHTHOUSE - LAMP ROOM - NIGHT

Owen hauls on the winch. The great lens turns. Light sweeps the sea.

OWEN
There. Now they'll see us.

EXT. HARBOR - DAY

The ferry noses into the dock. Nell lets out a breath.

NELL
Next time, you check the lamp.
"""

# --- servers ------------------------------------------------------------------------------------------


def app_server(home: Path, log_path: Path):
    """The real app under uvicorn on a free local port, with the test servers' upload limit."""
    port = free_port()
    env = {**os.environ, "REELCAST_HOME": str(home), "REELCAST_MAX_UPLOAD_MB": str(TEST_UPLOAD_LIMIT_MB)}
    return running(uvicorn_command(port), port, env, log_path)


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory) -> Path:
    """A model home with a dataset and a model trained from made-up data (a few seconds, once a session)."""
    from fixtures_model import make_trained_home

    return make_trained_home(tmp_path_factory.mktemp("trained"))


@pytest.fixture(scope="session")
def server(trained_home, tmp_path_factory):
    """Base URL of a real server running the real app on the trained home."""
    with app_server(trained_home, tmp_path_factory.mktemp("logs") / "server.log") as (_, base_url):
        yield base_url


@pytest.fixture(scope="session")
def server_without_model(tmp_path_factory):
    """Base URL of the real app started on an empty home: no model, so it must run degraded."""
    home = tmp_path_factory.mktemp("empty-home")
    with app_server(home, home / "server.log") as (_, base_url):
        yield base_url


@pytest.fixture
def script_text() -> str:
    return SHORT_SCRIPT


@pytest.fixture
def script_file(tmp_path) -> Path:
    path = tmp_path / "tide-table.fountain"
    path.write_text(SHORT_SCRIPT)
    return path


# --- browser --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh 1366×768 tab; its screenshot goes to test-artifacts/ when the test fails."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        artifacts = TESTS_DIR.parent / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        tab.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- a test double for failures of the service itself (the app's error handler and time limit) ---------


class SlowOrBrokenService:
    """TEST DOUBLE: a service whose predict fails with a bug, at once or after `delay_s` seconds."""

    model_version = "double"
    delay_s = 0.0

    @classmethod
    def load(cls, home=None):
        return cls()

    def predict(self, screenplay, budget_usd=None):
        if not self.delay_s:
            raise RuntimeError("secret internals at /srv/model.bin")
        time.sleep(self.delay_s)
        raise RuntimeError("done waiting")


class PidService:
    """TEST DOUBLE: a service whose predict takes `REELCAST_TEST_DELAY_S` seconds and names its process.

    Read from the environment, not class attributes: worker processes are spawned and only inherit the
    environment. The first predict ever (`REELCAST_TEST_CRASH_MARKER` names a file that does not exist
    yet) kills its worker process outright, as an out-of-memory kill would."""

    model_version = "pid-double"

    @classmethod
    def load(cls, home=None):
        return cls()

    def predict(self, screenplay, budget_usd=None):
        marker = os.environ.get("REELCAST_TEST_CRASH_MARKER")
        if marker and not Path(marker).exists():
            Path(marker).touch()
            os._exit(3)
        time.sleep(float(os.environ.get("REELCAST_TEST_DELAY_S", "0")))
        interval = {"estimate": 1e6, "low": 5e5, "high": 2e6, "level": 0.8}
        return {"model_version": self.model_version, "worldwide_gross_usd": interval, "production_budget_usd": interval,
                "p_break_even": 0.5, "budget_used_usd": 1e6, "budget_source": "estimated from the script",
                "budget_tier": "micro (under $5M)", "pid": os.getpid(), "scenes": len(screenplay.scenes)}
