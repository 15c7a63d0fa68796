"""Trend queries over the sample site: exact counts, idempotent reloads, edits, macros, CLI, charts."""

from __future__ import annotations

import json
import re
import shutil
import struct
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from flows.cli import main
from flows.settings import Settings
from tests.conftest import LEXICON, SEEDS
from transforms.entities import Lexicon, Matcher, parse_gazetteer
from transforms.extract import extract_article
from transforms.normalise import normalise
from warehouse.db import connect
from warehouse.errors import QueryError
from warehouse.load import LexiconMismatch, LoadReport, load_batch
from warehouse.recompute import recompute
from warehouse.trends import trend

EXPECTED = SEEDS / "sample_site_expected"
INDEX = json.loads((EXPECTED / "index.json").read_text("utf-8"))
START, END = date(2026, 8, 1), date(2026, 10, 31)
DAILY = ("daily_totals", "daily_entity_counts", "daily_entity_pairs", "daily_term_counts")
TABLES = ("articles", "article_sections", "article_categories", "article_links", "article_versions",
          "entities", "entity_mentions", "article_terms", "lexicon_state", *DAILY)

# --- the independent count: plain regular expressions over the golden texts ---------------------
# What counts is the gazetteer's documented rule (seeds/gazetteer.toml): headline and body, not
# title, categories or "Also Read:" links; whole words; Urdu suffixes ی/یوں/ئی; چینی only in an
# article that names China otherwise. The aliases are restated here on purpose.
EN = {
    "china": ["China", "Chinese", "Beijing", "People's Republic of China", "PRC"],
    "russia": ["Russia", "Russian", "Russians", "Moscow", "Kremlin", "Russian Federation"],
    "north-korea": ["North Korea", "North Korean", "North Koreans", "Pyongyang", "DPRK",
                    "Democratic People's Republic of Korea"],
}
UR = {
    "china": ["چین", "چینی", "بیجنگ", "عوامی جمہوریہ چین"],
    "russia": ["روس", "ماسکو", "کریملن"],
    "north-korea": ["شمالی کوریا", "پیانگ یانگ"],
}
UR_AMBIGUOUS = {"چینی"}


def _alternation(aliases: list[str]) -> str:
    return "|".join(re.escape(a).replace(r"\ ", r"\s+").replace("'", "['’]")
                    for a in sorted(aliases, key=len, reverse=True))


def independent_count(text: str, entity: str) -> int:
    words = [a for a in EN[entity] if not a.isupper()]
    acronyms = [a for a in EN[entity] if a.isupper()]
    n = len(re.findall(rf"(?<!\w)(?:{_alternation(words)})(?!\w)", text, re.IGNORECASE))
    if acronyms:
        n += len(re.findall(rf"(?<!\w)(?:{_alternation(acronyms)})(?!\w)", text))
    urdu = [m.group(0) for m in re.finditer(rf"(?<!\w)(?:{_alternation(UR[entity])})(?:ی|یوں|ئی)?(?!\w)", text)]
    plain = [u for u in urdu if u not in UR_AMBIGUOUS]
    return n + len(plain) + (len(urdu) - len(plain) if n + len(plain) else 0)


def searched_text(entry: dict) -> str:
    blocks = (EXPECTED / f"{entry['slug']}.txt").read_text("utf-8").split("\n\n")
    body = blocks[3:] if entry["categories"] else blocks[2:]
    return "\n".join([blocks[1], *(b for b in body if not b.startswith("Also Read:"))])


def utc_day(entry: dict) -> date:
    return datetime.fromisoformat(entry["published_at"]).astimezone(timezone.utc).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- fixtures ------------------------------------------------------------------------------------

def extract_all(edit: dict[str, tuple[bytes, bytes]] | None = None) -> list:
    articles = []
    for entry in INDEX:
        path = SEEDS / "sample_site" / entry["path"].lstrip("/")
        html = (path / "index.html" if path.is_dir() else path).read_bytes()
        if edit and entry["slug"] in edit:
            old, new = edit[entry["slug"]]
            assert old in html
            html = html.replace(old, new)
        articles.append(extract_article(html, entry["url"], source_id="sample"))
    return articles


