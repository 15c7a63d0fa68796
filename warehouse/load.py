"""Load normalised batches and fetch outcomes into the warehouse: bulk via Arrow, idempotent, one transaction."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import duckdb
import polars as pl

from transforms.normalise import (
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
from warehouse.sql import registered as registered_frames
from warehouse.sql import statement, transaction
from warehouse.identity import find_copies, keep_first_seen_days, resolve
from warehouse.journal import LoadRun, close_journal, open_journal
from warehouse.recompute import install_lexicon, recompute_derived, refresh_daily
from warehouse.search_index import index_articles

# The frame record_fetches expects: one row per fetch attempt (mirrors schema/006_fetch_log.sql).
FETCH_LOG_SCHEMA: dict[str, pl.DataType] = {
    "url": pl.Utf8,
    "source_id": pl.Utf8,
    "fetched_at": pl.Datetime("us", "UTC"),  # any aware zone is accepted and converted to UTC
    "outcome": pl.Utf8,  # one of FETCH_OUTCOMES
    "http_status": pl.Int32,
    "bytes": pl.Int64,
    "elapsed_ms": pl.Float64,
    "reason": pl.Utf8,
    "run_id": pl.Utf8,
}
FETCH_OUTCOMES = frozenset({"ok", "not-modified", "soft", "hard", "transient"})

# Child frames and the columns that identify one of their rows.
_CHILD_KEYS = {
    "sections": ("article_id", "section_index"),
    "categories": ("article_id", "position"),
    "links": ("article_id", "position"),
    "mentions": ("article_id", "entity_id", "section_index"),
    "terms": ("article_id", "term"),
    "signatures": ("article_id",),
    "bands": ("article_id", "band"),
}


@dataclass(frozen=True, slots=True)
class LoadReport:
    inserted: int
    updated: int
    unchanged: int
    recomputed: int = 0  # stored articles whose mentions and terms were redone for a new lexicon
    merged: int = 0  # articles of the batch that were renditions or copies of another one
    duplicates: int = 0  # new articles found to be near-copies of another source's


def load_batch(con: duckdb.DuckDBPyConnection, batch: NormalisedBatch, run: LoadRun | None = None) -> LoadReport:
    """Insert new articles, update changed ones (keeping the replaced version in article_versions
    and replacing their child rows), leave the rest untouched; then recompute the daily aggregates
    of the (day, source) keys that changed. All in one transaction. Child frames hold one row per
    key and article, as normalise() makes them; an article given twice keeps its last row per key.

    When the batch was normalised with another lexicon (gazetteer, stop words) than the stored
    mentions were, every stored article's mentions and terms are recomputed with the batch's
    lexicon too, in the same transaction, so that counts never mix two gazetteers.

    Crash safety: a load that changes anything first records what it will change in load_journal
    (committed on its own), and its transaction deletes that row, so a load killed before it
    committed is found and undone by the next one (warehouse/journal.py). Child rows are deleted by
    article before they are inserted, for new articles too, so rows a killed load left behind are
    replaced, never doubled. Days that receive articles and have no ingest_partitions row get a
    'pending' one naming the run (run: its flow run id and mode)."""
    recomputed = 0
    batch = _conformed(batch)  # a malformed frame fails here, before the warehouse is touched
    run = run or LoadRun()
    registered: list[str] = []

    def register(name: str, frame: pl.DataFrame) -> None:
        con.register(name, frame.to_arrow())
        registered.append(name)

    try:
        # Resolved and planned before the transaction (reads only), so that the journal can say what
        # the load will change; one process holds the file and runs this connection's statements in
        # turn, so nothing writes in between.
        batch, merged = resolve(con, batch)
        batch = keep_first_seen_days(con, batch)
        articles = batch.articles
        children = {name: getattr(batch, name) for name in _CHILD_KEYS}
        register("batch_articles", articles)
        plan = con.execute(statement("load/load_plan")).pl()
        register("load_plan", plan)
        actions = set(plan["action"].to_list())
        stored = con.execute(statement("recompute/lexicon_digest")).fetchall()
        lexicon_changed = not stored or stored[0][0] != batch.lexicon.digest
        recompute_all = lexicon_changed and con.execute(statement("recompute/stored_article_count")).fetchone()[0] > 0
        touched = con.execute(statement("load/touched_days")).pl()
        copies = find_copies(con, batch, plan)
        journal = open_journal(con, run, plan, touched, recompute_all) if actions - {"unchanged"} or lexicon_changed \
            else None
        con.begin()
        try:
            if lexicon_changed:
                install_lexicon(con, batch.lexicon)
            if actions - {"unchanged"}:
                changed = plan.filter(pl.col("action") != "unchanged")["article_id"]
                for name, frame in children.items():
                    register(f"changed_{name}", frame if actions == {"insert"}
                             else frame.filter(pl.col("article_id").is_in(changed.implode())))
                if "update" in actions:
                    con.execute(statement("load/archive_versions"))
                    con.execute(statement("load/merge_articles"))
                con.execute(statement("load/delete_children"))  # new articles too: see the docstring
                con.execute(statement("load/insert_articles"))
                con.execute(statement("load/insert_children"))
                index_articles(con, articles.filter(pl.col("article_id").is_in(changed.implode())))
                if not copies.is_empty():
                    with registered_frames(con, batch_duplicates=copies):
                        con.execute(statement("load/insert_duplicates"))
                if not recompute_all:
                    refresh_daily(con, touched)
            with registered_frames(con, batch_urls=batch.urls):
                con.execute(statement("load/insert_article_urls"))
            if recompute_all:
                recomputed = recompute_derived(con, batch.lexicon)
            con.execute(statement("load/load_partitions"), {"run_id": run.run_id, "mode": run.mode})
            if journal is not None:
                close_journal(con, journal)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    finally:
        for name in registered:
            con.unregister(name)

    counts = dict(plan.group_by("action").len().iter_rows())
    return LoadReport(
        inserted=counts.get("insert", 0),
        updated=counts.get("update", 0),
        unchanged=counts.get("unchanged", 0),
        recomputed=recomputed,
        merged=merged,
        duplicates=copies.height,
    )


def _conformed(batch: NormalisedBatch) -> NormalisedBatch:
    """The batch's frames in their exact schemas; an article given twice keeps its last rows."""
    articles = _conform(batch.articles, ARTICLES_SCHEMA, "articles")
    repeated = articles.filter(pl.col("article_id").is_duplicated())["article_id"].unique()
    articles = articles.unique("article_id", keep="last", maintain_order=True) if repeated.len() else articles
    children = {
        "sections": _conform(batch.sections, SECTIONS_SCHEMA, "sections"),
        "categories": _conform(batch.categories, CATEGORIES_SCHEMA, "categories"),
        "links": _conform(batch.links, LINKS_SCHEMA, "links"),
        "mentions": _conform(batch.mentions, MENTIONS_SCHEMA, "mentions"),
        "terms": _conform(batch.terms, TERMS_SCHEMA, "terms"),
        "signatures": _conform(batch.signatures, SIGNATURES_SCHEMA, "signatures"),
        "bands": _conform(batch.bands, BANDS_SCHEMA, "bands"),
    }
    if repeated.len():  # an article given twice: per child key, its last row wins
        children = {name: _dedupe(frame, repeated, _CHILD_KEYS[name]) for name, frame in children.items()}
    return dataclasses.replace(batch, articles=articles, urls=_conform(batch.urls, URLS_SCHEMA, "urls"), **children)


