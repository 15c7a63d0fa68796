"""The real ingest flow, under Prefect, against sites served on 127.0.0.1, into real DuckDB files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.cli.demo_site import serve_site
from flows.ingest import ingest
from tests.conftest import SEEDS

EXPECTED = SEEDS / "sample_site_expected"
INDEX = json.loads((EXPECTED / "index.json").read_text("utf-8"))
ARTICLE_TABLES = ("articles", "article_sections", "article_categories", "article_links")


def dump(db: str) -> dict[str, list[tuple]]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ARTICLE_TABLES}
    finally:
        con.close()


def test_demo_ingest_loads_every_sample_article(prefect_harness, demo_sources, tmp_path, sample_site):
    db = str(tmp_path / "wh.duckdb")
    summary = ingest(str(demo_sources), db)
    assert summary["articles_extracted"] == len(INDEX)
    assert summary["inserted"] == len(INDEX)
    assert summary["failures"] == {}

    con = duckdb.connect(db, read_only=True)
    rows = dict(con.execute("SELECT url, seed_text FROM articles").fetchall())
    assert len(rows) == len(INDEX)
    # The demo's URLs are on the sample site's own origin, whatever port served it.
    for entry in INDEX:
        assert rows[entry["url"]] == (EXPECTED / f"{entry['slug']}.txt").read_text("utf-8")
    n_sections = sum(len(e["sections"]) for e in INDEX)
    assert con.execute("SELECT count(*) FROM article_sections").fetchone()[0] == n_sections
    n_categories = sum(len(e["categories"]) for e in INDEX)
    assert con.execute("SELECT count(*) FROM article_categories").fetchone()[0] == n_categories
    assert con.execute("SELECT DISTINCT source_id FROM articles").fetchall() == [("sample",)]
    outcomes = dict(con.execute("SELECT outcome, count(*) FROM fetch_log GROUP BY ALL").fetchall())
    assert outcomes.get("ok", 0) >= len(INDEX) and set(outcomes) == {"ok"}
    con.close()

    # A nightly rerun finds nothing new and fetches no article again.
    again = ingest(str(demo_sources), db)
    assert again["pages_fetched"] == 0 and again["inserted"] == 0
    assert again["unchanged_documents"] > 0


def test_rerun_with_refetch_changes_nothing(prefect_harness, demo_sources, tmp_path):
    db = str(tmp_path / "wh.duckdb")
    first = ingest(str(demo_sources), db, refetch=True)
    before = dump(db)
    second = ingest(str(demo_sources), db, refetch=True)
    assert second["unchanged"] == first["inserted"] == len(INDEX)
    assert second["inserted"] == second["updated"] == 0
    assert dump(db) == before


@pytest.fixture
def small_site(tmp_path):
    """Two good articles, a dead link, and a page that is not an article, listed in one feed."""
    root = tmp_path / "site"
    good = INDEX[:2]
    for entry in good:
        rel = entry["path"].strip("/")
        shutil.copytree(SEEDS / "sample_site" / rel, root / rel)
    shutil.copytree(SEEDS / "sample_site" / "about", root / "about")
    (root / "index.html").write_text("<html><body>home</body></html>")
    items = [e["url"] for e in good] + ["http://sample-site.invalid/2026/01/01/gone/",
                                         "http://sample-site.invalid/about/"]
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + "".join(f"<item><title>x</title><link>{u}</link></item>" for u in items)
        + "</channel></rss>")
    with serve_site(root) as origin:
        yield origin


def test_bad_pages_are_recorded_and_the_rest_is_stored(prefect_harness, small_site, tmp_path):
    sources = tmp_path / "s.toml"
    sources.write_text(f'[[sources]]\nid = "small"\nfeeds = ["{small_site}/feed.xml"]\nrequests_per_second = 0\n')
    db = str(tmp_path / "wh.duckdb")
    summary = ingest(str(sources), db)
    assert summary["inserted"] == 2
    con = duckdb.connect(db, read_only=True)
    log = con.execute("SELECT url, outcome, http_status FROM fetch_log WHERE url NOT LIKE '%.xml'"
                      " AND url NOT LIKE '%robots.txt' ORDER BY url").fetchall()
    by_url = {u.removeprefix(small_site): (o, s) for u, o, s in log}
    assert by_url["/2026/01/01/gone/"] == ("hard", 404)
    assert by_url["/about/"] == ("soft", 200)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_a_run_recomputes_first_when_the_gazetteer_changed(prefect_harness, demo_sources, tmp_path, monkeypatch):
    """A gazetteer edited between two runs: the second run says so and recomputes every stored article
    before it loads anything (a load alone never mixes two gazetteers, warehouse.load.LexiconMismatch)."""
    from flows.settings import Settings

    db = str(tmp_path / "wh.duckdb")
    ingest(str(demo_sources), db)
    edited = tmp_path / "gazetteer.toml"
    edited.write_text(Path(Settings().gazetteer).read_text("utf-8")
                      + '\n[[entity]]\nid = "lahore"\nname = "Lahore"\nkind = "place"\nen = ["Lahore"]\n', "utf-8")
    monkeypatch.setenv("NEWSWIRE_GAZETTEER", str(edited))
    ingest(str(demo_sources), db)
    con = duckdb.connect(db, read_only=True)
    stored = con.execute("SELECT lexicon_digest FROM lexicon_state").fetchone()[0]
    lahore = con.execute("SELECT count(DISTINCT article_id) FROM entity_mentions WHERE entity_id = 'lahore'").fetchone()[0]
    text = con.execute("SELECT count(*) FROM articles WHERE body_text LIKE '%Lahore%' OR headline LIKE '%Lahore%'").fetchone()[0]
    con.close()
    assert stored == Settings.load().lexicon().digest
    assert lahore == text > 0
