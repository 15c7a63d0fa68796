"""The nightly rerun: conditional requests only, all answered 304; the raw archive re-extracts offline."""

from __future__ import annotations

import json

import duckdb

from flows.cli.demo_site import DEMO_ORIGIN
from flows.crawl.archive import read_archive
from flows.ingest import ingest
from tests.conftest import SEEDS
from transforms.extract import extract_article

INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))


def test_second_run_asks_conditionally_and_fetches_no_article(prefect_harness, demo_sources, tmp_path, sample_site):
    db = str(tmp_path / "wh.duckdb")
    first = ingest(str(demo_sources), db)
    second = ingest(str(demo_sources), db)
    assert first["inserted"] == len(INDEX)
    con = duckdb.connect(db, read_only=True)
    rows = con.execute("SELECT url, outcome, http_status FROM fetch_log WHERE run_id = ?", [second["run_id"]]).fetchall()
    states = con.execute("SELECT count(*) FROM url_state WHERE etag IS NOT NULL").fetchone()[0]
    con.close()
    docs = {u.removeprefix(DEMO_ORIGIN) for u, _, _ in rows}
    assert {"/robots.txt", "/feed.xml", "/sitemap_index.xml", "/"} <= docs
    assert any(d.startswith("/sitemap-posts-") for d in docs)
    assert all(outcome == "not-modified" and status == 304 for _, outcome, status in rows), rows
    article_paths = {e["path"] for e in INDEX}
    assert not docs & article_paths
    assert second["requests"] == len(rows) == states
    assert second["pages_fetched"] == 0


def test_every_response_is_archived_and_re_extracts_offline(prefect_harness, demo_sources, tmp_path, sample_site):
    db = str(tmp_path / "wh.duckdb")
    ingest(str(demo_sources), db, archive_dir=str(tmp_path / "warc"))
    files = sorted((tmp_path / "warc").glob("newswire-*.warc.gz"))
    assert files
    archived = {r.url: r for r in read_archive(files)}
    con = duckdb.connect(db, read_only=True)
    stored = dict(con.execute("SELECT url, seed_text FROM articles").fetchall())
    con.close()
    assert set(stored) <= set(archived)
    for url, seed_text in stored.items():
        record = archived[url]
        assert record.status == 200 and record.headers.get("content-type", "").startswith("text/html")
        assert extract_article(record.body, url).to_seed_text() == seed_text
