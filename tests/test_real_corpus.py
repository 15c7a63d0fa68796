"""The real pages of ../shared through the whole pipeline: served as one site, ingested by the CLI.

216 pages of many publishers and eight languages (extraction-dev and extraction-readability),
served on 127.0.0.1 with a feed and a sitemap and `Content-Type: text/html` without a charset,
as many servers send them. Every page with ground truth must become an article with a headline
and at least one section, every day that receives articles a partition row, and a rerun must
change nothing. The data must be there: a missing corpus fails the test, it does not skip it.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import ROOT, SHARED
from tests.sitekit import Site, rss, serve, sitemap

CORPORA = ("extraction-dev", "extraction-readability")
HOST = "corpus.test"


def corpus_pages() -> list[tuple[str, str, bytes, str]]:
    """(corpus, id, html bytes, ground-truth body) of every page with ground truth."""
    pages = []
    for corpus in CORPORA:
        folder = SHARED / corpus
        truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
        for key, entry in sorted(truth.items()):
            if entry.get("articleBody", "").strip():
                pages.append((corpus, key, gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()),
                              entry["articleBody"]))
    return pages


@pytest.fixture(scope="module")
def corpus_site():
    pages = corpus_pages()
    assert len(pages) == 216, "../shared/extraction-dev and extraction-readability must be beside the project"
    site = Site()
    urls = []
    for corpus, key, html, _ in pages:
        url = f"http://{HOST}/{corpus}/{key}.html"
        site.add(url, html, "text/html")
        urls.append(url)
    site.add(f"http://{HOST}/feed.xml", rss([(u, None) for u in urls]), "application/rss+xml")
    site.add(f"http://{HOST}/sitemap.xml", sitemap([(u, None) for u in urls]), "application/xml")
    with serve(site):
        yield site, pages, urls


def run_cli(args: list[str], prefect_server, tmp_path) -> subprocess.CompletedProcess:
    api, home = prefect_server
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)


def table_counts(db: str) -> dict[str, int]:
    con = duckdb.connect(db, read_only=True)
    try:
        names = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in names}
    finally:
        con.close()


def test_real_pages_become_articles_and_a_rerun_changes_nothing(corpus_site, prefect_server, tmp_path):
    site, pages, urls = corpus_site
    sources = tmp_path / "sources.toml"
    sources.write_text(site.resolve_toml(HOST) + f"""
[[sources]]
id = "corpus"
feeds = ["http://{HOST}/feed.xml"]
sitemaps = ["http://{HOST}/sitemap.xml"]
requests_per_second = 0
max_in_flight = 4
""", "utf-8")
    db = str(tmp_path / "wh.duckdb")
    first = run_cli(["ingest", "--sources-file", str(sources), "--db", db], prefect_server, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]

    con = duckdb.connect(db, read_only=True)
    found = {url: (aid, headline, sections) for url, aid, headline, sections in con.execute("""
        SELECT u.url, a.article_id, a.headline,
               (SELECT count(*) FROM article_sections AS s WHERE s.article_id = a.article_id)
        FROM article_urls AS u JOIN articles AS a USING (article_id)""").fetchall()}
    days = {d for (d,) in con.execute("SELECT DISTINCT published_day FROM articles").fetchall()}
    undated = con.execute("SELECT count(*) FROM articles WHERE published_day IS NULL OR day_source IS NULL").fetchone()[0]
    partitions = {d for (d,) in con.execute("SELECT day FROM ingest_partitions WHERE source_id = 'corpus'").fetchall()}
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()

    missing = [u for u in urls if u not in found]
    assert not missing, f"{len(missing)} pages stored no article: {missing[:10]}"
    empty = [u for u in urls if not found[u][1] or found[u][2] < 1]
    assert not empty, f"articles without a headline or a section: {empty[:10]}"
    # One article per page, except pages that carry exactly the same article (one pair of captures).
    assert articles == len({truth for *_, truth in pages})
    assert undated == 0 and days <= partitions

    before = table_counts(db)
    second = run_cli(["ingest", "--sources-file", str(sources), "--db", db], prefect_server, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    after = table_counts(db)
    assert {t: n for t, n in after.items() if t != "fetch_log"} == {t: n for t, n in before.items() if t != "fetch_log"}
    assert not [h for h in site.hits[len(urls) + 3:] if h.endswith(".html")], "the rerun fetched articles again"
