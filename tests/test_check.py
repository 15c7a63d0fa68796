"""`newswire check [--repair]`: each invariant broken on purpose is reported with its count, and repaired.

The warehouse holds the 47 sample articles (real pages, loaded by the real load). Each test breaks it as
a crash or an old bug did (term rows doubled, a child without its article, a wrong daily count, a day
without its partition row, a load journal left behind) and runs the command itself.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.cli import main
from tests.checksums import checksums, differences
from tests.test_crash_loads import SAMPLES, variants
from tests.conftest import LEXICON
from transforms.extract import EXTRACTOR_VERSION
from transforms.normalise import normalise
from warehouse.db import connect
from warehouse.journal import LoadRun
from warehouse.load import load_batch


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    db = tmp_path_factory.mktemp("check") / "wh.duckdb"
    con = connect(db)
    load_batch(con, normalise(variants(SAMPLES), extractor_version=EXTRACTOR_VERSION, lexicon=LEXICON), LoadRun("run-1", "nightly"))
    con.close()
    return db


@pytest.fixture
def db(pristine, tmp_path):
    copy = tmp_path / "wh.duckdb"
    shutil.copy(pristine, copy)
    return copy


def run(capsys, *args) -> tuple[int, list[str]]:
    status = main(["check", *args])
    return status, capsys.readouterr().out.strip().splitlines()


def sql(db, *statements: str) -> None:
    con = duckdb.connect(str(db))
    for s in statements:
        con.execute(s)
    con.close()


def test_a_healthy_warehouse_passes(db, capsys):
    status, lines = run(capsys, "--db", str(db))
    assert status == 0
    assert lines == [f"warehouse {db}: every invariant holds"]


def test_every_broken_invariant_is_one_line_with_its_count_and_repair_restores_the_warehouse(db, pristine, capsys):
    con = duckdb.connect(str(db))
    terms = con.execute("SELECT count(*) FROM article_terms WHERE article_id IN "
                        "(SELECT article_id FROM articles ORDER BY article_id LIMIT 3)").fetchone()[0]
    day = con.execute("SELECT min(day) FROM ingest_partitions").fetchone()[0]
    on_day = con.execute("SELECT count(*) FROM ingest_partitions WHERE day = ?", [day]).fetchone()[0]
    con.close()
    sql(db,
        # a reload appended three articles' term rows a second time (the bug of issue 12)
        "INSERT INTO article_terms SELECT * FROM article_terms WHERE article_id IN "
        "(SELECT article_id FROM articles ORDER BY article_id LIMIT 3)",
        # rows of an article that was never committed
        "INSERT INTO article_sections (article_id, section_index, heading) VALUES ('ffffffffffffffff', 0, 'x'), "
        "('ffffffffffffffff', 1, 'y')",
        # a daily count gone wrong
        "UPDATE daily_totals SET articles = articles + 1 WHERE day = (SELECT max(day) FROM daily_totals)",
        # a day whose articles were stored by a killed run
        f"DELETE FROM ingest_partitions WHERE day = DATE '{day}'")
    status, lines = run(capsys, "--db", str(db))
    assert status == 1
    assert f"duplicate keys: article_terms: {terms} row(s) repeating a natural key already stored" in lines
    assert "orphans: article_sections: 2 row(s) whose article is not in articles" in lines
    assert "aggregate differs: daily_totals: 2 row(s) differ from their recomputation from the base tables" in lines
    assert any(line.startswith("aggregate differs: daily_term_counts: ") for line in lines)
    assert f"missing partition rows: ingest_partitions: {on_day} (day, source) key(s) hold articles but have " \
           "no partition row" in lines
    assert len(lines) == 6, lines  # five violations and the closing line
    assert checksums(str(db)) != checksums(str(pristine)), "check must change nothing"

    status, lines = run(capsys, "--repair", "--db", str(db))
    assert status == 0, lines
    assert f"repaired duplicate keys: article_terms: {terms} row(s) repeating a natural key already stored" in lines
    assert lines[-1] == f"warehouse {db}: every invariant holds"
    want, got = checksums(str(pristine)), checksums(str(db))
    assert not differences(got, want), differences(got, want)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status, mode, articles > 0 FROM ingest_partitions WHERE day = ?",
                       [day]).fetchall() == [("pending", "repair", True)] * on_day
    con.close()
    assert run(capsys, "--db", str(db))[0] == 0


def test_from_to_narrows_the_aggregates_checked(db, capsys):
    con = duckdb.connect(str(db))
    first, last = con.execute("SELECT min(day), max(day) FROM daily_totals").fetchone()
    con.close()
    sql(db, f"UPDATE daily_totals SET words = words + 1 WHERE day = DATE '{last}'")
    assert run(capsys, "--db", str(db), "--from", str(first), "--to", str(first))[0] == 0
    status, lines = run(capsys, "--db", str(db), "--from", str(last))
    assert status == 1 and lines[0].startswith("aggregate differs: daily_totals: 2 ")


def test_a_load_journal_left_behind_is_reported_and_undone(db, capsys):
    # A load killed before it committed: its journal row is there, and a row of an article it was
    # inserting was recovered (as DuckDB can), without its sections.
    sql(db, "INSERT INTO articles SELECT * REPLACE ('eeeeeeeeeeeeeeee' AS article_id, 'https://x.example/e' AS url) "
            "FROM articles LIMIT 1",
        "INSERT INTO load_journal VALUES ('dead', 'run-2', 'nightly', now(), false, ['eeeeeeeeeeeeeeee'], [], [])")
    status, lines = run(capsys, "--db", str(db))
    assert status == 1
    assert lines[0] == "interrupted loads: load_journal: 1 load(s) killed before they committed; rows DuckDB " \
                       "recovered of them may be stored"
    status, lines = run(capsys, "--repair", "--db", str(db))
    assert status == 0, lines
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles WHERE article_id = 'eeeeeeeeeeeeeeee'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM load_journal").fetchone() == (0,)
    con.close()


def test_a_missing_warehouse_is_one_line(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_recompute_killed_in_its_commit_is_redone(db, pristine, capsys):
    # `newswire recompute` killed while committing: its journal row, and term rows of its refill that
    # DuckDB recovered (terms of another stop-word list: no key repeats, so only a recompute finds them).
    sql(db, "INSERT INTO article_terms SELECT * REPLACE (term || ' other' AS term, 2 AS ngram) FROM article_terms",
        "INSERT INTO load_journal VALUES ('dead', 'local', 'recompute', now(), true, [], [], [])")
    assert run(capsys, "--repair", "--db", str(db))[0] == 0
    want, got = checksums(str(pristine)), checksums(str(db))
    assert not differences(got, want), differences(got, want)
