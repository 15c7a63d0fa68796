"""The newswire command given bad arguments: exit status 2, one line `newswire: error: ...` that says what
to do, and nothing stored is created or changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import ROOT

# A source nobody can reach (port 9 is "discard"): even a check that let a command through would not
# touch the network.
SOURCES = """[[sources]]
id = "local"
feeds = ["http://127.0.0.1:9/feed.xml"]
"""
DAY = "2026-09-01"


def newswire(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def one_line_error(proc: subprocess.CompletedProcess, *hints: str) -> str:
    """The command failed with exit status 2 and exactly one stderr line, which holds every hint."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-3000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newswire: error: "), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    for hint in hints:
        assert hint in lines[0], (hint, lines[0])
    return lines[0]


def snapshot(*roots: Path) -> dict[str, tuple]:
    """Every file and folder under roots: kind, size, mtime and content hash."""
    state = {}
    for root in roots:
        for path in [root, *root.rglob("*")] if root.exists() else []:
            st = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
            state[str(path)] = (path.is_dir(), st.st_size, st.st_mtime_ns, digest)
    return state


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder holding a sources file; NEWSWIRE_DB points into it too, so no default path is ever used."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "sources.toml").write_text(SOURCES, "utf-8")
    monkeypatch.setenv("NEWSWIRE_DB", str(folder / "default.duckdb"))
    monkeypatch.setenv("NEWSWIRE_SOURCES", str(folder / "sources.toml"))
    return folder


def fails_cleanly(work: Path, args: list[str], *hints: str, also: tuple[Path, ...] = ()) -> str:
    """Run the command; it must fail with one line holding the hints and leave work (and also) unchanged."""
    before = snapshot(work, *also)
    line = one_line_error(newswire(*args), *hints)
    assert snapshot(work, *also) == before, line
    return line


# --- unknown source id ---------------------------------------------------------------------------------

def test_ingest_unknown_source_id(work):
    fails_cleanly(work, ["ingest", "--sources-file", str(work / "sources.toml"), "--source", "nosuch",
                         "--db", str(work / "wh.duckdb")], "nosuch", "known: local")


def test_backfill_unknown_source_id(work):
    fails_cleanly(work, ["backfill", "--from", DAY, "--to", DAY, "--sources-file", str(work / "sources.toml"),
                         "--source", "nosuch", "--db", str(work / "wh.duckdb")], "nosuch", "known: local")


# --- dates -----------------------------------------------------------------------------------------------

def test_backfill_reversed_dates(work):
    fails_cleanly(work, ["backfill", "--from", "2026-09-02", "--to", "2026-09-01", "--db", str(work / "wh.duckdb")],
                  "2026-09-02 is after", "swap them")


def test_backfill_date_in_the_future(work):
    future = (date.today() + timedelta(days=400)).isoformat()
    fails_cleanly(work, ["backfill", "--from", DAY, "--to", future, "--db", str(work / "wh.duckdb")],
                  f"{future} is in the future", "or earlier")


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-09-31", "yesterday", "01/09/2026", ""])
def test_backfill_malformed_date(work, bad):
    fails_cleanly(work, ["backfill", "--from", bad, "--to", DAY, "--db", str(work / "wh.duckdb")],
                  "--from", "YYYY-MM-DD")


def test_backfill_missing_date(work):
    fails_cleanly(work, ["backfill", "--from", DAY, "--db", str(work / "wh.duckdb")], "--to", "--help")


def test_trends_malformed_date(work):
    fails_cleanly(work, ["trends", "china", "--from", "2026-13-01", "--db", str(work / "wh.duckdb")],
                  "--from", "YYYY-MM-DD")


# --- a database path that does not exist ---------------------------------------------------------------

@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["trends", "china"], ["search", "china"], ["recompute"]],
                         ids=lambda c: c[0])
def test_missing_database(work, command):
    missing = work / "no" / "such.duckdb"
    fails_cleanly(work, [*command, "--db", str(missing)], str(missing), "does not exist", "newswire ingest")
    assert not missing.parent.exists()


def test_trends_is_a_command():
    """The trends cases above assume the command exists."""
    assert "trends" in newswire("--help").stdout


# --- a database path that cannot be written -------------------------------------------------------------

@pytest.fixture
def unwritable_targets(work):
    """(label, --db path) pairs no process may create. chmod 0o555 stops an ordinary user but not root, and CI
    runs the tests as root: there the read-only folder is an immutable one (chattr +i stops root too), when
    the file system allows it. A path whose parent is a regular file and paths under /proc (where nobody
    can create files) are tried in both cases."""
    targets, immutable = [], None
    read_only = work / "read-only"
    read_only.mkdir()
    if os.geteuid() != 0:
        read_only.chmod(0o555)
        targets.append(("read-only folder", read_only / "wh.duckdb"))
    elif subprocess.run(["chattr", "+i", str(read_only)], capture_output=True).returncode == 0:
        immutable = read_only
        targets.append(("immutable folder", read_only / "wh.duckdb"))
    (work / "a-file").write_text("not a folder")
    targets.append(("parent is a file", work / "a-file" / "wh.duckdb"))
    if Path("/proc/self").is_dir():
        targets.append(("under /proc", Path("/proc/newswire.duckdb")))
        targets.append(("new folder under /proc", Path("/proc/newswire/wh.duckdb")))
    try:
        yield targets
    finally:
        if immutable is not None:
            subprocess.run(["chattr", "-i", str(immutable)], check=True)


@pytest.mark.parametrize("command", [
    ["ingest", "--sources-file", "{sources}"],
    ["backfill", "--from", DAY, "--to", DAY, "--sources-file", "{sources}"],
], ids=lambda c: c[0])
def test_unwritable_database_path(work, unwritable_targets, command):
    args = [a.format(sources=work / "sources.toml") for a in command]
    for label, target in unwritable_targets:
        line = fails_cleanly(work, [*args, "--db", str(target)], str(target), "pass --db")
        assert not target.exists(), (label, line)


# --- a corrupt database file ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["ingest", "--sources-file", "{sources}"],
    ["backfill", "--from", DAY, "--to", DAY, "--sources-file", "{sources}"],
    ["sql", "SELECT 1"],
    ["trends", "china"],
    ["search", "china"],
    ["recompute"],
], ids=lambda c: c[0])
def test_corrupt_database(work, command):
    db = work / "broken.duckdb"
    garbage = hashlib.sha256(b"newswire").digest() * 512  # 16 KB that are not a DuckDB file
    db.write_bytes(garbage)
    args = [a.format(sources=work / "sources.toml") for a in command]
    fails_cleanly(work, [*args, "--db", str(db)], str(db), "move the file aside")
    assert db.read_bytes() == garbage
    assert sorted(p.name for p in work.iterdir()) == ["broken.duckdb", "sources.toml"]  # no .wal, no staging/
