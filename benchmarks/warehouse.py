"""Warehouse benchmark: load rate against raw Arrow inserts, trend() against a scan, file size.

Builds a synthetic warehouse (default 1,000,000 articles over two years, 20 entity-mention rows
and ~10 terms per article, so ~20M mentions) twice from the same frames: once through
warehouse.load.load_batch (plan, MERGE, versions, children, daily aggregates) and once with
plain `INSERT INTO t SELECT * FROM arrow_frame` per table. Then times trend() for three
entities over the two years at week grain against the same question answered from
entity_mentions and articles, checks the two answers agree, and prints the figures side by side.

    uv run python benchmarks/warehouse.py                      # full size (~15-25 min on 2 cores)
    uv run python benchmarks/warehouse.py --articles 50000     # a quick run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.settings import Settings  # noqa: E402
from transforms.normalise import (  # noqa: E402
    ARTICLES_SCHEMA,
    BANDS_SCHEMA,
    CATEGORIES_SCHEMA,
    LINKS_SCHEMA,
    MENTIONS_SCHEMA,
    SECTIONS_SCHEMA,
    SIGNATURES_SCHEMA,
    TERMS_SCHEMA,
    URLS_SCHEMA,
    NormalisedBatch,
)
from transforms import neardup  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.load import load_batch  # noqa: E402

FIRST_DAY = date(2024, 11, 1)
TREND_ENTITIES = ["china", "russia", "north korea"]
RAW_TABLES = {"articles": "batch_articles", "article_sections": "batch_sections",
              "article_categories": "batch_categories", "article_links": "batch_links",
              "entity_mentions": "batch_mentions", "article_terms": "batch_terms", "article_urls": "batch_urls",
              "article_signatures": "batch_signatures", "article_lsh_bands": "batch_bands"}
# The same question as trend(), answered from the base tables (what analysts would write
# without the daily aggregates). Bound parameters: $ids, $start, $end.
SCAN_SQL = """
WITH days AS (
    SELECT CAST(r.d AS DATE) AS day, CAST(date_trunc('week', r.d) AS DATE) AS period
    FROM range(CAST($start AS TIMESTAMP), CAST($end AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS r(d)
),
totals AS (
    SELECT d.period, count(*) AS total_articles FROM articles AS a JOIN days AS d ON d.day = a.published_day
    GROUP BY d.period
),
counts AS (
    SELECT d.period, m.entity_id, count(DISTINCT m.article_id) AS articles, sum(m.mentions) AS mentions
    FROM entity_mentions AS m JOIN days AS d ON d.day = m.published_day
    WHERE m.entity_id IN (SELECT unnest($ids))
    GROUP BY d.period, m.entity_id
)
SELECT p.period, e.entity_id, coalesce(c.articles, 0) AS articles, coalesce(c.mentions, 0) AS mentions,
       coalesce(t.total_articles, 0) AS total_articles
FROM (SELECT DISTINCT period FROM days) AS p
CROSS JOIN (SELECT unnest($ids) AS entity_id) AS e
LEFT JOIN totals AS t ON t.period = p.period
LEFT JOIN counts AS c ON c.period = p.period AND c.entity_id = e.entity_id
ORDER BY p.period, e.entity_id
"""
TREND_SQL = """
SELECT period, entity_id, articles, mentions, total_articles
FROM trend($names, 'week', CAST($start AS DATE), CAST($end AS DATE))
ORDER BY period, entity_id
"""


def synthetic_batch(lo: int, hi: int, args: argparse.Namespace, entity_ids: list[str], lexicon) -> NormalisedBatch:
    """Articles lo..hi-1 of the synthetic warehouse, in publication order (as a crawler loads)."""
    rng = np.random.default_rng(lo)
    n = hi - lo
    idx = np.arange(lo, hi)
    ids = pl.Series("article_id", idx).hash(seed=7).cast(pl.Utf8).str.zfill(20)
    day_offset = idx * args.days // args.articles
    seconds = day_offset * 86_400 + rng.integers(0, 86_400, n)
    published = pl.Series(seconds * 1_000_000).cast(pl.Datetime("us")).dt.offset_by(
        f"{(FIRST_DAY - date(1970, 1, 1)).days}d").dt.replace_time_zone("UTC")
    pool = [f"Paragraph {k}: " + " ".join(f"word{(k * 7 + j) % 997}" for j in range(40)) for k in range(64)]
    para = pl.Series(pool)
    pick = rng.integers(0, len(pool), (n, 2))
    words = rng.integers(200, 1500, n).astype(np.int32)
    body = para.gather(pick[:, 0]) + "\n" + para.gather(pick[:, 1])
    sources = pl.Series([f"source-{k}" for k in range(args.sources)]).gather(rng.integers(0, args.sources, n))
    articles = pl.DataFrame({
        "article_id": ids, "url": "https://bench.example/" + ids, "canonical_url": "https://bench.example/" + ids,
        "source_id": sources, "title": "Story " + ids, "title_clean": "Story " + ids,
        "headline": "Headline " + ids, "headline_clean": "Headline " + ids, "language": ["en"] * n,
        "published_at": published, "updated_at": pl.Series([None] * n, dtype=pl.Datetime("us", "UTC")),
        "published_day": published.dt.date(), "authors": [["A. Writer"]] * n, "word_count": words,
        "body_text": body, "body_clean": body, "seed_text": "Story\n\n" + body,
        "content_hash": ids.str.reverse() + "00", "extractor_version": ["bench"] * n,
        "day_source": ["page"] * n, "page_kind": ["article"] * n, "page_kind_reason": [None] * n,
        "keywords": [["world", "politics"]] * n,
    }).select([pl.col(c).cast(t) for c, t in ARTICLES_SCHEMA.items()])
    urls = pl.DataFrame({"article_id": ids, "url": "https://bench.example/" + ids,
                         "url_key": "bench.example/" + ids, "kind": ["fetched"] * n}).select(
        [pl.col(c).cast(t) for c, t in URLS_SCHEMA.items()])
    # Near-duplicate signatures of distinct stories: random MinHash values, so their LSH buckets
    # (random too, as hashes are) almost never meet, as with unrelated articles.
    signatures = pl.DataFrame({
        "article_id": ids, "source_id": sources,
        "minhash": rng.integers(0, 2**32, (n, neardup.NUM_PERM), dtype=np.uint32).tolist()}).select(
        [pl.col(c).cast(t) for c, t in SIGNATURES_SCHEMA.items()])
    bands = pl.DataFrame({
        "article_id": ids.gather(np.repeat(np.arange(n), neardup.BANDS)),
        "band": np.tile(np.arange(neardup.BANDS), n).astype(np.int16),
        "bucket": rng.integers(-2**63, 2**63 - 1, n * neardup.BANDS, dtype=np.int64)}).select(
        [pl.col(c).cast(t) for c, t in BANDS_SCHEMA.items()])

    per = 3
    sec_ids = ids.gather(np.repeat(np.arange(n), per))
    sec_pick = pick[np.repeat(np.arange(n), per), 0]
    sections = pl.DataFrame({
        "article_id": sec_ids, "section_index": np.tile(np.arange(per), n).astype(np.int16),
        "heading": ["1. Part"] * (n * per), "heading_clean": ["Part"] * (n * per),
        "section_number": np.ones(n * per, np.int16), "paragraphs": para.gather(sec_pick).to_frame("p")
        .select(pl.concat_list("p", "p"))["p"], "text_clean": para.gather(sec_pick),
        "paragraph_count": np.full(n * per, 2, np.int16), "word_count": np.full(n * per, 80, np.int32),
    }).select([pl.col(c).cast(t) for c, t in SECTIONS_SCHEMA.items()])
    categories = pl.DataFrame({
        "article_id": ids.gather(np.repeat(np.arange(n), 2)), "position": np.tile([0, 1], n).astype(np.int16),
        "label": ["دنیا", "سیاست"] * n, "label_clean": ["دنیا", "سیاست"] * n,
        "url": ["https://bench.example/category/world/", "https://bench.example/category/politics/"] * n,
        "slug": ["world", "politics"] * n,
    }).select([pl.col(c).cast(t) for c, t in CATEGORIES_SCHEMA.items()])
    links = pl.DataFrame({"article_id": ids, "position": np.zeros(n, np.int16), "kind": ["related"] * n,
                          "title": ["Related"] * n, "title_clean": ["Related"] * n,
                          "url": ["https://bench.example/r"] * n}).select(
        [pl.col(c).cast(t) for c, t in LINKS_SCHEMA.items()])

    # Mentions: args.entities distinct entities per article (Zipf-weighted, sampled without
    # replacement), each in 4 sections (headline -1 and sections 0-2): 5 x 4 = 20 rows by default.
    weights = 1.0 / np.arange(1, len(entity_ids) + 1)
    keys = np.log(rng.random((n, len(entity_ids)))) / weights
    chosen = np.argpartition(-keys, args.entities, axis=1)[:, :args.entities]
    rows = n * args.entities * 4
    mentions = pl.DataFrame({
        "article_id": ids.gather(np.repeat(np.arange(n), args.entities * 4)),
        "published_day": articles["published_day"].gather(np.repeat(np.arange(n), args.entities * 4)),
        "source_id": sources.gather(np.repeat(np.arange(n), args.entities * 4)),
        "entity_id": pl.Series(entity_ids).gather(np.repeat(chosen.ravel(), 4)),
        "section_index": np.tile(np.arange(-1, 3), n * args.entities).astype(np.int16),
        "mentions": rng.integers(1, 4, rows).astype(np.int32),
    }).select([pl.col(c).cast(t) for c, t in MENTIONS_SCHEMA.items()])

    vocab = args.vocabulary
    zipf = 1.0 / np.arange(1, vocab + 1)
    draws = rng.choice(vocab, size=(n, args.terms), p=zipf / zipf.sum())
    terms = pl.DataFrame({
        "article_id": ids.gather(np.repeat(np.arange(n), args.terms)),
        "term_id": draws.ravel(),
    }).unique(["article_id", "term_id"], maintain_order=True).join(
        articles.select("article_id", "published_day", "source_id"), on="article_id"
    ).with_columns(
        term=pl.when(pl.col("term_id") % 5 == 0).then(pl.format("w{} w{}", "term_id", pl.col("term_id") + 1))
        .otherwise(pl.format("w{}", "term_id")),
        ngram=pl.when(pl.col("term_id") % 5 == 0).then(2).otherwise(1),
        mentions=(pl.col("term_id") % 3 + 1),
    ).select([pl.col(c).cast(t) for c, t in TERMS_SCHEMA.items()])
    return NormalisedBatch(articles, sections, categories, links, mentions, terms, urls, signatures, bands, lexicon)


def raw_insert(con, batch: NormalisedBatch) -> None:
    """The baseline: the same frames appended with plain INSERT ... SELECT, one transaction."""
    frames = {"batch_articles": batch.articles.with_columns(
        first_seen_at=pl.lit(datetime.now(timezone.utc)), last_loaded_at=pl.lit(datetime.now(timezone.utc))),
        "batch_sections": batch.sections, "batch_categories": batch.categories, "batch_links": batch.links,
        "batch_mentions": batch.mentions, "batch_terms": batch.terms,
        "batch_urls": batch.urls.with_columns(first_seen=pl.lit(datetime.now(timezone.utc))),
        "batch_signatures": batch.signatures, "batch_bands": batch.bands}
    con.begin()
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    for table, view in RAW_TABLES.items():
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    con.commit()
    for name in frames:
        con.unregister(name)


def median_ms(con, sql: str, params: dict, repeats: int) -> tuple[float, list]:
    result = con.execute(sql, params).fetchall()  # warm-up (and the answer)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=1_000_000)
    p.add_argument("--batch-size", type=int, default=20_000, help="articles per load (one transaction)")
    p.add_argument("--days", type=int, default=730, help="days the articles are spread over")
    p.add_argument("--sources-file", type=int, default=5)
    p.add_argument("--entities", type=int, default=5, help="distinct entities per article (x4 sections)")
    p.add_argument("--terms", type=int, default=12, help="term draws per article (~10 distinct)")
    p.add_argument("--vocabulary", type=int, default=20_000)
    p.add_argument("--repeats", type=int, default=21, help="timed runs per query (median reported)")
    p.add_argument("--dir", help="where to build the two warehouse files (default: a temp folder)")
    args = p.parse_args(argv)

    lexicon = Settings().lexicon()
    first = ["china", "russia", "north-korea"]
    entity_ids = first + [e.id for e in lexicon.matcher.gazetteer.entities if e.id not in first]
    folder = Path(args.dir or tempfile.mkdtemp(prefix="newswire-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    ours_path, raw_path = folder / "newswire.duckdb", folder / "raw.duckdb"
    for path in (ours_path, raw_path):
        path.unlink(missing_ok=True)
    ours, raw = connect(ours_path), connect(raw_path)

    t_ours = t_raw = 0.0
    mentions = terms = 0
    batches = range(0, args.articles, args.batch_size)
    for k, lo in enumerate(batches, 1):
        batch = synthetic_batch(lo, min(lo + args.batch_size, args.articles), args, entity_ids, lexicon)
        mentions += batch.mentions.height
        terms += batch.terms.height
        t = time.perf_counter()
        load_batch(ours, batch)
        t_ours += time.perf_counter() - t
        t = time.perf_counter()
        raw_insert(raw, batch)
        t_raw += time.perf_counter() - t
        if k % 10 == 0 or k == len(batches):
            print(f"  loaded {min(lo + args.batch_size, args.articles):>9,} articles "
                  f"(newswire {t_ours:6.1f} s, raw {t_raw:6.1f} s)", file=sys.stderr, flush=True)
    for con, which in ((ours, "ours"), (raw, "raw")):  # the last writes reach the file: counted
        t = time.perf_counter()
        con.execute("CHECKPOINT")
        if which == "ours":
            t_ours += time.perf_counter() - t
        else:
            t_raw += time.perf_counter() - t

    end = FIRST_DAY + timedelta(days=args.days - 1)
    params = {"start": FIRST_DAY, "end": end}
    t_trend, trend_rows = median_ms(ours, TREND_SQL, {**params, "names": TREND_ENTITIES}, args.repeats)
    t_scan, scan_rows = median_ms(ours, SCAN_SQL, {**params, "ids": first}, args.repeats)
    assert trend_rows == scan_rows, "trend() and the scan disagree"
    ours.close()
    raw.close()

    rate_ours, rate_raw = args.articles / t_ours, args.articles / t_raw
    size_ours, size_raw = ours_path.stat().st_size, raw_path.stat().st_size
    print(f"newswire warehouse benchmark: {args.articles:,} articles over {args.days} days, "
          f"{len(batches)} batches of {args.batch_size:,}; {mentions:,} entity mentions, {terms:,} term rows")
    print(f"{'':34}{'newswire':>16}{'baseline':>22}{'ratio':>9}   target")
    print(f"{'load rate (articles/s)':34}{rate_ours:>16,.0f}{rate_raw:>22,.0f}{rate_ours / rate_raw:>9.2f}   >= 0.5"
          f"   (baseline: raw Arrow INSERT ... SELECT)")
    print(f"{'trend: 3 entities, 2 years, week':34}{t_trend:>13.1f} ms{t_scan:>19.1f} ms{t_scan / t_trend:>8.0f}x"
          f"   >= 20x  (baseline: scan of entity_mentions; {len(trend_rows)} rows, same answer)")
    print(f"{'file size':34}{human_bytes(size_ours):>16}{human_bytes(size_raw):>22}"
          f"{size_ours / size_raw:>9.2f}            (baseline: the raw-insert file)")
    print(f"files in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
