"""Build, cache and version the joined dataset: raw batches → parsed scripts → matched films → features.

Layout under `<home>/dataset/`:
  batches/<batch>.<key>.json.gz   one cache file per script batch (parsed screenplays, features, rejects);
                                  `key` fingerprints the batch bytes and the parser/feature code, so an
                                  unchanged batch is never re-read and a new batch processes alone
  films.parquet, conflicts.parquet the reconciled film table and every conflict it resolved
  matches.parquet                   every script ↔ film decision with candidates and reasons
  dataset.parquet                   one row per kept script: film facts, parse statistics, features
  quality.json                      counts, reject reasons, duplicates, conflicts
  manifest.json                     version and fingerprint; written last, so a half-built dataset is never read

Every file is written to a temporary name and renamed, so a killed build leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reelcast import config, features, films, lexicons, match, read, screenplay
from reelcast.screenplay import Element, Scene, Screenplay, parse

DATASET_VERSION = "1"
Progress = Callable[[str, int, int], None]  # (stage, done, total)


class DataMissing(FileNotFoundError):
    """The raw data folder or a needed table is missing; the message says where it was looked for."""


# ---------------------------------------------------------------- fingerprints

def _code_fingerprint() -> str:
    """Reader, parser and feature code: a change in any of them invalidates the per-batch caches."""
    digest = hashlib.sha256(DATASET_VERSION.encode())
    for module in (read, screenplay, features, lexicons):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _performance_fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((data_dir / "performance").glob("*")):
        digest.update(path.name.encode())
        digest.update(read.file_sha256(path).encode())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------- atomic I/O

def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a sibling temp file, fsync, rename: readers see the old file or the new one, never half."""
    def write(tmp: Path) -> None:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    _write_then_rename(path, write)


def atomic_write_parquet(path: Path, frame: pd.DataFrame) -> None:
    _write_then_rename(path, lambda tmp: _parquet_safe(frame).to_parquet(tmp, index=False))


def _write_then_rename(path: Path, write: Callable[[Path], None]) -> None:
    """`write(tmp)` then rename over `path`; on failure (a full disk) the partial temp file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns that mix numbers and text (a conflict's kept/lost values) are stored as text."""
    mixed = [c for c in frame.columns if frame[c].dtype == object
             and frame[c].dropna().map(type).nunique() > 1]
    return frame.astype({c: "string" for c in mixed}) if mixed else frame


def atomic_write_json(path: Path, obj) -> None:
    atomic_write_bytes(path, json.dumps(obj, indent=2, default=str).encode())


# ---------------------------------------------------------------- screenplay (de)serialisation

def screenplay_to_dict(sp: Screenplay) -> dict:
    return dataclasses.asdict(sp)


def screenplay_from_dict(d: dict) -> Screenplay:
    scenes = [
        Scene(**{**s, "elements": [Element(**e) for e in s["elements"]]})
        for s in d["scenes"]
    ]
    return Screenplay(**{**d, "scenes": scenes})


# ---------------------------------------------------------------- per-script work

@dataclass
class ScriptRecord:
    """What one raw file became: a parsed script with features, or a reject with its reason."""

    source: str
    title: str
    batch: str
    sha256: str
    bytes: int
    reject_reason: str | None = None
    screenplay: dict | None = None
    features: dict | None = None


def process_raw(raw: read.RawScript) -> ScriptRecord:
    """read → parse → features for one raw file; pure, so it runs in worker processes."""
    record = ScriptRecord(raw.source, raw.title, raw.batch, raw.sha256, len(raw.data))
    text, source_format = read.clean_text(read.decode(raw.data))
    record.reject_reason = read.reject_reason(text)
    if record.reject_reason:
        return record
    sp = parse(text, source_format)
    record.screenplay = screenplay_to_dict(sp)
    record.features = features.featurize(sp)
    return record


