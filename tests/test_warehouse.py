"""Warehouse on real DuckDB files: migrations, idempotent loads, fetch log, open errors, ad-hoc SQL."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import LEXICON
from transforms.article import Article, Category, RelatedLink, Section
from transforms.normalise import normalise
from warehouse.db import connect
from warehouse.errors import MigrationError, QueryError, WarehouseCorrupt, WarehouseLocked, WarehouseMissing
from warehouse.load import FETCH_LOG_SCHEMA, LoadReport, load_batch, record_fetches
from warehouse.migrate import apply_migrations, schema_dir
from warehouse.query import format_table, run_sql

TABLES = ("schema_migrations", "articles", "article_sections", "article_categories",
          "article_links", "fetch_log", "article_versions", "entities", "entity_mentions",
          "article_terms", "daily_totals", "daily_entity_counts", "daily_entity_pairs",
          "daily_term_counts", "lexicon_state")
SCHEMA_FILES = sorted(entry.name for entry in schema_dir().iterdir() if entry.name.endswith(".sql"))
PKT = timezone(timedelta(hours=5))


def make_article(n: int, *, body: str = "Body text", sections: int = 2, categories: int = 2,
                 links: int = 1) -> Article:
    return Article(
        url=f"https://news.example.pk/story/{n}",
        title=f"Story {n}",
        headline=f"Story {n}\u00a0headline",
        source_id="example-pk",
        categories=tuple(Category(f"زمرہ {i}", f"https://news.example.pk/category/c{i}/")
                         for i in range(categories)),
        sections=tuple(Section(f"{i + 1}. Part", (f"{body} {n}.{i}", "Second\u00a0 \u00a0paragraph."))
                       for i in range(sections)),
        related=tuple(RelatedLink(f"Related {i}", f"https://news.example.pk/story/r{i}")
                      for i in range(links)),
        published_at=datetime(2024, 3, 1, 4, 0, tzinfo=PKT),
        authors=("A. Writer",),
        language="en",
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "news.duckdb"  # parent folder does not exist yet


@pytest.fixture
def con(db_path):
    connection = connect(db_path)
    yield connection
    connection.close()


def snapshot(con) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


# --- migrations ---------------------------------------------------------------------------

def test_migrations_applied_once_and_recorded(db_path, con):
    rows = con.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY version").fetchall()
    assert [name for _, name, _ in rows] == SCHEMA_FILES
    assert [version for version, _, _ in rows] == [int(re.match(r"\d+", n).group()) for n in SCHEMA_FILES]
    assert all(len(checksum) == 64 for _, _, checksum in rows)
    assert apply_migrations(con) == []
    con.close()
    again = connect(db_path)
    assert count(again, "SELECT count(*) FROM schema_migrations") == len(SCHEMA_FILES)
    again.close()


def test_changed_checksum_is_refused(tmp_path, con):
    schema = tmp_path / "schema"
    shutil.copytree(Path(str(schema_dir())), schema)
    assert apply_migrations(con, schema) == []  # same files: nothing pending
    (schema / "007_extra.sql").write_text("CREATE TABLE extra (x INTEGER);")
    edited = schema / "002_articles.sql"
    edited.write_text(edited.read_text() + "\n-- edited after being applied\n")
    with pytest.raises(MigrationError, match="002_articles.sql"):
        apply_migrations(con, schema)
    assert count(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'extra'") == 0


def test_new_file_is_applied_in_its_own_step(tmp_path, con):
    schema = tmp_path / "schema"
    shutil.copytree(Path(str(schema_dir())), schema)
    (schema / "007_extra.sql").write_text("CREATE TABLE extra (x INTEGER);")
    assert apply_migrations(con, schema) == ["007_extra.sql"]
    assert apply_migrations(con, schema) == []


# --- loads --------------------------------------------------------------------------------

def test_loading_twice_changes_nothing(con):
    batch = normalise([make_article(n) for n in range(3)], extractor_version="t1", lexicon=LEXICON)
    assert load_batch(con, batch) == LoadReport(inserted=3, updated=0, unchanged=0)
    before = snapshot(con)
    assert load_batch(con, batch) == LoadReport(inserted=0, updated=0, unchanged=3)
    assert snapshot(con) == before
    assert len(before["articles"]) == 3
    assert len(before["article_sections"]) == 6
    assert len(before["article_categories"]) == 6
    assert len(before["article_links"]) == 3


def test_edited_article_is_updated_and_children_replaced(con):
    load_batch(con, normalise([make_article(n) for n in range(3)], extractor_version="t1", lexicon=LEXICON))
    edited = make_article(1, body="Corrected text", sections=1, categories=1, links=0)
    aid = normalise([edited], extractor_version="t2", lexicon=LEXICON).articles["article_id"][0]
    first_seen = con.execute("SELECT first_seen_at FROM articles WHERE article_id = ?", [aid]).fetchone()[0]
    others = "SELECT * FROM {} WHERE article_id <> $aid ORDER BY ALL"
    children = ("article_sections", "article_categories", "article_links")
    untouched = {t: con.execute(others.format(t), {"aid": aid}).fetchall() for t in children}

    report = load_batch(con, normalise([make_article(0), edited, make_article(2)], extractor_version="t2", lexicon=LEXICON))
    assert report == LoadReport(inserted=0, updated=1, unchanged=2)

    assert count(con, "SELECT count(*) FROM articles") == 3
    assert count(con, "SELECT count(DISTINCT article_id) FROM articles") == 3
    version, seen, loaded = con.execute(
        "SELECT extractor_version, first_seen_at, last_loaded_at FROM articles WHERE article_id = ?", [aid]
    ).fetchone()
    assert version == "t2" and seen == first_seen and loaded >= seen
    sections = con.execute("SELECT section_index, paragraphs[1] FROM article_sections "
                           "WHERE article_id = ? ORDER BY 1", [aid]).fetchall()
    assert sections == [(0, "Corrected text 1.0")]
    assert count(con, f"SELECT count(*) FROM article_categories WHERE article_id = '{aid}'") == 1
    assert count(con, f"SELECT count(*) FROM article_links WHERE article_id = '{aid}'") == 0
    assert {t: con.execute(others.format(t), {"aid": aid}).fetchall() for t in children} == untouched
    # The unchanged articles were not re-written: they keep the old extractor_version.
    assert count(con, "SELECT count(*) FROM articles WHERE extractor_version = 't1'") == 2
    # The replaced version is kept, once.
    old_hash = normalise([make_article(1)], extractor_version="t1", lexicon=LEXICON).articles["content_hash"][0]
    assert con.execute("SELECT article_id, content_hash, extractor_version FROM article_versions").fetchall() == [
        (aid, old_hash, "t1")]
    assert load_batch(con, normalise([edited], extractor_version="t2", lexicon=LEXICON)).unchanged == 1
    assert count(con, "SELECT count(*) FROM article_versions") == 1


def test_daily_aggregates_follow_the_articles(con):
    china = [make_article(n, body="China and Beijing") for n in range(3)]
    load_batch(con, normalise(china, extractor_version="t1", lexicon=LEXICON))
    day = str(normalise(china[:1], extractor_version="t1", lexicon=LEXICON).articles["published_day"][0])
    assert con.execute("SELECT day::VARCHAR, source_id, articles FROM daily_totals").fetchall() == [
        (day, "example-pk", 3)]
    assert con.execute("SELECT entity_id, articles, mentions FROM daily_entity_counts").fetchall() == [
        ("china", 3, 12)]  # 2 sections x 2 aliases, in 3 articles
    # Moving one article to another day moves its counts: both days are recomputed.
    moved = dataclasses.replace(make_article(0, body="China and Beijing"),
                                published_at=datetime(2024, 3, 9, 12, 0, tzinfo=timezone.utc))
    assert load_batch(con, normalise([moved], extractor_version="t2", lexicon=LEXICON)).updated == 1
    assert con.execute("SELECT day::VARCHAR, articles FROM daily_totals ORDER BY 1").fetchall() == [
        (day, 2), ("2024-03-09", 1)]
    assert con.execute("SELECT day::VARCHAR, articles FROM daily_entity_counts ORDER BY 1").fetchall() == [
        (day, 2), ("2024-03-09", 1)]


def test_entities_and_lexicon_are_installed_once(con):
    load_batch(con, normalise([make_article(1)], extractor_version="t1", lexicon=LEXICON))
    digest, n, at = con.execute("SELECT * FROM lexicon_state").fetchone()
    assert n == count(con, "SELECT count(*) FROM entities") > 20
    load_batch(con, normalise([make_article(2)], extractor_version="t1", lexicon=LEXICON))
    assert con.execute("SELECT * FROM lexicon_state").fetchall() == [(digest, n, at)]


def test_duplicate_ids_in_one_batch_keep_the_last(con):
    batch = normalise([make_article(1)], extractor_version="t1", lexicon=LEXICON)
    newer = normalise([make_article(1, body="Newer")], extractor_version="t2", lexicon=LEXICON)
    doubled = dataclasses.replace(
        batch,
        articles=pl.concat([batch.articles, newer.articles]),
        sections=pl.concat([batch.sections, newer.sections]),
        categories=pl.concat([batch.categories, newer.categories]),
        links=pl.concat([batch.links, newer.links]),
        mentions=pl.concat([batch.mentions, newer.mentions]),
        terms=pl.concat([batch.terms, newer.terms]),
    )
    assert load_batch(con, doubled) == LoadReport(inserted=1, updated=0, unchanged=0)
    assert con.execute("SELECT extractor_version FROM articles").fetchall() == [("t2",)]
    assert count(con, "SELECT count(*) FROM article_sections") == 2
    assert count(con, "SELECT count(*) FROM article_sections WHERE paragraphs[1] LIKE 'Newer%'") == 2


def test_empty_batch_loads_nothing(con):
    assert load_batch(con, normalise([], extractor_version="t", lexicon=LEXICON)) == LoadReport(0, 0, 0)


def test_failed_load_rolls_back(con):
    batch = normalise([make_article(1)], extractor_version="t1", lexicon=LEXICON)
    broken = dataclasses.replace(batch, articles=batch.articles.drop("content_hash"))
    with pytest.raises(ValueError, match="content_hash"):
        load_batch(con, broken)
    assert load_batch(con, batch).inserted == 1  # the connection is still usable


# --- fetch log ----------------------------------------------------------------------------

def fetches(**overrides) -> pl.DataFrame:
    data = {
        "url": ["https://news.example.pk/a", "https://news.example.pk/b"],
        "source_id": ["example-pk", "example-pk"],
        "fetched_at": [datetime(2024, 3, 1, 5, 0, tzinfo=PKT)] * 2,
        "outcome": ["ok", "transient"],
        "http_status": [200, 503],
        "bytes": [12_345, None],
        "elapsed_ms": [81.5, 30_000.0],
        "reason": [None, "HTTP 503"],
        "run_id": ["run-1", "run-1"],
    }
    data.update(overrides)
    return pl.DataFrame(data)


def test_record_fetches_appends_once(con):
    assert record_fetches(con, fetches()) == 2
    assert record_fetches(con, fetches()) == 0
    assert record_fetches(con, fetches(run_id=["run-2", "run-2"])) == 2
    assert count(con, "SELECT count(*) FROM fetch_log") == 4
    stamp = con.execute("SELECT DISTINCT fetched_at FROM fetch_log").fetchone()[0]
    assert stamp == datetime(2024, 3, 1, 0, 0, tzinfo=timezone.utc)


def test_record_fetches_validates_the_frame(con):
    with pytest.raises(ValueError, match="outcome"):
        record_fetches(con, fetches(outcome=["ok", "exploded"]))
    with pytest.raises(ValueError, match="time-zone aware"):
        record_fetches(con, fetches(fetched_at=[datetime(2024, 3, 1)] * 2))
    with pytest.raises(ValueError, match="missing columns"):
        record_fetches(con, fetches().drop("run_id"))
    assert count(con, "SELECT count(*) FROM fetch_log") == 0
    assert set(FETCH_LOG_SCHEMA) == {c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'fetch_log'").fetchall()}


# --- opening the file ---------------------------------------------------------------------

def test_garbage_file_is_reported_as_corrupt(tmp_path):
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a database\n" + os.urandom(8192))
    with pytest.raises(WarehouseCorrupt, match="broken.duckdb"):
        connect(path)


def test_file_held_by_another_process_is_reported_as_locked(db_path):
    connect(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         "con = duckdb.connect(sys.argv[1])\n"
         "print('ready', flush=True)\n"
         "time.sleep(120)\n",
         str(db_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLocked, match="news.duckdb"):
            connect(db_path)
        with pytest.raises(WarehouseLocked):
            connect(db_path, read_only=True)
    finally:
        holder.kill()
        holder.wait()
    connect(db_path).close()  # free again once the holder is gone


def test_read_only(db_path):
    with pytest.raises(WarehouseMissing):
        connect(db_path, read_only=True)
    assert not db_path.parent.exists()
    connect(db_path).close()
    ro = connect(db_path, read_only=True)
    assert count(ro, "SELECT count(*) FROM schema_migrations") == len(SCHEMA_FILES)
    ro.close()


# --- ad-hoc SQL ---------------------------------------------------------------------------

def test_run_sql_and_format_table(con):
    load_batch(con, normalise([make_article(n) for n in range(3)], extractor_version="t1", lexicon=LEXICON))
    df = run_sql(con, "SELECT label, repeat('x', 200) AS wide, 'a\nb' AS multi FROM article_categories ORDER BY ALL")
    assert df.height == 6
    text = format_table(df, max_rows=2)
    assert "زمرہ 0" in text
    assert "x" * 200 not in text and "…" in text
    assert "a ⏎ b" in text
    assert text.endswith("2 of 6 rows shown")
    assert format_table(run_sql(con, "SELECT 1 AS one")).endswith("1 row")
    with pytest.raises(QueryError, match="no_such_table"):
        run_sql(con, "SELECT * FROM no_such_table")
