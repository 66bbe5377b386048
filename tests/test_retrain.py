"""A new script batch is learned by one command: `reelcast train` (what `make demo` runs with --if-stale)."""

import tarfile

from typer.testing import CliRunner

from fixtures_model import PRIOR_ONLY_FILMS, _add_member, screenplay_text, write_raw_data
from reelcast import cli, model


def run_train(data, home, *flags):
    result = CliRunner().invoke(cli.app, ["train", "--data", str(data), "--home", str(home), *flags])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def add_batch(data, name: str, films) -> None:
    """Screenplays for films the tables already know (budget and gross), as a later IMSDb batch."""
    with tarfile.open(data / "scripts" / name, "w:xz") as archive:
        for seed, (title, year, _, _) in enumerate(films, start=100):
            _add_member(archive, f"scripts/{title}.txt", screenplay_text(title, year, "Drama", seed).encode())


def test_a_new_batch_is_learned_by_one_command_and_only_then(tmp_path):
    data, home = write_raw_data(tmp_path / "data"), tmp_path / "home"

    first = run_train(data, home)
    assert "dataset updated from batch-001.tar.xz" in first
    _, before = model.load(home)

    assert "up to date" in run_train(data, home, "--if-stale")

    add_batch(data, "batch-002.tar.xz", PRIOR_ONLY_FILMS[:3])
    second = run_train(data, home, "--if-stale")
    assert "dataset updated from batch-002.tar.xz" in second  # only the new batch was parsed
    _, after = model.load(home)
    assert after["training_rows"] == before["training_rows"] + 3
    assert after["model_version"] != before["model_version"]
    assert after["model_version"] in second

    assert "up to date" in run_train(data, home, "--if-stale")


def test_train_without_the_data_folder_says_where_to_point_it(tmp_path):
    result = CliRunner().invoke(cli.app, ["train", "--data", str(tmp_path / "nowhere"), "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "no data folder" in result.stderr and "--data" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_model_made_by_other_training_code_is_retrained(tmp_path, monkeypatch):
    """The dataset fingerprint does not cover the training recipe (model.py): the model records its own."""
    data, home = write_raw_data(tmp_path / "data"), tmp_path / "home"
    run_train(data, home)
    assert not model.is_stale(home)

    monkeypatch.setattr(model, "training_code_fingerprint", lambda: "0123456789abcdef")
    assert model.is_stale(home)
    output = run_train(data, home, "--if-stale")
    assert "up to date" not in output and "trained" in output
    assert model.load(home)[1]["training_code"] == "0123456789abcdef"
    assert "up to date" in run_train(data, home, "--if-stale")