def _process_batch(raws: list[read.RawScript], workers: int, progress: Progress | None, stage: str) -> list[ScriptRecord]:
    records: list[ScriptRecord] = []
    if workers <= 1 or len(raws) < 8:
        for i, raw in enumerate(raws, 1):
            records.append(process_raw(raw))
            if progress:
                progress(stage, i, len(raws))
        return records
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, record in enumerate(pool.map(process_raw, raws, chunksize=4), 1):
            records.append(record)
            if progress:
                progress(stage, i, len(raws))
    return records


# ---------------------------------------------------------------- batches and cache

def _batch_cache_path(root: Path, batch: str, key: str) -> Path:
    return root / "batches" / f"{batch}.{key}.json.gz"


def _load_batch(path: Path) -> list[ScriptRecord]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [ScriptRecord(**row) for row in json.load(handle)]


def _save_batch(path: Path, records: list[ScriptRecord]) -> None:
    payload = json.dumps([dataclasses.asdict(r) for r in records]).encode()
    atomic_write_bytes(path, gzip.compress(payload, compresslevel=3))


def _raws_by_batch(scripts_dir: Path, wanted: set[str]) -> dict[str, list[read.RawScript]]:
    grouped: dict[str, list[read.RawScript]] = {name: [] for name in wanted}
    for raw in read.iter_raw_scripts(scripts_dir, sorted(wanted)):
        grouped[raw.batch].append(raw)
    return grouped


def load_records(data_dir: Path, root: Path, workers: int, progress: Progress | None) -> tuple[list[ScriptRecord], dict]:
    """All script records, reading and parsing only batches whose cache is missing or stale."""
    scripts_dir = data_dir / "scripts"
    if not scripts_dir.is_dir():
        raise DataMissing(f"no scripts folder at {scripts_dir}: point --data (or $REELCAST_DATA) at the raw data folder")
    code = _code_fingerprint()
    batches = {name: hashlib.sha256(f"{sha}:{code}".encode()).hexdigest()[:16] for name, sha in read.list_batches(scripts_dir)}
    stale = {name for name, key in batches.items() if not _batch_cache_path(root, name, key).exists()}
    grouped = _raws_by_batch(scripts_dir, stale) if stale else {}
    records: list[ScriptRecord] = []
    for name, key in sorted(batches.items()):
        path = _batch_cache_path(root, name, key)
        if name in stale:
            batch_records = _process_batch(grouped[name], workers, progress, f"parse {name}")
            _save_batch(path, batch_records)
        else:
            batch_records = _load_batch(path)
        records.extend(batch_records)
    _drop_orphan_caches(root, batches)
    cache = {"batches": len(batches), "processed": sorted(stale), "reused": sorted(set(batches) - stale), "code": code}
    return records, cache


