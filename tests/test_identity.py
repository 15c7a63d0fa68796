"""One story, one row: renditions, canonicals, copies and undated pages through the real ingest flow.

Sites are served on 127.0.0.1 under several host names (tests/sitekit.py); every run is a real
Prefect flow run into a real DuckDB file, and every check reads the warehouse back.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import duckdb
import pytest

from flows.ingest import ingest
from tests.sitekit import Site, article_html, rss, serve, sitemap

STORIES = {
    "one": ("Pakistan and China sign new rail agreement",
            ["Pakistan and China signed an agreement on Monday to upgrade the main railway line between Karachi "
             "and Peshawar, officials in Islamabad said after a ceremony attended by both delegations.",
             "The project, long delayed by financing talks, is expected to cut travel times by half and to carry "
             "far more freight from the southern ports to the northern cities within the next decade.",
             "Critics in parliament asked how the debt would be repaid and whether local firms would win work."]),
    "two": ("Floods close schools across Sindh",
            ["Schools across Sindh were closed for a week after heavy rain flooded roads and classrooms in "
             "Hyderabad, Sukkur and dozens of smaller towns, the provincial education department announced.",
             "Teachers said many buildings had been used as shelters by families whose homes were damaged, and "
             "that repairs would be needed before lessons could start again in the affected districts."]),
    "three": ("Cricket board names squad for tri-series",
              ["The cricket board named a young squad for next month's tri-series, leaving out two senior batters "
               "who had struggled for form in the domestic season and bringing in three uncapped players.",
               "The chief selector said the team needed fresh energy and that the door remained open for anyone "
               "who scored heavily in the coming first-class matches at home."]),
    "four": ("Central bank holds interest rate steady",
             ["The central bank kept its policy rate unchanged on Tuesday, saying inflation had eased but remained "
              "above its target range, and that it would watch food and energy prices closely over the winter.",
              "Business groups had lobbied for a cut to help exporters, who say borrowing costs are too high."]),
    "five": ("Lahore marathon draws record field",
             ["More than twenty thousand runners took part in the Lahore marathon on Sunday, a record field that "
              "organisers said showed the growing popularity of road running among young people in the city.",
              "Traffic was diverted from the canal road for most of the morning while the race was under way."]),
    "six": ("New metro line opens in Karachi",
            ["A new metro bus line opened in Karachi on Wednesday, linking the northern suburbs with the city "
             "centre, and thousands of commuters queued at the stations to try it on the first morning.",
             "Officials said the buses would run every five minutes at peak times and that fares would stay low."]),
    "seven": ("Wheat harvest expected to beat forecasts",
              ["Farmers in Punjab expect the wheat harvest to beat official forecasts after good winter rains, "
               "the agriculture ministry said, easing fears of shortages and of rising flour prices this spring.",
               "Millers welcomed the outlook but warned that storage capacity remained short in several districts."]),
}


def page(name: str, **kwargs) -> str:
    headline, paragraphs = STORIES[name]
    return article_html(headline, paragraphs, published="2026-10-01T09:00:00+05:00", **kwargs)


def sources_toml(site: Site, body: str, *hosts: str) -> str:
    return site.resolve_toml(*hosts) + body


def counts(db: str) -> dict[str, int]:
    con = duckdb.connect(db, read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture
def renditions_site():
    """Seven stories under the spellings real sites serve them with, from a feed, a sitemap and a listing."""
    site = Site()
    n, www, m = "http://news.test", "http://www.news.test", "http://m.news.test"
    site.add(f"{n}/world/story-one/", page("one", canonical=f"{n}/world/story-one/"))
    site.add(f"{n}/world/story-one/amp/", page("one", canonical=f"{n}/world/story-one/"))
    site.add(f"{www}/world/story-one/?utm_source=rss", page("one", canonical=f"{n}/world/story-one/"))
    # A print rendition: another path, fewer words, its canonical on the article.
    headline, paragraphs = STORIES["one"]
    site.add(f"{n}/print/story-one", article_html(headline, paragraphs[:2], canonical=f"{n}/world/story-one/",
                                                 published="2026-10-01T09:00:00+05:00"))
    site.add(f"{n}/world/story-two/index.html", page("two"))
    site.add(f"{m}/world/story-two/", page("two"))
    # The same text under two URLs and no canonical: one article.
    site.add(f"{n}/world/story-three", page("three"))
    site.add(f"{n}/archive/2026/story-three-copy", page("three"))
    # A sloppy site: every page's canonical is the home page, or a section page.
    site.add(f"{n}/business/story-four", page("four", canonical=f"{n}/"))
    site.add(f"{n}/sport/story-five", page("five", canonical=f"{n}/"))
    site.add(f"{n}/city/story-six", page("six", canonical=f"{n}/city/"))
    site.add(f"{n}/city/story-seven", page("seven", canonical=f"{n}/city/"))
    day = datetime(2026, 10, 1, 4, tzinfo=timezone.utc)
    site.add(f"{n}/feed.xml", rss([(f"{n}/world/story-one/", day), (f"{n}/world/story-one/amp/", day),
                                   (f"{n}/print/story-one", day), (f"{n}/world/story-two/index.html", day),
                                   (f"{n}/world/story-three", day), (f"{n}/archive/2026/story-three-copy", day),
                                   (f"{n}/business/story-four", day), (f"{n}/sport/story-five", day),
                                   (f"{n}/city/story-six", day), (f"{n}/city/story-seven", day)]), "application/rss+xml")
    site.add(f"{www}/sitemap.xml", sitemap([(f"{www}/world/story-one/?utm_source=rss", "2026-10-01"),
                                            (f"{m}/world/story-two/", "2026-10-01")]), "application/xml")
    site.add(f"{m}/", "<html><body><a href='/world/story-two/'>Floods close schools across Sindh</a></body></html>")
    with serve(site):
        yield site


def test_renditions_of_a_story_are_one_article_and_every_url_is_kept(prefect_harness, renditions_site, tmp_path):
    site = renditions_site
    toml = tmp_path / "sources.toml"
    toml.write_text(sources_toml(site, """
