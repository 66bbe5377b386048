"""`reelcast` command line: thin typer commands over the same functions the web app uses."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Screenplay in, box-office forecast, explanation and coverage report out.")

DataOption = typer.Option(None, "--data", help="raw data folder (default $REELCAST_DATA or ../shared/data)")
HomeOption = typer.Option(None, "--home", help="where artifacts live (default $REELCAST_HOME or ./var)")
BudgetOption = typer.Option(None, "--budget", help="planned production budget in US dollars")

# pypdf logs each repair it tries on a broken PDF ('invalid pdf header', 'EOF marker not found');
# the command says once, in the reader's words, what is wrong with the file and what to send instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


# Each command offers only the formats it writes, so typer refuses any other with the valid choices.
class PredictFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


class ExplainFormat(str, Enum):
    json = "json"
    text = "text"


class CoverageFormat(str, Enum):
    json = "json"
    text = "text"
    html = "html"


def fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def check_budget(budget: float | None) -> float | None:
    if budget is not None and not (budget > 0 and budget < 1e10):
        fail("--budget must be a positive number of US dollars below 10 billion, e.g. --budget 25000000")
    return budget


@app.command()
def build(data: Optional[Path] = DataOption, home: Optional[Path] = HomeOption,
          as_json: bool = typer.Option(False, "--json", help="print the summary as one JSON object"),
          workers: int = typer.Option(0, help="parallel parser processes (0: one per core)")) -> None:
    """Raw performance tables + script batches → the matched, parsed, featurized dataset."""
    result = _build_dataset(data, home, workers, show_progress=not as_json)
    summary = result.summary
    if as_json:
        print(json.dumps(summary, default=str))
        return
    typer.echo(f"scripts seen {summary['scripts_seen']}, parsed {summary['scripts_parsed']}, "
               f"rejected {len(summary['scripts_rejected'])}; matched {summary['matched']}, "
               f"unmatched {summary['unmatched']}; training rows {summary['training_rows']}")
    typer.echo(f"batches processed {summary['batches_processed'] or 'none'}, reused {len(summary['batches_reused'])}; "
               f"dataset at {result.root}")


def _build_dataset(data: Optional[Path], home: Optional[Path], workers: int = 0, show_progress: bool = True):
    """`dataset.build` with a progress bar on stderr; every failure becomes one line and exit code 2."""
    from rich.progress import Progress

    from reelcast import dataset
    try:
        with Progress(transient=True, disable=not show_progress, console=_stderr_console()) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done)

            return dataset.build(data, home, workers or None, progress)
    except FileNotFoundError as exc:  # DataMissing, or a performance table the films stage needs
        fail(str(exc))
    except OSError as exc:  # a full disk or a read-only home: every file written so far is whole
        fail(f"could not read or write {exc.filename or 'a dataset file'}: {exc.strerror or exc} — "
             "free disk space or fix the permissions, then run `reelcast build` again (finished batches are kept)")


def _stderr_console():
    from rich.console import Console
    return Console(stderr=True)


@app.command()
def train(data: Optional[Path] = DataOption, home: Optional[Path] = HomeOption,
          if_stale: bool = typer.Option(False, "--if-stale",
                                        help="do nothing when the model learned from this data with this training code")
          ) -> None:
    """Raw data → dataset → model artifact (versioned; records the dataset and the training code it came from).

    The dataset is brought up to date first, parsing only new batches: one command learns a new batch."""
    from reelcast import model
    summary = _build_dataset(data, home).summary
    if summary["batches_processed"]:
        typer.echo(f"dataset updated from {', '.join(summary['batches_processed'])}: "
                   f"{summary['training_rows']} scripts with a known budget and gross")
    if if_stale and not model.is_stale(home):
        typer.echo("model is up to date with the dataset and the training code; nothing to do")
        return
    try:
        info = model.train(home)
    except (model.ModelMissing, FileNotFoundError) as exc:
        fail(str(exc))
    typer.echo(f"trained {info['model_version']} on {info['training_rows']} scripts "
               f"(film prior on {info['prior_rows']} films)")


@app.command()
def evaluate(home: Optional[Path] = HomeOption,
             repeats: int = typer.Option(3, help="repetitions of 5-fold cross-validation"),
             out: Path = typer.Option(Path("docs/model_card.md"), help="model card to write")) -> None:
    """Repeated cross-validation of every candidate and baseline → the model card."""
    from reelcast import evaluate as evaluation
    try:
        card = evaluation.run(home, repeats=repeats, out=out)
    except FileNotFoundError as exc:
        fail(str(exc))
    typer.echo(card["summary"])
    typer.echo(f"model card written to {out}")


@app.command()
def report(home: Optional[Path] = HomeOption,
           out: Optional[Path] = typer.Option(None, "--out", help="HTML file (default <home>/report/report.html)")) -> None:
    """The analysis report: what in a script goes with box-office performance (self-contained HTML)."""
    from reelcast import report as analysis
    try:
        path = analysis.write_report(home, out)
    except FileNotFoundError as exc:
        fail(str(exc))
    typer.echo(f"report written to {path}")


def _load_service(home: Path | None):
    from reelcast.service import ModelMissing, Service
    try:
        return Service.load(home)
    except ModelMissing as exc:
        fail(str(exc))


def _read_file(path: Path):
    from reelcast import read
    try:
        return read.read_document(path.name, path.read_bytes())
    except FileNotFoundError:
        raise read.UnreadableScript(f"{path}: no such file")
    except IsADirectoryError:
        raise read.UnreadableScript(f"{path} is a folder: use `reelcast score DIR` for folders")


@app.command()
def predict(files: list[Path] = typer.Argument(..., help="scripts: .txt, .pdf, .fdx or .fountain"),
            budget: Optional[float] = BudgetOption, home: Optional[Path] = HomeOption,
            format: PredictFormat = typer.Option(PredictFormat.json, "--format", help="json or jsonl")) -> None:
    """Forecast worldwide gross, budget and break-even for each script (model loaded once)."""
    from reelcast.read import UnreadableScript
    check_budget(budget)
    service = _load_service(home)
    failures = 0
    results = []
    for path in files:
        try:
            result = {"file": str(path), **service.predict(_read_file(path), budget)}
        except UnreadableScript as exc:
            failures += 1
            result = {"file": str(path), "error": str(exc)}
        results.append(result)
        if format == PredictFormat.jsonl:
            print(json.dumps(result), flush=True)
    if format != PredictFormat.jsonl:
        body = results[0] if len(results) == 1 else results
        if len(results) == 1 and "error" in body:
            fail(body["error"])
        if len(results) == 1:
            body = {k: v for k, v in body.items() if k != "file"}
        print(json.dumps(body, indent=2))
    if failures:
        raise typer.Exit(1)


@app.command()
def explain(file: Path = typer.Argument(..., help="a script: .txt, .pdf, .fdx or .fountain"),
            budget: Optional[float] = BudgetOption, home: Optional[Path] = HomeOption,
            format: ExplainFormat = typer.Option(ExplainFormat.text, "--format", help="json or text")) -> None:
    """Why this forecast: drivers, comparable titles and evidence from the script."""
    from reelcast import explain as explanation
    from reelcast.read import UnreadableScript
    check_budget(budget)
    service = _load_service(home)
    try:
        result = service.explain(_read_file(file), budget)
    except UnreadableScript as exc:
        fail(str(exc))
    print(json.dumps(result, indent=2) if format == ExplainFormat.json else explanation.render_text(result))


@app.command()
def coverage(files: list[Path] = typer.Argument(..., help="scripts: .txt, .pdf, .fdx or .fountain"),
             budget: Optional[float] = BudgetOption, home: Optional[Path] = HomeOption,
             format: CoverageFormat = typer.Option(CoverageFormat.json, "--format",
                                                   help="json; text, to read at a terminal; or html, the web page's report as one file"),
             out: Optional[Path] = typer.Option(None, "--out", help="file to write, or with several scripts a folder "
                                                               "(default: standard output, one script only)")) -> None:
    """The coverage report, as JSON or as a page that opens in any browser without the server.

    Several scripts (a reading stack) load the model once and write one report each into the --out
    folder, named after the script; a script that cannot be read is reported and the others go on."""
    from reelcast.read import UnreadableScript
    folder = out is not None and (len(files) > 1 or out.is_dir())
    if len(files) > 1 and out is None:
        fail("several scripts need --out FOLDER: one report is written there for each")
    check_budget(budget)
    service = _load_service(home)
    failures = 0
    for path in files:
        try:
            text = _coverage_text(service.coverage(_read_file(path), budget), format)
        except UnreadableScript as exc:
            if len(files) == 1:
                fail(str(exc))
            failures += 1
            typer.echo(f"{path}: {exc}", err=True)
            continue
        suffix = "txt" if format == CoverageFormat.text else format.value
        _write_report(text, (out / f"{path.stem}-coverage.{suffix}") if folder else out)
    if failures:
        raise typer.Exit(1)


def _coverage_text(report: dict, format: CoverageFormat) -> str:
    from reelcast.coverage_text import render_text
    from reelcast.webpage import standalone_report
    if format == CoverageFormat.json:
        return json.dumps(report, indent=2) + "\n"
    return render_text(report) if format == CoverageFormat.text else standalone_report(report)


def _write_report(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror}")
    typer.echo(f"wrote {target}")


@app.command()
def score(folder: Path = typer.Argument(..., help="a folder of scripts"),
          out: Path = typer.Option(..., "--out", help="JSON Lines file to write"),
          home: Optional[Path] = HomeOption,
          workers: int = typer.Option(0, help="local worker processes (0: one per core)"),
          scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address to scale out")) -> None:
    """Batch scoring of a folder of scripts, locally or on a Dask cluster."""
    from reelcast import batch
    from reelcast.model import ModelMissing
    if not folder.is_dir():
        fail(f"{folder} is not a folder of scripts")
    try:
        count = batch.score_folder(folder, out, home=home, workers=workers or None, scheduler=scheduler)
    except ModelMissing as exc:
        fail(str(exc))
    typer.echo(f"scored {count} files → {out}")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="interface to bind (default: this machine only)"),
          port: int = typer.Option(8000, help="TCP port"), home: Optional[Path] = HomeOption,
          workers: int = typer.Option(0, help="model processes, each ~300 MB (0: $REELCAST_WORKERS, else one per core)")) -> None:
    """Serve the coverage page and the HTTP API."""
    from reelcast import api
    api.serve(host=host, port=port, home=home, workers=workers or None)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
