"""The search index (search_docs, search_postings), kept in step with articles inside each load's transaction."""

from __future__ import annotations

import duckdb
import polars as pl

from transforms.search_text import TOKENIZER_VERSION, index_rows
from warehouse.sql import registered, statement

# The article columns the index is made from.
COLUMNS = ("article_id", "content_hash", "published_day", "source_id", "language", "headline_clean", "body_clean")
# Articles a rebuild reads and tokenises at once: bounds its memory. Reading a million articles at
# once and tokenising 100,000 at a time was killed for want of memory at 19 GB (DuckDB's buffer
# pool takes its share too); each part's postings are one sorted run in search_postings.
REBUILD_CHUNK = 50_000


def index_articles(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame) -> int:
    """(Re)index the articles a load inserted or updated (a frame with COLUMNS), inside the caller's
    transaction, so they are searchable exactly when the load commits. A warehouse whose index is not
    built yet, or was built with another tokenizer, is indexed whole instead. Returns articles indexed."""
    if con.execute(statement("search/search_state")).fetchone()[0] != TOKENIZER_VERSION:
        return rebuild_index(con)
    if articles.height:
        _add(con, articles.select(COLUMNS))
    return articles.height


def rebuild_index(con: duckdb.DuckDBPyConnection, chunk: int = REBUILD_CHUNK) -> int:
    """Index every stored article afresh (inside the caller's transaction), dropping the postings of
    replaced versions. Returns articles indexed."""
    stored = con.execute(statement("recompute/stored_article_count")).fetchone()[0]
    parts = max(1, -(-stored // chunk))
    con.execute(statement("search/search_clear"))
    for part in range(parts):  # each part scans the articles again; it holds only its own texts
        _add(con, con.execute(statement("search/search_source"), {"parts": parts, "part": part}).pl())
    con.execute(statement("search/search_set_state"), {"tokenizer": TOKENIZER_VERSION})
    return stored


def index_state(con: duckdb.DuckDBPyConnection) -> str | None:
    """None when the index covers the stored articles; else what to do about it."""
    tokenizer = con.execute(statement("search/search_state")).fetchone()[0]
    if tokenizer == TOKENIZER_VERSION:
        return None
    return ("the search index is not built yet" if tokenizer is None else
            f"the search index was built with tokenizer {tokenizer}, not {TOKENIZER_VERSION}")


def _add(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame) -> None:
    docs, postings = index_rows(articles)
    with registered(con, search_new_docs=docs, search_new_postings=postings):
        con.execute(statement("search/search_add"))

