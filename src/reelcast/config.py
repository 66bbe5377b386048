"""Where things live. One setting each, read from the environment, overridable per command."""

from __future__ import annotations

import os
from pathlib import Path

# Studios keep the raw data beside the project; the default mirrors that layout.
DEFAULT_DATA_DIR = Path("../shared/data")


def data_dir(override: str | Path | None = None) -> Path:
    """The raw data folder: CLI option, else $REELCAST_DATA, else ../shared/data."""
    return Path(override or os.environ.get("REELCAST_DATA") or DEFAULT_DATA_DIR)


def home_dir(override: str | Path | None = None) -> Path:
    """Where built artifacts (dataset, model, reports) go: $REELCAST_HOME, else ./var."""
    path = Path(override or os.environ.get("REELCAST_HOME") or "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def dataset_dir(home: str | Path | None = None) -> Path:
    return home_dir(home) / "dataset"


def model_dir(home: str | Path | None = None) -> Path:
    return home_dir(home) / "model"
