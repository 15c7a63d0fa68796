"""The newswire command as a user runs it: bad input gives one clear line and changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def newswire(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newswire: error: "), proc.stderr
    return lines[0]


def test_missing_sources_file(tmp_path):
    line = one_line_error(newswire("ingest", "--sources-file", str(tmp_path / "nope.toml"), "--db", str(tmp_path / "x.duckdb")))
    assert "nope.toml not found" in line


@pytest.mark.parametrize("text, expected", [
    ("[[sources]\nid = 1", "not valid TOML"),
    ("title = 'no sources'", "no [[sources]] entries"),
    ('[[sources]]\nid = "a"\n', "nothing to crawl"),
    ('[[sources]]\nid = "a"\nfeeds = ["ftp://x/feed"]\n', "not an absolute http(s) URL"),
    ('[[sources]]\nid = "Bad Id"\nfeeds = ["https://x.org/f"]\n', "id must be"),
])
def test_malformed_sources_file(tmp_path, text, expected):
    path = tmp_path / "s.toml"
    path.write_text(text)
    line = one_line_error(newswire("ingest", "--sources-file", str(path), "--db", str(tmp_path / "x.duckdb")))
    assert str(path) in line and expected in line


def test_unknown_source_id(tmp_path):
    line = one_line_error(newswire("ingest", "--sources-file", str(ROOT / "seeds" / "sources.toml"),
                                   "--source", "nosuch", "--db", str(tmp_path / "x.duckdb")))
    assert "unknown source id(s) nosuch" in line and "bbc-urdu" in line


def test_corrupt_warehouse_is_reported_and_left_alone(tmp_path):
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 100)
    line = one_line_error(newswire("ingest", "--demo", "--db", str(db)))
    assert str(db) in line and "move the file aside" in line
    assert db.read_bytes() == b"this is not a duckdb file" * 100


def test_sql_on_missing_warehouse(tmp_path):
    line = one_line_error(newswire("sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")))
    assert "does not exist" in line


def test_quick_start_demo_ingest_then_sql(tmp_path):
    """The README's first command, in a fresh process with its own Prefect home."""
    db = tmp_path / "demo.duckdb"
    env = {"PREFECT_HOME": str(tmp_path / "prefect"), "NEWSWIRE_DB": str(db)}
    proc = newswire("ingest", "--demo", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "new, 0 updated" in proc.stdout and "failures: 0" in proc.stdout
    assert str(db) in proc.stdout
    out = newswire("sql", "SELECT count(*) AS n, count(DISTINCT language) AS langs FROM articles", env=env)
    assert out.returncode == 0, out.stderr
    assert "langs" in out.stdout
    # Quiet by default: no Prefect INFO lines (they come with -v), no bytecode compilation line.
    assert " | INFO " not in proc.stderr and "Bytecode compiled" not in proc.stderr, proc.stderr[-3000:]
    # A manual run: recorded as such, and it claims no day as covered (its days are pending).
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    modes = con.execute("SELECT DISTINCT mode, status FROM ingest_partitions").fetchall()
    con.close()
    assert modes == [("manual", "pending")], modes
    status = newswire("status", "--days", "3", env=env)
    assert status.returncode == 0, status.stderr
    assert "manual" in status.stdout and "no partition completed" in status.stdout and "sample" in status.stdout


@pytest.mark.parametrize("command", ["ingest", "extract", "sql", "trends", "search", "recompute", "check",
                                     "backfill", "serve", "status", "warehouse"])
def test_every_help_shows_an_example(command):
    out = newswire(command, "--help")
    assert out.returncode == 0 and "example:\n  uv run newswire " + command in out.stdout, out.stdout


def test_the_progress_line_says_what_was_done_and_what_is_left():
    from flows.cli.progress import render

    line = render({"discovered": 120, "fetched": 30, "planned": 90, "extracted": 28, "loaded": 20,
                   "failures": {"transient": 2, "hard": 1}}, elapsed=10.0).plain
    assert line == ("discovered 120  fetched 30/90  extracted 28  loaded 20  failures hard 1, transient 2  "
                    "3.0 pages/s  0:00:20 left")
    line = render({"partitions_done": 2, "partitions_total": 8, "fetched": 10}, elapsed=20.0).plain
    assert line.startswith("partitions 2/8") and line.endswith("0:01:00 left")