@pytest.fixture(scope="module")
def sample_articles():
    return extract_all()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, sample_articles) -> Path:
    path = tmp_path_factory.mktemp("trends") / "sample.duckdb"
    con = connect(path)
    assert load_batch(con, normalise(sample_articles, extractor_version="t", lexicon=LEXICON)).inserted == len(INDEX)
    con.close()
    return path


@pytest.fixture
def con(sample_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, copy)
    connection = connect(copy)
    yield connection
    connection.close()


def snapshot(con, tables=TABLES) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


# --- trend() is exact ----------------------------------------------------------------------------

def test_trend_equals_an_independent_count_of_the_texts(con):
    expected: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    totals: dict[date, int] = defaultdict(int)
    for entry in INDEX:
        week, text = monday(utc_day(entry)), searched_text(entry)
        totals[week] += 1
        for entity in EN:
            n = independent_count(text, entity)
            if n:
                expected[week, entity][0] += 1
                expected[week, entity][1] += n
    rows = trend(con, ["China", "russia", "North Korea"], "week", START, END).to_dicts()

    weeks = sorted({monday(START + timedelta(days=i)) for i in range((END - START).days + 1)})
    assert sorted({r["period"] for r in rows}) == weeks
    assert len(rows) == 3 * len(weeks)
    assert sum(expected[w, "north-korea"][0] for w in weeks) >= 10  # the sample site is about them
    for r in rows:
        articles, mentions = expected[r["period"], r["entity_id"]]
        total = totals.get(r["period"], 0)
        assert (r["articles"], r["mentions"], r["total_articles"]) == (articles, mentions, total), r
        assert r["share"] == (articles / total if total else None)


def test_trend_by_source_and_month(con):
    rows = trend(con, ["china"], "month", START, END, source="sample").to_dicts()
    assert [r["period"] for r in rows] == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    assert sum(r["total_articles"] for r in rows) == len(INDEX)
    assert all(r["total_articles"] == 0 for r in trend(con, ["china"], "month", START, END, source="other").to_dicts())


# --- loads are idempotent; an edit touches one version and one day ---------------------------------

def test_reloading_the_same_articles_changes_no_row(con, sample_articles):
    before = snapshot(con)
    assert load_batch(con, normalise(sample_articles, extractor_version="t", lexicon=LEXICON)) == LoadReport(0, 0, len(INDEX))
    assert snapshot(con) == before


def test_an_edited_article_gives_one_version_and_changes_its_day_only(con):
    slug = "china-keep-its-distance-as-russia-and-north-korea-have-strong-ties"
    day = utc_day(next(e for e in INDEX if e["slug"] == slug))
    before = snapshot(con)
    edited = extract_all({slug: (b"reciprocal naval exercises", b"reciprocal naval exercises near Moscow")})
    assert load_batch(con, normalise(edited, extractor_version="t", lexicon=LEXICON)) == LoadReport(0, 1, len(INDEX) - 1)

    versions = con.execute("SELECT article_id, content_hash FROM article_versions").fetchall()
    old = [r for r in before["articles"] if r[0] == versions[0][0]]
    assert len(versions) == 1 and old and old[0][17] == versions[0][1]  # 17: content_hash
    after = snapshot(con, DAILY)
    for table in DAILY:
        changed = set(before[table]) ^ set(after[table])
        assert {row[0] for row in changed} <= {day}, table
    assert set(before["daily_entity_counts"]) != set(after["daily_entity_counts"])
    russia = con.execute("SELECT mentions FROM daily_entity_counts WHERE day = ? AND entity_id = 'russia'",
                         [day]).fetchone()[0]
    assert russia == 1 + next(r[4] for r in before["daily_entity_counts"] if r[0] == day and r[2] == "russia")
    # Loading the edit again changes nothing more.
    again = snapshot(con)
    assert load_batch(con, normalise(edited, extractor_version="t", lexicon=LEXICON)).unchanged == len(INDEX)
    assert snapshot(con) == again


