"""Which stored story is each article of a batch? Renditions, canonicals and exact copies merge.

normalise() names every article by the story key of the URL it was fetched from, which already
makes http/https, www./m., AMP, index.html, trailing-slash and tracking-parameter renditions of
one page one article. What a single page cannot know is decided here, against the warehouse and
the rest of the batch, in one place:

1. a URL (fetched or asked for) whose story key is already in article_urls is that article;
2. a same-site rel=canonical whose key is known, or shared with another article of the batch, is
   that article when the headlines agree (a sloppy site's catch-all canonical does not merge
   different stories: their headlines differ);
3. the same text (content_hash) in the same source under another URL is that article.

Each group of articles that are one story gets one id: the stored article's if there is one,
else the id of the page the others name as canonical, else the smallest. The batch's rows are
rewritten to that id, keeping every URL seen (so no rendition is fetched again) and one
article's content per story: for a stored story only a page fetched again under one of its own
URLs may change it (a print or AMP rendition found through its canonical adds its URL, never
its text); for a new story, the page the others name as canonical, else the last.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime, timezone

import duckdb
import polars as pl

from transforms import neardup
from transforms.normalise import NormalisedBatch
from warehouse.sql import registered, statement


class _Groups:
    """Union-find over article ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _same_headline(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a.casefold() == b.casefold()


def resolve(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch) -> tuple[NormalisedBatch, int]:
    """(the batch with every article named by the story it is, articles merged into another).

    Runs inside the load's transaction, so what it reads is what the load writes against."""
    articles = batch.articles
    if articles.is_empty():
        return batch, 0
    with registered(con, batch_articles=articles, batch_urls=batch.urls):
        by_url = con.execute(statement("identity/identity_by_url")).fetchall()
        by_content = con.execute(statement("identity/identity_by_content")).fetchall()
    headline = dict(zip(articles["article_id"], articles["headline_clean"]))
    groups, stored, same_page = _Groups(), set(), set()
    for aid in articles["article_id"]:
        groups.find(aid)
    for batch_id, stored_id, kind, stored_headline in by_url:
        if kind != "canonical" or _same_headline(headline.get(batch_id), stored_headline):
            groups.union(batch_id, stored_id)
            stored.add(stored_id)
            if kind != "canonical":
                same_page.add(batch_id)  # fetched again under a URL of the stored article
    for batch_id, stored_id in by_content:
        groups.union(batch_id, stored_id)
        stored.add(stored_id)
    named_as_canonical = set()
    owner = {}  # url_key -> article of the batch fetched (or asked for) under it
    for aid, key, kind in batch.urls.select("article_id", "url_key", "kind").iter_rows():
        if kind != "canonical":
            if key in owner:
                groups.union(aid, owner[key])
            owner.setdefault(key, aid)
    for aid, key, kind in batch.urls.select("article_id", "url_key", "kind").iter_rows():
        if kind == "canonical" and key in owner and _same_headline(headline.get(aid), headline.get(owner[key])):
            groups.union(aid, owner[key])
            named_as_canonical.add(owner[key])
    first_of_content: dict[tuple, str] = {}
    for aid, source, digest in articles.select("article_id", "source_id", "content_hash").iter_rows():
        key = (source, digest)
        if key in first_of_content:
            groups.union(aid, first_of_content[key])
        first_of_content.setdefault(key, aid)

    component: dict[str, list[str]] = {}  # root -> every id in it, stored ones included
    for x in list(groups.parent):
        component.setdefault(groups.find(x), []).append(x)
    in_batch = set(articles["article_id"])
    target, keep, merged = {}, {}, 0
    for everyone in component.values():
        ids = [x for x in everyone if x in in_batch]
        if not ids:
            continue
        known = sorted(x for x in everyone if x in stored)
        chosen = known[0] if known else min((x for x in ids if x in named_as_canonical), default=min(ids))
        target.update(dict.fromkeys(ids, chosen))
        if not known:
            keep[chosen] = chosen if chosen in ids else ids[-1]
        elif pages := [x for x in ids if x in same_page]:
            keep[chosen] = chosen if chosen in pages else pages[-1]
        merged += len(ids) - (1 if chosen in keep else 0)
    if all(target.get(a, a) == a for a in in_batch) and len(keep) == len(in_batch):
        return batch, 0
    mapping = pl.DataFrame({"article_id": list(target), "_target": list(target.values())},
                           schema={"article_id": pl.Utf8, "_target": pl.Utf8})
    kept = pl.DataFrame({"article_id": list(keep.values())}, schema={"article_id": pl.Utf8})
    out = {}
    for f in fields(batch):
        frame = getattr(batch, f.name)
        if not isinstance(frame, pl.DataFrame) or "article_id" not in frame.columns:
            continue
        if f.name != "urls":  # every URL seen is kept; of the rest, one article's rows per story
            frame = frame.join(kept, on="article_id", how="semi")
        out[f.name] = (frame.join(mapping, on="article_id", how="left")
                       .with_columns(pl.coalesce("_target", "article_id").alias("article_id"))
                       .drop("_target"))
    out["urls"] = out["urls"].unique("url", keep="first", maintain_order=True)
    return replace(batch, **out), merged


def keep_first_seen_days(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch) -> NormalisedBatch:
    """An undated article stays on the day it was first fetched: a later fetch or re-extraction
    (whose fallback day is today, or the archive's) gives it the stored day, children included."""
    undated = batch.articles.filter(pl.col("day_source") == "fetched").select("article_id")
    if undated.is_empty():
        return batch
    with registered(con, batch_undated=undated):
        stored = con.execute(statement("identity/stored_days")).pl()
    if stored.is_empty():
        return batch
    out = {}
    for f in fields(batch):
        frame = getattr(batch, f.name)
        if isinstance(frame, pl.DataFrame) and "published_day" in frame.columns:
            cols = ["published_day", "day_source"] if "day_source" in frame.columns else ["published_day"]
            joined = frame.join(stored.rename({c: f"_{c}" for c in cols}), on="article_id", how="left")
            out[f.name] = joined.with_columns(
                [pl.coalesce(f"_{c}", c).alias(c) for c in cols]).drop([f"_{c}" for c in cols])
    return replace(batch, **out)


DUPLICATES_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8, "duplicate_of": pl.Utf8, "similarity": pl.Float64, "method": pl.Utf8,
}
_LAST = datetime.max.replace(tzinfo=timezone.utc)