[[sources]]
id = "news"
feeds = ["http://news.test/feed.xml"]
sitemaps = ["http://www.news.test/sitemap.xml"]
listings = ["http://m.news.test/"]
article_pattern = "/(world|print|archive|business|sport|city)/"
requests_per_second = 0
""", "news.test", "www.news.test", "m.news.test"), "utf-8")
    db = str(tmp_path / "wh.duckdb")
    first = ingest(str(toml), db)
    con = duckdb.connect(db, read_only=True)
    headlines = sorted(h for (h,) in con.execute("SELECT headline FROM articles").fetchall())
    urls = dict(con.execute("SELECT url, article_id FROM article_urls").fetchall())
    one = con.execute("SELECT article_id, url, word_count FROM articles WHERE headline = ?",
                      [STORIES["one"][0]]).fetchone()
    con.close()
    # Story one (4 spellings + print), two (2), three (2 copies) merge; four to seven stay apart
    # although each pair shares a canonical: catch-all canonicals never merge different stories.
    assert headlines == sorted(h for h, _ in STORIES.values())
    assert one[1] == "http://news.test/world/story-one/" and one[2] == sum(len(p.split()) for p in STORIES["one"][1])
    fetched_one = {u for u in urls if "story-one" in u}
    assert {"http://news.test/world/story-one/", "http://news.test/print/story-one"} <= fetched_one
    assert {urls[u] for u in fetched_one} == {one[0]}
    assert urls["http://news.test/archive/2026/story-three-copy"] == urls["http://news.test/world/story-three"]
    # Each story was fetched under one of its spellings only; the AMP and www. ones never.
    article_hits = [h for h in site.hits if "/story-" in h]
    assert not any(h.endswith("/amp/") or h.startswith("www.") for h in article_hits), article_hits
    assert first["inserted"] == 7

    before = counts(db)
    again = ingest(str(toml), db, refetch=True)  # every page fetched again: nothing changes
    after = counts(db)
    assert again["inserted"] == again["updated"] == 0
    assert {t: n for t, n in after.items() if t != "fetch_log"} == {t: n for t, n in before.items() if t != "fetch_log"}


def test_undated_pages_land_on_a_day_with_its_source_named(prefect_harness, tmp_path):
    site = Site()
    n = "http://undated.test"
    fed = datetime(2026, 9, 3, 22, 30, tzinfo=timezone(timedelta(hours=-4)))  # 2026-09-04 in UTC
    site.add(f"{n}/news/in-the-feed", article_html(*STORIES["one"]))
    site.add(f"{n}/news/in-the-sitemap", article_html(*STORIES["two"]))
    site.add(f"{n}/2026/08/07/dated-by-its-url", article_html(*STORIES["three"]))
    site.add(f"{n}/news/nothing-known", article_html(*STORIES["four"]))
    site.add(f"{n}/news/dated-page", article_html(*STORIES["five"], ) .replace(
        "<head>", '<head><script type="application/ld+json">{"@type": "NewsArticle", '
                  '"datePublished": "2026-07-15T08:00:00Z"}</script>'))
    site.add(f"{n}/feed.xml", rss([(f"{n}/news/in-the-feed", fed), (f"{n}/news/nothing-known", None),
                                   (f"{n}/2026/08/07/dated-by-its-url", None), (f"{n}/news/dated-page", fed)]),
             "application/rss+xml")
    site.add(f"{n}/sitemap.xml", sitemap([(f"{n}/news/in-the-sitemap", "2026-09-10")]), "application/xml")
    toml = tmp_path / "sources.toml"
    with serve(site):
        toml.write_text(sources_toml(site, f"""
