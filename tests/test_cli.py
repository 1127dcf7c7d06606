"""The command line: help, exit status, the exact error lines, the summary, incremental re-runs."""
from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from pipeline import cli as cli_module
from pipeline.cli import cli
from pipeline.runner import RunError, process_paths
from pipeline.store.tables import read_events
from test_runner import FakeExtractor, write_articles

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def test_cli_end_to_end_bad_inputs_exit_1_with_one_line_each_and_the_rest_written(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "fine", "published": "2021-03-01", "text": "The envoy said talks went well."}\n{oops}\n', encoding="utf-8")
    out = tmp_path / "events.csv"
    result = run_cli("run", str(FIXTURES), str(bad), str(tmp_path / "missing.txt"), "--out", str(out), "--workers", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [  # in input order
        f"error: {FIXTURES / 'undated_note.txt'}: no date (no dated header line or dateline; give --published)",
        f"error: {bad}: line 2: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"error: {tmp_path / 'missing.txt'}: no such file or folder",
    ]
    assert "articles: 11 read from 8 file(s), 11 processed, 0 unchanged and skipped" in result.stderr
    assert "failed inputs: 3" in result.stderr
    events = read_events(out)  # written, and a real events table
    assert set(events["doc_id"]) <= {"fine", "brief-1", "brief-2", "desk-1", "desk-2", "dateline_only", "harbor_clash",
                                      "ministry_statement", "wire-1", "wire-2", "wire:4"}


def test_cli_end_to_end_success_and_rerun(tmp_path):
    out = tmp_path / "events.parquet"
    first = run_cli("run", str(FIXTURES), "--out", str(out), "--published", "2021-03-01")
    assert first.returncode == 0, first.stderr
    assert error_lines(first.stderr) == []
    again = run_cli("run", str(FIXTURES), "--out", str(out), "--published", "2021-03-01", "--no-progress")
    assert again.returncode == 0
    assert "articles: 11 read from 7 file(s), 0 processed, 11 unchanged and skipped" in again.stderr


@pytest.fixture
def fake_runs(monkeypatch):
    """The CLI in this process, with the fake extractor."""
    monkeypatch.setattr(cli_module, "process_paths", partial(process_paths, extractor_factory=FakeExtractor))


def test_cli_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli(["--help"])
    assert exit_info.value.code == 0
    assert "python -m pipeline run news/ --out events.csv" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli(["run", "--help"])
    help_text = capsys.readouterr().out
    for option in ("--out", "--published", "--force", "--workers", "--model", "--no-progress", "examples:", "exit status"):
        assert option in help_text


def test_cli_without_a_command_shows_help_and_exits_2(capsys):
    assert cli([]) == 2
    assert "usage: python -m pipeline" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--published", "9 Jan"], "not a date: '9 Jan' (expected YYYY-MM-DD)"),
    (["--workers", "0"], "not a positive whole number: '0'"),
    ([], "the following arguments are required: --out"),
])
def test_cli_bad_options_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        cli(["run", str(FIXTURES / "wire.jsonl"), *(args if not args else args + ["--out", "x.csv"])] if args else ["run", "x.jsonl"])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_unsupported_output_type_is_one_error_line(capsys, tmp_path, fake_runs):
    assert cli(["run", str(FIXTURES / "wire.jsonl"), "--out", str(tmp_path / "events.xlsx")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {tmp_path / 'events.xlsx'}: unsupported output type '.xlsx' (use .csv or .parquet)"
    ]


def test_cli_run_error_is_one_line(capsys, monkeypatch, tmp_path):
    def no_model(*args, **kwargs):
        raise RunError("no spaCy model found (tried nope)")

    monkeypatch.setattr(cli_module, "process_paths", no_model)
    assert cli(["run", str(FIXTURES / "wire.jsonl"), "--out", str(tmp_path / "e.csv"), "--model", "nope"]) == 1
    assert capsys.readouterr().err.splitlines() == ["error: no spaCy model found (tried nope)"]


def test_cli_summary_rerun_and_force(capsys, tmp_path, fake_runs):
    inputs = write_articles(tmp_path, {"a": "The minister said yes.", "b": "The envoy said no. The aide said maybe."})
    out = tmp_path / "events.csv"
    assert cli(["run", str(inputs), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == [
        "articles: 2 read from 1 file(s), 2 processed, 0 unchanged and skipped",
        f"statements: 3 events written to {out}",
        "failed inputs: 0",
    ]
    assert err[3].startswith("elapsed: ") and "articles/s" in err[3] and "events/s" in err[3]
    assert cli(["run", str(inputs), "--out", str(out)]) == 0
    assert "2 read from 1 file(s), 0 processed, 2 unchanged and skipped" in capsys.readouterr().err
    assert cli(["run", str(inputs), "--out", str(out), "--force"]) == 0
    assert "2 processed, 0 unchanged" in capsys.readouterr().err
    assert len(read_events(out)) == 3


def test_cli_nothing_read_leaves_output_unchanged(capsys, tmp_path, fake_runs):
    out = tmp_path / "events.csv"
    assert cli(["run", str(tmp_path / "nope.jsonl"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"nothing read: {out} left unchanged" in err
    assert not out.exists()