def _drop_orphan_caches(root: Path, batches: dict[str, str]) -> None:
    """Caches of batches that changed or left, and temp files of a killed build: never read, so removed."""
    keep = {_batch_cache_path(root, name, key).name for name, key in batches.items()}
    for path in (root / "batches").glob("*.json.gz"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
    for path in (root / "batches").glob(".*.tmp"):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------- duplicates and matching

def choose_versions(records: list[ScriptRecord]) -> tuple[list[ScriptRecord], list[dict]]:
    """One parsed record per normalised title; the others are reported as duplicates with the reason."""
    groups: dict[str, list[ScriptRecord]] = {}
    for record in records:
        if record.screenplay is not None:
            groups.setdefault(match.normalize_title(record.title), []).append(record)
    kept, duplicates = [], []
    for group in groups.values():
        ranked = sorted(group, key=_version_quality, reverse=True)
        kept.append(ranked[0])
        for loser in ranked[1:]:
            duplicates.append({"file": loser.source, "kept": ranked[0].source,
                               "reason": f"same title as {ranked[0].source}, which has more parsed dialogue and scenes"})
    return kept, duplicates


def _version_quality(record: ScriptRecord) -> tuple:
    f = record.features or {}
    return (f.get("speeches", 0) + f.get("scenes", 0), record.bytes)


def year_hint(record: ScriptRecord) -> int | None:
    """The title page's draft date beats a bare year, which may come from "based on the 1981 film"."""
    page = (record.screenplay or {}).get("title_page", {})
    for key in ("draft_date", "year"):
        found = re.search(r"\b(19[0-9]{2}|20[0-3][0-9])\b", str(page.get(key) or ""))
        if found:
            return int(found.group(1))
    return None


# ---------------------------------------------------------------- build

@dataclass
class BuildResult:
    summary: dict
    root: Path


def build(data: str | Path | None = None, home: str | Path | None = None, workers: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Raw data → dataset on disk. Reuses every cached batch; returns the contract's summary."""
    data_dir = config.data_dir(data)
    if not data_dir.is_dir():
        raise DataMissing(f"no data folder at {data_dir.resolve()}: pass --data DIR or set $REELCAST_DATA")
    root = config.dataset_dir(home)
    workers = workers or min(2, os.cpu_count() or 1)
    inputs = _inputs_key(data_dir)
    unchanged = _unchanged_summary(root, inputs)
    if unchanged is not None:
        return BuildResult(unchanged, root)

    records, cache = load_records(data_dir, root, workers, progress)
    kept, duplicates = choose_versions(records)
    film_table = _films_cached(data_dir, root)
    decisions = match.match_scripts([(r.title, year_hint(r), r.screenplay.get("writers", [])) for r in kept], film_table.films, films.script_ids(data_dir))
    table = _joined_table(kept, decisions, film_table.films)
    rejected = [{"file": r.source, "reason": r.reject_reason} for r in records if r.reject_reason]
    rejected += [{"file": d["file"], "reason": d["reason"]} for d in duplicates]

    fingerprint = _dataset_fingerprint(cache["code"], [r.sha256 for r in kept], _performance_fingerprint(data_dir))
    summary = {
        "scripts_seen": len(records),
        "scripts_parsed": sum(r.screenplay is not None for r in records),
        "scripts_rejected": rejected,
        "duplicates": len(duplicates),
        "matched": sum(d.status == "matched" for d in decisions),
        "ambiguous": sum(d.status == "ambiguous" for d in decisions),
        "unmatched": sum(d.status != "matched" for d in decisions),
        "training_rows": len(training_rows(table)) if len(table) else 0,
        "films": len(film_table.films),
        "conflicts": len(film_table.conflicts),
        "batches_processed": cache["processed"],
        "batches_reused": cache["reused"],
        "fingerprint": fingerprint,
        "version": DATASET_VERSION,
    }
    _write_outputs(root, table, kept, decisions, film_table, summary, inputs)
    return BuildResult(summary, root)


def training_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a model learns from: scripts matched to a film with a known budget and gross."""
    known = table["production_budget_usd"].gt(0) & table["worldwide_gross_usd"].gt(0) & table["match_status"].eq("matched")
    return table[known].reset_index(drop=True)


def _inputs_key(data_dir: Path) -> str:
    """Everything a build depends on: batch bytes, tables, and the code of every stage it runs."""
    scripts_dir = data_dir / "scripts"
    batches = read.list_batches(scripts_dir) if scripts_dir.is_dir() else []
    parts = [_code_fingerprint(), _performance_fingerprint(data_dir), *(_code_key(m) for m in (films, match)),
             hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8], json.dumps(batches)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _unchanged_summary(root: Path, inputs: str) -> dict | None:
    """The stored summary when nothing the build reads has changed: a warm rebuild costs a few hashes."""
    try:
        built = json.loads((root / "manifest.json").read_text())
        if built.get("inputs") != inputs:
            return None
        quality = json.loads((root / "quality.json").read_text())
    except (OSError, ValueError):
        return None
    summary = {k: quality[k] for k in SUMMARY_KEYS if k in quality}
    summary["batches_reused"] = summary.get("batches_processed", []) + summary.get("batches_reused", [])
    summary["batches_processed"] = []
    return summary


SUMMARY_KEYS = ["scripts_seen", "scripts_parsed", "scripts_rejected", "duplicates", "matched", "ambiguous",
                "unmatched", "training_rows", "films", "conflicts", "batches_processed", "batches_reused",
                "fingerprint", "version"]


def _films_cached(data_dir: Path, root: Path) -> films.FilmTable:
    key = _performance_fingerprint(data_dir) + _code_key(films)
    films_path, conflicts_path, key_path = root / "films.parquet", root / "conflicts.parquet", root / "films.key"
    if key_path.exists() and key_path.read_text() == key and films_path.exists() and conflicts_path.exists():
        return films.FilmTable(pd.read_parquet(films_path), pd.read_parquet(conflicts_path))
    table = films.build_films(data_dir)
    atomic_write_parquet(films_path, table.films)
    atomic_write_parquet(conflicts_path, table.conflicts)
    atomic_write_bytes(key_path, key.encode())
    return table


def _code_key(module) -> str:
    return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:8]


def _dataset_fingerprint(code: str, script_hashes: Iterable[str], performance: str) -> str:
    digest = hashlib.sha256(f"{DATASET_VERSION}:{code}:{performance}".encode())
    for sha in sorted(script_hashes):
        digest.update(sha.encode())
    return digest.hexdigest()[:16]


FILM_COLUMNS = ["film_id", "title", "year", "release_date", "production_budget_usd", "domestic_gross_usd",
                "worldwide_gross_usd", "mpaa", "genres", "runtime_min", "imdb_score", "imdb_votes", "rotten_tomatoes"]


def _joined_table(kept: list[ScriptRecord], decisions: list[match.MatchDecision], film_frame: pd.DataFrame) -> pd.DataFrame:
    by_id = film_frame.set_index("film_id")
    rows = []
    for record, decision in zip(kept, decisions):
        row = {"source": record.source, "script_title": record.title, "sha256": record.sha256,
               "batch": record.batch, "match_status": decision.status, "match_score": decision.score,
               "imsdb_genres": "|".join((record.screenplay or {}).get("genres", [])),
               "writers": "|".join((record.screenplay or {}).get("writers", []))}
        if decision.status == "matched" and decision.film_id in by_id.index:
            film = by_id.loc[decision.film_id]
            row.update({"film_id": decision.film_id, **{c: film[c] for c in FILM_COLUMNS[1:] if c in film.index}})
        row.update({f"f_{k}": v for k, v in (record.features or {}).items()})
        rows.append(row)
    return pd.DataFrame(rows)


def _write_outputs(root: Path, table: pd.DataFrame, kept: list[ScriptRecord], decisions, film_table, summary: dict,
                   inputs: str) -> None:
    atomic_write_parquet(root / "dataset.parquet", table)
    atomic_write_parquet(root / "matches.parquet", pd.DataFrame([
        {**dataclasses.asdict(d), "candidates": json.dumps(d.candidates, default=str)} for d in decisions]))
    screenplays = {r.source: r.screenplay for r in kept}
    atomic_write_bytes(root / "screenplays.json.gz", gzip.compress(json.dumps(screenplays).encode(), compresslevel=3))
    quality = {**summary, "reject_reasons": _count_reasons(summary["scripts_rejected"]),
               "conflicts_by_field": film_table.conflicts["field"].value_counts().to_dict() if len(film_table.conflicts) else {}}
    atomic_write_json(root / "quality.json", quality)
    atomic_write_json(root / "manifest.json", {"version": DATASET_VERSION, "fingerprint": summary["fingerprint"],
                                               "inputs": inputs})


def _count_reasons(rejected: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in rejected:
        key = item["reason"].split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    return counts


# ---------------------------------------------------------------- readers for later stages

def manifest(home: str | Path | None = None) -> dict | None:
    path = config.dataset_dir(home) / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def load_table(home: str | Path | None = None) -> pd.DataFrame:
    root = config.dataset_dir(home)
    if manifest(home) is None:
        raise DataMissing(f"no dataset at {root}: run `reelcast build` first")
    return pd.read_parquet(root / "dataset.parquet")


def load_screenplays(home: str | Path | None = None) -> dict[str, Screenplay]:
    path = config.dataset_dir(home) / "screenplays.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {source: screenplay_from_dict(d) for source, d in json.load(handle).items()}