def find_copies(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch, plan: pl.DataFrame) -> pl.DataFrame:
    """article_duplicates rows (DUPLICATES_SCHEMA) for the articles the load will insert (plan
    action 'insert') that are near-copies of another source's earlier article: stored, or new in
    this batch and published earlier (then the smaller id). A copy points at its story's first
    article, never at another copy; the likeliest candidate wins.

    Reads only what is committed, before the load writes: DuckDB plans a join over rows a
    transaction has not committed yet without statistics, and the band join then took minutes."""
    new = plan.filter(pl.col("action") == "insert").select("article_id")
    bands = batch.bands.join(new, on="article_id", how="semi")
    if bands.is_empty():
        return pl.DataFrame(schema=DUPLICATES_SCHEMA)
    with registered(con, batch_bands=bands):
        stored = con.execute(statement("identity/duplicate_candidates")).pl()
    mine = batch.signatures.join(new, on="article_id", how="semi")
    signature = dict(zip(mine["article_id"], mine["minhash"]))
    source = dict(zip(mine["article_id"], mine["source_id"]))
    published = dict(zip(batch.articles["article_id"], batch.articles["published_at"]))
    now = datetime.now(timezone.utc)
    # (copy, other) -> (similarity, other's first stored, other's published, story the other is in)
    candidates: dict[tuple[str, str], tuple] = {}
    for r in stored.iter_rows(named=True):
        if r["other_source"] != source.get(r["copy_id"]) and r["copy_id"] in signature:
            sim = neardup.similarity(signature[r["copy_id"]], r["other_minhash"])
            if sim >= neardup.DUPLICATE_THRESHOLD:
                candidates[(r["copy_id"], r["other_id"])] = (sim, r["other_first_seen"], r["other_published"],
                                                             r["other_duplicate_of"])
    # New articles of this batch that share a bucket with each other (another source's).
    pairs = bands.join(bands, on=["band", "bucket"], suffix="_other").filter(
        pl.col("article_id") != pl.col("article_id_other")).select("article_id", "article_id_other").unique()
    for copy_id, other_id in pairs.iter_rows():
        if source[copy_id] != source[other_id] and _before(published[other_id], other_id,
                                                           published[copy_id], copy_id):
            sim = neardup.similarity(signature[copy_id], signature[other_id])
            if sim >= neardup.DUPLICATE_THRESHOLD:
                candidates[(copy_id, other_id)] = (sim, now, published[other_id], None)
    story: dict[str, str] = {}  # copy -> first article of its story, as decided in this load
    found = []
    for copy_id in sorted({c for c, _ in candidates}, key=lambda c: (published[c] or _LAST, c)):
        best = None
        for (c, other_id), (sim, first_seen, other_published, other_story) in candidates.items():
            if c != copy_id:
                continue
            rank = (-sim, first_seen, other_published or _LAST, other_id)
            if best is None or rank < best[0]:
                best = (rank, story.get(other_id) or other_story or other_id, sim)
        story[copy_id] = best[1]
        found.append({"article_id": copy_id, "duplicate_of": best[1], "similarity": best[2],
                      "method": neardup.METHOD})
    return pl.DataFrame(found, schema=DUPLICATES_SCHEMA)


def _before(a_published, a_id, b_published, b_id) -> bool:
    return (a_published or _LAST, a_id) < (b_published or _LAST, b_id)