[[sources]]
id = "undated"
feeds = ["{n}/feed.xml"]
sitemaps = ["{n}/sitemap.xml"]
requests_per_second = 0
""", "undated.test"), "utf-8")
        db = str(tmp_path / "wh.duckdb")
        summary = ingest(str(toml), db, partition_day=date(2026, 9, 30))
    assert summary["inserted"] == 5 and summary["failures"] == {}
    con = duckdb.connect(db, read_only=True)
    days = {u.removeprefix(n): (d, s) for u, d, s in
            con.execute("SELECT url, published_day, day_source FROM articles").fetchall()}
    fetched_day = con.execute("SELECT CAST(min(first_seen_at) AS DATE) FROM articles").fetchone()[0]
    partitions = {(d, s) for d, s in con.execute("SELECT day, source_id FROM ingest_partitions").fetchall()}
    totals = dict(con.execute("SELECT day, articles FROM daily_totals").fetchall())
    con.close()
    assert days == {
        "/news/in-the-feed": (date(2026, 9, 4), "feed"),
        "/news/in-the-sitemap": (date(2026, 9, 10), "sitemap"),
        "/2026/08/07/dated-by-its-url": (date(2026, 8, 7), "url"),
        "/news/nothing-known": (fetched_day, "fetched"),
        "/news/dated-page": (date(2026, 7, 15), "page"),
    }
    # Every day that received articles has its partition row and its daily totals.
    for day, _ in days.values():
        assert (day, "undated") in partitions
        assert totals[day] >= 1


WIRE = ("China and Russia agree to expand energy trade",
        ["China and Russia agreed on Thursday to expand their energy trade, with new pipeline deliveries of gas "
         "and oil to northern China over the next five years, officials in Beijing and Moscow said.",
         "The deal follows months of talks and comes as both countries seek to deepen economic ties in the face of "
         "Western sanctions on Russian exports, which have cut its sales to European buyers sharply.",
         "Analysts said the agreement would give China cheaper energy while giving Russia a reliable customer, "
         "though the price terms were not disclosed by either side after the signing ceremony.",
         "A spokesman for the Chinese foreign ministry said the partnership was not aimed at any third country "
         "and that trade between the two neighbours had reached a record level last year."])
OTHER = ("Japan's exports rise for a third month",
         ["Japan's exports rose for a third straight month in September, led by shipments of cars and electronic "
          "parts to the United States and Southeast Asia, the finance ministry said on Monday in Tokyo.",
          "Economists said a weaker yen had helped exporters, but warned that slowing demand in China could weigh "
          "on factory orders in the months ahead as manufacturers there cut back on imported components.",
          "Imports fell slightly as energy prices eased, narrowing the trade deficit for the month compared with "
          "a year earlier, according to the figures published by the ministry."])


def test_wire_copy_in_another_source_is_marked_and_counted_once_on_request(prefect_harness, tmp_path):
    site = Site()
    headline, paragraphs = WIRE
    edited = [p.replace("officials in Beijing and Moscow said", "the two governments announced") for p in paragraphs]
    edited = edited[1:] + ["Reporting by our correspondents in Beijing; editing by the world desk."]
    day = datetime(2026, 10, 2, 6, tzinfo=timezone.utc)
    site.add("http://wire.test/2026/10/02/energy-trade", article_html(headline, paragraphs))
    site.add("http://wire.test/2026/10/02/japan-exports", article_html(*OTHER))
    site.add("http://paper.test/world/china-russia-energy", article_html("Beijing, Moscow deepen energy ties", edited))
    site.add("http://paper.test/world/japan", article_html(*STORIES["one"]))
    site.add("http://wire.test/feed.xml", rss([("http://wire.test/2026/10/02/energy-trade", day),
                                               ("http://wire.test/2026/10/02/japan-exports", day)]), "application/rss+xml")
    site.add("http://paper.test/feed.xml", rss([("http://paper.test/world/china-russia-energy", day + timedelta(hours=3)),
                                                ("http://paper.test/world/japan", day)]), "application/rss+xml")
    toml = tmp_path / "sources.toml"
    with serve(site):
        toml.write_text(sources_toml(site, """
