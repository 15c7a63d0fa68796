"""Recompute derived rows (entity mentions, terms) and the daily aggregates from the stored articles."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from transforms.entities import Lexicon, default_lexicon, entities_frame
from transforms.normalise import derive
from warehouse.db import statement
from warehouse.search_index import rebuild_index

# Articles re-derived per chunk: bounds memory (one chunk's texts are held in Polars at a time).
RECOMPUTE_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class RecomputeReport:
    articles: int
    mentions: int  # entity_mentions rows after the recompute
    terms: int  # article_terms rows after the recompute
    lexicon_digest: str


def recompute(con: duckdb.DuckDBPyConnection, lexicon: Lexicon | None = None) -> RecomputeReport:
    """Redo every stored article's mentions and terms with the lexicon (default: the one in
    seeds/), install its entities, rebuild all daily aggregates and the search index; one transaction."""
    lexicon = lexicon or default_lexicon()
    con.begin()
    try:
        install_lexicon(con, lexicon)
        articles = recompute_derived(con, lexicon)
        rebuild_index(con)
        mentions = con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]
        terms = con.execute("SELECT count(*) FROM article_terms").fetchone()[0]
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return RecomputeReport(articles, mentions, terms, lexicon.digest)


def stored_lexicon_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(statement("lexicon_digest")).fetchall()
    return rows[0][0] if rows else None


def install_lexicon(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> None:
    """Replace the entities table and the lexicon_state row (inside the caller's transaction)."""
    con.register("batch_entities", entities_frame(lexicon.matcher.gazetteer).to_arrow())
    try:
        con.execute(statement("replace_lexicon"), {"digest": lexicon.digest})
    finally:
        con.unregister("batch_entities")


def recompute_derived(con: duckdb.DuckDBPyConnection, lexicon: Lexicon,
                      chunk: int = RECOMPUTE_CHUNK) -> int:
    """Empty and refill entity_mentions and article_terms from the stored clean texts, then
    rebuild every daily aggregate (inside the caller's transaction). Returns articles redone."""
    con.execute(statement("clear_derived"))
    ids = con.execute(statement("article_ids")).pl()
    for start in range(0, ids.height, chunk):
        con.register("recompute_ids", ids.slice(start, chunk).to_arrow())
        try:
            articles = con.execute(statement("recompute_articles")).pl()
            sections = con.execute(statement("recompute_sections")).pl()
        finally:
            con.unregister("recompute_ids")
        mentions, terms = derive(articles, sections, lexicon)
        con.register("derived_mentions", mentions.to_arrow())
        con.register("derived_terms", terms.to_arrow())
        try:
            con.execute(statement("insert_derived"))
        finally:
            con.unregister("derived_mentions")
            con.unregister("derived_terms")
    refresh_daily(con, con.execute(statement("all_days")).pl())
    return ids.height


def refresh_daily(con: duckdb.DuckDBPyConnection, touched: pl.DataFrame) -> None:
    """Recompute the daily aggregates of the (day, source_id) keys in touched from the base tables."""
    if touched.height == 0:
        return
    con.register("touched", touched.select("day", "source_id").to_arrow())
    try:
        con.execute(statement("refresh_daily"))
    finally:
        con.unregister("touched")