def test_backfill_in_other_batches_gives_the_same_aggregates(sample_db, sample_articles, tmp_path):
    reference = connect(sample_db, read_only=True)
    expected = snapshot(reference, DAILY)
    reference.close()
    con = connect(tmp_path / "backfill.duckdb")
    late_first = sorted(sample_articles, key=lambda a: a.published_at, reverse=True)
    for i in range(0, len(late_first), 10):  # newest days first, ten articles a batch
        load_batch(con, normalise(late_first[i:i + 10], extractor_version="t", lexicon=LEXICON))
    load_batch(con, normalise(late_first[:5], extractor_version="t", lexicon=LEXICON))  # a rerun of one window
    assert snapshot(con, DAILY) == expected
    con.close()


# --- a changed gazetteer is recomputed as a step of its own, never by a load ------------------------

def lexicon_with(extra: str) -> Lexicon:
    data = Path(Settings().gazetteer).read_bytes() + extra.encode()
    return Lexicon(Matcher(parse_gazetteer(data)), LEXICON.stopwords)


def test_a_new_entity_is_counted_after_recompute_and_a_load_never_mixes_gazetteers(con, sample_articles):
    cpec_city = '\n[[entity]]\nid = "gwadar"\nname = "Gwadar"\nkind = "place"\nen = ["Gwadar"]\nur = ["گوادر"]\n'
    lexicon = lexicon_with(cpec_city)
    assert con.execute("SELECT count(*) FROM entity_mentions WHERE entity_id = 'gwadar'").fetchone()[0] == 0
    before = con.execute("SELECT count(*), sum(mentions) FROM entity_mentions").fetchone()
    with pytest.raises(LexiconMismatch, match="newswire recompute"):
        load_batch(con, normalise(sample_articles[:1], extractor_version="t", lexicon=lexicon))
    assert con.execute("SELECT count(*), sum(mentions) FROM entity_mentions").fetchone() == before
    assert recompute(con, lexicon).articles == len(INDEX)
    gwadar = con.execute("SELECT sum(articles) FROM daily_entity_counts WHERE entity_id = 'gwadar'").fetchone()[0]
    assert gwadar and gwadar > 0
    assert load_batch(con, normalise(sample_articles[:1], extractor_version="t", lexicon=lexicon)).unchanged == 1
    assert recompute(con, LEXICON).articles == len(INDEX)  # back to the gazetteer in seeds/
    assert con.execute("SELECT count(*) FROM daily_entity_counts WHERE entity_id = 'gwadar'").fetchone()[0] == 0


# --- the other macros answer like the base tables ---------------------------------------------------

def test_co_mentions_top_entities_and_rising_terms(con):
    both = con.execute("""
        SELECT count(*) FROM (SELECT article_id FROM entity_mentions WHERE entity_id IN ('russia', 'north-korea')
                              GROUP BY article_id HAVING count(DISTINCT entity_id) = 2)""").fetchone()[0]
    rows = con.execute("SELECT * FROM co_mentions('Russia', 'Pyongyang', 'month')").pl()
    assert rows["articles_both"].sum() == both > 0
    assert rows["total_articles"].sum() == len(INDEX)
    assert (rows["articles_both"] <= rows["articles_a"]).all()

    top = con.execute("SELECT * FROM top_entities(DATE '2026-08-01', DATE '2026-10-31')").pl()
    assert top["entity_id"][0] == "china" and top["rank"][0] == 1
    persons = con.execute("SELECT * FROM top_entities(?, ?, entity_kind := 'person', top_n := 3)",
                          [START, END]).pl()
    assert persons.height == 3 and set(persons["kind"]) == {"person"}

    rising = con.execute("SELECT * FROM rising_terms(DATE '2026-10-25', 14, min_articles := 2)").pl()
    assert rising.height > 0 and (rising["recent_articles"] >= 2).all()
    term = rising.row(0, named=True)
    recent = con.execute("""SELECT count(DISTINCT article_id) FROM article_terms
                            WHERE term = ? AND published_day BETWEEN DATE '2026-10-12' AND DATE '2026-10-25'""",
                         [term["term"]]).fetchone()[0]
    assert term["recent_articles"] == recent
    assert term["ratio"] == pytest.approx(((recent + 1) / (term["recent_total"] + 1))
                                          / ((term["baseline_articles"] + 1) / (term["baseline_total"] + 1)))