[[sources]]
id = "wire"
feeds = ["http://wire.test/feed.xml"]
requests_per_second = 0

[[sources]]
id = "paper"
feeds = ["http://paper.test/feed.xml"]
requests_per_second = 0
""", "wire.test", "paper.test"), "utf-8")
        db = str(tmp_path / "wh.duckdb")
        ingest(str(toml), db, source_ids=["wire"])
        ingest(str(toml), db, source_ids=["paper"])
    con = duckdb.connect(db)
    dupes = con.execute("""SELECT c.url, o.url, d.similarity, d.method FROM article_duplicates AS d
                           JOIN articles AS c ON c.article_id = d.article_id
                           JOIN articles AS o ON o.article_id = d.duplicate_of""").fetchall()
    assert [(c, o) for c, o, _, _ in dupes] == [("http://paper.test/world/china-russia-energy",
                                                 "http://wire.test/2026/10/02/energy-trade")]
    assert 0.6 <= dupes[0][2] < 1.0 and dupes[0][3].startswith("minhash-lsh")
    every = con.execute("SELECT sum(articles), sum(total_articles) FROM trend(['china'], 'month', "
                        "DATE '2026-10-01', DATE '2026-10-31')").fetchone()
    once = con.execute("SELECT sum(articles), sum(total_articles) FROM trend(['china'], 'month', "
                       "DATE '2026-10-01', DATE '2026-10-31', dedupe := true)").fetchone()
    top = dict(con.execute("SELECT entity_id, articles FROM top_entities(DATE '2026-10-01', DATE '2026-10-31', "
                           "dedupe := true)").fetchall())
    con.close()
    assert every == (4, 4)  # all four articles mention China, the wire story and its copy included
    assert once == (3, 3)  # the copy counts neither as a mention nor in the denominator
    assert top["china"] == 3


def test_a_warehouse_from_before_gets_days_and_urls_on_upgrade(tmp_path):
    """Articles stored before day_source and article_urls existed: undated ones land on the day they
    were first stored, their URLs are known under their story keys, and the aggregates include them."""
    import shutil

    from warehouse.db import connect
    from warehouse.migrate import apply_migrations, schema_dir

    old = tmp_path / "schema-033"
    old.mkdir()
    for f in schema_dir().iterdir():
        if f.name.endswith(".sql") and int(f.name[:3]) <= 33:
            shutil.copy(str(f), old / f.name)
    db = str(tmp_path / "old.duckdb")
    con = duckdb.connect(db)
    con.execute("SET TimeZone = 'UTC'")
    apply_migrations(con, old)
    con.execute("""INSERT INTO articles (article_id, url, canonical_url, source_id, headline, headline_clean,
                   published_day, content_hash, first_seen_at, last_loaded_at, word_count) VALUES
                   ('a1', 'https://www.old.test/news/dated/', NULL, 'old', 'Dated', 'Dated', DATE '2026-05-01',
                    'h1', TIMESTAMPTZ '2026-05-02 10:00:00+00', TIMESTAMPTZ '2026-05-02 10:00:00+00', 10),
                   ('a2', 'https://old.test/news/undated?id=2', 'https://old.test/news/undated', 'old', 'Undated',
                    'Undated', NULL, 'h2', TIMESTAMPTZ '2026-06-03 23:30:00+00', TIMESTAMPTZ '2026-06-03 23:30:00+00', 20)""")
    con.execute("""INSERT INTO entity_mentions VALUES ('a2', NULL, 'old', 'china', 0, 2)""")
    con.close()

    con = connect(db)  # the upgrade
    rows = con.execute("SELECT article_id, published_day, day_source FROM articles ORDER BY 1").fetchall()
    keys = con.execute("SELECT url_key, article_id, kind FROM article_urls ORDER BY 1").fetchall()
    totals = con.execute("SELECT day, articles, unique_articles FROM daily_totals ORDER BY 1").fetchall()
    mentions = con.execute("SELECT day, articles FROM daily_entity_counts").fetchall()
    con.close()
    assert rows == [("a1", date(2026, 5, 1), "page"), ("a2", date(2026, 6, 3), "fetched")]
    assert keys == [("old.test/news/dated", "a1", "fetched"), ("old.test/news/undated", "a2", "canonical"),
                    ("old.test/news/undated?id=2", "a2", "fetched")]
    assert totals == [(date(2026, 5, 1), 1, 1), (date(2026, 6, 3), 1, 1)]
    assert mentions == [(date(2026, 6, 3), 1)]