def record_fetches(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> int:
    """Append fetch attempts to fetch_log; returns how many were new (already-logged ones are skipped)."""
    fetched_at = frame.schema.get("fetched_at")
    if isinstance(fetched_at, pl.Datetime) and fetched_at.time_zone is None:
        raise ValueError("fetch frame: fetched_at must be time-zone aware (UTC preferred)")
    if "fetched_at" in frame.columns and isinstance(fetched_at, pl.Datetime):
        frame = frame.with_columns(pl.col("fetched_at").dt.convert_time_zone("UTC"))
    frame = _conform(frame, FETCH_LOG_SCHEMA, "fetch").unique(maintain_order=True)
    unknown = set(frame["outcome"].unique().to_list()) - FETCH_OUTCOMES
    if unknown:
        raise ValueError(
            f"fetch frame: unknown outcome(s) {sorted(map(str, unknown))}; "
            f"expected one of {sorted(FETCH_OUTCOMES)}"
        )

    with registered_frames(con, batch_fetches=frame), transaction(con):
        inserted = con.execute(statement("load/insert_fetch_log")).fetchone()[0]
    return int(inserted)


def _dedupe(frame: pl.DataFrame, repeated: pl.Series, key: tuple[str, ...]) -> pl.DataFrame:
    """Rows of the repeated articles made unique per key (the last wins); other rows as they are.
    normalise() never repeats an article, so this only runs for hand-assembled batches."""
    mask = pl.col("article_id").is_in(repeated.implode())
    return pl.concat([frame.filter(~mask), frame.filter(mask).unique(list(key), keep="last", maintain_order=True)])


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    """Exactly the schema's columns, in its order and dtypes; a missing or extra column is an error."""
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise ValueError(f"{what} frame: missing columns {missing}, unexpected columns {extra}")
    return frame.select([pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()])