# --- the CLI, its charts, and bound parameters ------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_cli_trends_prints_sparklines_and_writes_charts(sample_db, tmp_path, capsys):
    png, page = tmp_path / "chart.png", tmp_path / "chart.html"
    args = ["trends", "china", "russia", "north korea", "--grain", "week", "--from", "2026-08-01",
            "--to", "2026-10-31", "--db", str(sample_db)]
    assert main([*args, "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "per week, 2026-08-01 to 2026-10-31" in out
    for name in ("China", "Russia", "North Korea"):
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert re.search(r"[▁▂▃▄▅▆▇█]{5,}", line), line
    width, height = png_size(png.read_bytes())
    assert width >= 800 and height >= 400 and png.stat().st_size > 10_000

    assert main([*args, "--plot", str(page)]) == 0
    text = page.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "</html>" in text
    assert re.findall(r'<g class="series" data-entity="([^"]+)"', text) == ["China", "Russia", "North Korea"]
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    assert "share of articles mentioning" in text and "2026-08-01 to 2026-10-31" in text


@pytest.mark.parametrize("argv, message", [
    (["trends", "china", "--plot", "x.svg"], "must end in .png or .html"),
    (["trends", "atlantis"], "unknown entity 'atlantis'"),
    (["trends", "china", "--from", "2026-10-01", "--to", "2026-09-01"], "is after"),
])
def test_cli_trends_errors(sample_db, argv, message, capsys):
    assert main([*argv, "--db", str(sample_db)]) == 2
    assert message in capsys.readouterr().err


def test_cli_recompute(con, capsys):
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.close()
    assert main(["recompute", "--db", path]) == 0
    assert f"recomputed {len(INDEX)} articles" in capsys.readouterr().out


HOSTILE = ["x'; DROP TABLE articles; --", 'a"b', "week'; DELETE FROM daily_totals; --", "1; SELECT 1"]


def test_values_reach_sql_as_bound_parameters(con, tmp_path, capsys):
    before = snapshot(con)
    for value in HOSTILE:
        assert trend(con, [value, "china"], "week", START, END, source=value).height > 0
        with pytest.raises(QueryError):
            trend(con, ["china"], value, START, END)
        with pytest.raises(QueryError):
            trend(con, ["china"], "week", value, END)  # a date that is no date
    assert snapshot(con) == before

    # A name with a quote is just a name: an entity called that is found and counted.
    quoted = '\n[[entity]]\nid = "quoted"\nname = "Bob\'s; Land"\nkind = "place"\nen = ["Kremlin\'s; wall"]\n'
    recompute(con, lexicon_with(quoted))
    rows = trend(con, ["bob's; land"], "month", START, END)
    assert set(rows["entity"]) == {"Bob's; Land"}
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.close()
    assert main(["trends", "china", "Bob's; Land", "--db", path]) == 0
    out, err = capsys.readouterr()
    assert "Bob's; Land" in out
    assert "newswire recompute" in err  # the stored mentions are not those of seeds/gazetteer.toml
    assert main(["trends", *HOSTILE[:1], "--db", path]) == 2
    check = connect(path, read_only=True)
    assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == len(INDEX)
    check.close()
