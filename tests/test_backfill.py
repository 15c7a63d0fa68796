"""Backfills under Prefect: partitions oldest first, only_missing, and re-extraction from the archive."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import duckdb
import pytest

from flows.backfill import backfill
from transforms.days import BackfillError, days_between
from tests.conftest import SEEDS

INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))
START, END = date(2026, 8, 1), date(2026, 8, 20)


def utc_day(entry) -> date:
    return datetime.fromisoformat(entry["published_at"]).astimezone(timezone.utc).date()


def in_range(entry) -> bool:
    return START <= utc_day(entry) <= END


def test_dates_are_validated():
    today = date(2026, 11, 29)
    assert days_between(date(2026, 11, 27), today, today) == [date(2026, 11, 27), date(2026, 11, 28), today]
    with pytest.raises(BackfillError, match="after end"):
        days_between(date(2026, 9, 2), date(2026, 9, 1), today)
    with pytest.raises(BackfillError, match="in the future"):
        days_between(date(2026, 11, 1), date(2026, 12, 1), today)


@pytest.fixture(scope="module")
def filled(prefect_harness, sample_site, tmp_path_factory):
    from flows.cli.demo_site import demo_sources_toml

    tmp = tmp_path_factory.mktemp("backfill")
    sources = tmp / "sources.toml"
    sources.write_text(demo_sources_toml(sample_site), "utf-8")
    db = str(tmp / "wh.duckdb")
    summary = backfill(START, end=END, sources_file=str(sources), db=db)
    return sources, db, summary


def partitions(db: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute("SELECT day, source_id, status, mode, articles, flow_run_id FROM ingest_partitions "
                           "ORDER BY day").fetchall()
    finally:
        con.close()


def test_fetch_backfill_fills_every_partition_of_the_range(filled, sample_site):
    sources, db, summary = filled
    rows = [r for r in partitions(db) if START <= r[0] <= END]
    assert [r[0] for r in rows] == days_between(START, END, END)  # every day, oldest first, one row each
    assert {r[2] for r in rows} == {"complete"} and {r[3] for r in rows} == {"fetch"}
    assert {r[5] for r in rows} == {summary["run_id"]}
    con = duckdb.connect(db, read_only=True)
    stored = {u for (u,) in con.execute("SELECT url FROM articles").fetchall()}
    per_day = dict(con.execute("SELECT published_day, count(*) FROM articles GROUP BY 1").fetchall())
    con.close()
    expected = {e["url"] for e in INDEX if in_range(e)}
    assert expected <= stored  # all of the range (neighbouring days may come along)
    for day, _, _, _, articles, _ in rows:
        assert articles == per_day.get(day, 0) == sum(1 for e in INDEX if utc_day(e) == day)
    empty_days = sum(1 for d in days_between(START, END, END) if not any(utc_day(e) == d for e in INDEX))
    # A day without articles has no archive page (404): a complete partition with no articles, no failure.
    assert empty_days > 0, "the range must hold a day without articles for this test to mean anything"
    assert summary["failures"] == {}
    assert summary["partitions_complete"] == summary["partitions_total"] == len(rows)


def test_rerun_with_only_missing_redoes_nothing(filled):
    sources, db, first = filled
    before = partitions(db)
    again = backfill(START, end=END, sources_file=str(sources), db=db, only_missing=True)
    assert again["partitions_skipped"] == (END - START).days + 1
    assert again.get("pages_fetched", 0) == 0 and again["inserted"] == 0
    assert partitions(db) == before  # same rows, same flow run ids: not redone


def test_reextract_after_an_extractor_change_updates_only_affected_rows(filled, monkeypatch):
    import flows.workers
    from transforms.extract import extract_article

    sources, db, _ = filled

    def dump():
        con = duckdb.connect(db, read_only=True)
        try:
            return {t: set(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                    for t in ("articles", "article_sections", "article_categories", "article_links")}
        finally:
            con.close()

    before = dump()

    def changed_extractor(html, url=None, **kw):  # a "new version" that rewrites Urdu headlines only
        article = extract_article(html, url, **kw)
        if article.language == "ur":
            from dataclasses import replace

            article = replace(article, headline=article.headline + " (نظر ثانی)")
        return article

    # Extraction in this thread (no worker processes), so the changed extractor is the one used.
    monkeypatch.setenv("NEWSWIRE_EXTRACT_WORKERS", "0")
    monkeypatch.setattr(flows.workers, "extract_article", changed_extractor)
    summary = backfill(START, end=END, sources_file=str(sources), db=db, mode="reextract", only_missing=False)
    urdu = [e for e in INDEX if in_range(e) and e["language"] == "ur"]
    assert urdu, "the range must hold Urdu articles for this test to mean anything"
    assert summary["updated"] == len(urdu) == summary["rows_updated"]["articles"]
    assert summary["inserted"] == 0 and summary.get("requests", 0) == 0
    after = dump()
    changed = before["articles"] - after["articles"]
    assert len(changed) == len(urdu)
    con = duckdb.connect(db, read_only=True)
    headlines = [h for (h,) in con.execute("SELECT headline FROM articles WHERE language = 'ur'").fetchall()]
    con.close()
    assert sum(h.endswith("(نظر ثانی)") for h in headlines) == len(urdu)
    for table in ("article_sections", "article_categories", "article_links"):
        assert after[table] == before[table]  # the change touched headlines only
    modes = {r[3] for r in partitions(db) if START <= r[0] <= END}
    assert modes == {"reextract"}
