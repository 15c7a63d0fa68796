"""Recompute derived rows (entity mentions, terms) and the daily aggregates from the stored articles."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from transforms.entities import Lexicon, entities_frame
from transforms.normalise import derive, signature_frames
from warehouse.sql import registered, statement, transaction
from warehouse.search_index import rebuild_index

# Articles re-derived per chunk: bounds memory (one chunk's texts are held in Polars at a time).
RECOMPUTE_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class RecomputeReport:
    articles: int
    mentions: int  # entity_mentions rows after the recompute
    terms: int  # article_terms rows after the recompute
    lexicon_digest: str


def recompute(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> RecomputeReport:
    """Redo every stored article's mentions and terms with the lexicon, install its entities, rebuild
    all daily aggregates and the search index; one transaction."""
    from warehouse.journal import LoadRun, close_journal, open_journal  # journal.py imports this module

    from warehouse.lake import is_lake

    # Journaled like a load: killed in its commit, it may leave rows DuckDB recovers (warehouse/journal.py).
    # On a lake a commit lands whole or not at all, and the version bump makes a racing load retry after it.
    lake = is_lake(con)
    journal = None if lake else open_journal(con, LoadRun(mode="recompute"), pl.DataFrame({"article_id": [], "action": []},
                           schema={"article_id": pl.Utf8, "action": pl.Utf8}),
                           pl.DataFrame({"day": [], "source_id": []}, schema={"day": pl.Date, "source_id": pl.Utf8}),
                           recompute_all=True)
    with transaction(con):
        if lake:
            con.execute(statement("load/bump_version"))
        install_lexicon(con, lexicon)
        articles = recompute_derived(con, lexicon)
        rebuild_index(con)
        mentions = con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]
        terms = con.execute("SELECT count(*) FROM article_terms").fetchone()[0]
        if journal is not None:
            close_journal(con, journal)
    return RecomputeReport(articles, mentions, terms, lexicon.digest)


def stored_lexicon_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(statement("recompute/lexicon_digest")).fetchall()
    return rows[0][0] if rows else None


def install_lexicon(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> None:
    """Replace the entities table and the lexicon_state row (inside the caller's transaction)."""
    with registered(con, batch_entities=entities_frame(lexicon.matcher.gazetteer)):
        con.execute(statement("recompute/replace_lexicon"), {"digest": lexicon.digest})


def recompute_derived(con: duckdb.DuckDBPyConnection, lexicon: Lexicon,
                      chunk: int = RECOMPUTE_CHUNK) -> int:
    """Empty and refill entity_mentions and article_terms from the stored clean texts, and the
    near-duplicate signatures from the stored bodies, then rebuild every daily aggregate (inside
    the caller's transaction). Returns articles redone."""
    con.execute(statement("recompute/clear_derived"))
    ids = con.execute(statement("recompute/article_ids")).pl()
    for start in range(0, ids.height, chunk):
        with registered(con, recompute_ids=ids.slice(start, chunk)):
            articles = con.execute(statement("recompute/recompute_articles")).pl()
            sections = con.execute(statement("recompute/recompute_sections")).pl()
        mentions, terms = derive(articles, sections, lexicon)
        signatures, bands = signature_frames(articles)
        with registered(con, derived_mentions=mentions, derived_terms=terms, derived_signatures=signatures,
                        derived_bands=bands):
            con.execute(statement("recompute/insert_derived"))
    rebuild_daily(con)
    return ids.height


def rederive(con: duckdb.DuckDBPyConnection, lexicon: Lexicon, ids: pl.DataFrame) -> int:
    """Derive the mentions and terms of the articles in ids (column article_id) again from their stored
    headline and sections, replacing their rows (inside the caller's transaction). Returns articles redone."""
    if ids.height == 0:
        return 0
    with registered(con, recompute_ids=ids.select("article_id")):
        articles = con.execute(statement("recompute/recompute_articles")).pl()
        sections = con.execute(statement("recompute/recompute_sections")).pl()
        con.execute(statement("recompute/delete_derived"))
    mentions, terms = derive(articles, sections, lexicon)
    signatures, bands = signature_frames(articles)
    with registered(con, derived_mentions=mentions, derived_terms=terms, derived_signatures=signatures,
                    derived_bands=bands):
        con.execute(statement("recompute/insert_derived"))
    return articles.height


def rebuild_daily(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the daily aggregates of every day (inside the caller's transaction)."""
    refresh_daily(con, con.execute(statement("recompute/all_days")).pl())


def refresh_daily(con: duckdb.DuckDBPyConnection, touched: pl.DataFrame) -> None:
    """Recompute the daily aggregates of the (day, source_id) keys in touched from the base tables."""
    if touched.height == 0:
        return
    with registered(con, touched=touched.select("day", "source_id")):
        con.execute(statement("recompute/refresh_daily"))
