"""Loads in progress (table load_journal), and undoing a load that was killed before it committed.

DuckDB 1.5.5 can recover rows of a transaction that was killed while it committed: rows appended past a
row group (122,880 rows) are written to the file before commit and are merged back by WAL replay
(duckdb/duckdb#25931). So a load records what it is about to change before its transaction starts, and
that transaction deletes the record as it commits. A record found when no load runs (under the writer
lock) is a load that never committed; recover() removes what DuckDB may have kept of it and recomputes
the days it touched, in one transaction, before anything else loads. Its batch is still staged (staged
batches are removed only after their load commits), so the next load writes it again, cleanly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from transforms.entities import Lexicon
from warehouse.sql import registered, statement, transaction
from warehouse.recompute import install_lexicon, recompute_derived, refresh_daily, rederive


@dataclass(frozen=True, slots=True)
class LoadRun:
    """Who loads: the Prefect flow run and its mode (nightly, fetch, reextract), for the journal and
    for the partition rows a load writes."""

    run_id: str = "local"
    mode: str = "nightly"


def open_journal(con: duckdb.DuckDBPyConnection, run: LoadRun, plan: pl.DataFrame, touched: pl.DataFrame,
                 recompute_all: bool) -> str:
    """Record the load about to run (plan: article_id and action, what it inserts and updates;
    touched: the (day, source) keys it recomputes) in a transaction of its own; returns the row's id."""
    load_id = uuid.uuid4().hex
    with registered(con, journal_plan=plan.select("article_id", "action"),
                    journal_days=touched.select("day", "source_id")), transaction(con):
        con.execute(statement("journal/open_journal"), {"load_id": load_id, "run_id": run.run_id, "mode": run.mode,
                                                        "recompute_all": recompute_all})
    return load_id


def close_journal(con: duckdb.DuckDBPyConnection, load_id: str) -> None:
    """Delete the load's journal row: the last statement of the load's own transaction."""
    con.execute(statement("journal/close_journal"), {"load_id": load_id})


@dataclass(frozen=True, slots=True)
class Interrupted:
    load_id: str
    flow_run_id: str | None
    mode: str
    started_at: datetime
    recompute_all: bool
    inserted: int
    updated: int
    days: int


@dataclass
class Recovery:
    """What recover() undid: the interrupted loads and the (day, source) keys it recomputed."""

    loads: list[Interrupted] = field(default_factory=list)
    days: pl.DataFrame | None = None

    @property
    def run_ids(self) -> set[str]:
        return {x.flow_run_id for x in self.loads if x.flow_run_id}

    def summary(self) -> str:
        inserted = sum(x.inserted for x in self.loads)
        updated = sum(x.updated for x in self.loads)
        runs = ", ".join(sorted(self.run_ids)) or "unknown"
        return (f"{len(self.loads)} load(s) killed before they committed (flow run {runs}): rows recovered of "
                f"{inserted} article(s) they were inserting removed, {updated} they were replacing re-derived, "
                f"daily aggregates of {0 if self.days is None else self.days.height} (day, source) key(s) recomputed")


def interrupted_loads(con: duckdb.DuckDBPyConnection) -> list[Interrupted]:
    return [Interrupted(*row) for row in con.execute(statement("journal/interrupted_loads")).fetchall()]


def recover(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> Recovery | None:
    """Undo every interrupted load in one transaction (None if there is none). Call under the writer lock.

    Articles a load was inserting lose every row (none was committed); the mentions and terms of those
    it was replacing are derived again from their stored (committed) version, or, when the stored ones
    were computed with another lexicon than `lexicon`, left for the next load, which recomputes all
    of them; their other child rows keep the first row per key; the daily aggregates of its days are
    recomputed from the base tables, and those days get their partition row."""
    loads = interrupted_loads(con)
    if not loads:
        return None
    with transaction(con):
        days = con.execute(statement("journal/journal_days")).pl()
        updated = con.execute(statement("journal/journal_ids")).pl()
        con.execute(statement("journal/purge_journal_inserts"))
        con.execute(statement("journal/dedupe_journal_updates"))
        stored = con.execute(statement("recompute/lexicon_digest")).fetchall()
        if any(x.recompute_all for x in loads):
            install_lexicon(con, lexicon)
            recompute_derived(con, lexicon)  # every article, every day
        else:
            if stored and stored[0][0] == lexicon.digest:
                rederive(con, lexicon, updated)
            refresh_daily(con, days)
        last = loads[-1]
        con.execute(statement("partitions/insert_missing_partitions"),
                    {"start": None, "end": None, "mode": last.mode, "run_id": last.flow_run_id,
                     "note": f"articles stored by flow run {last.flow_run_id}, killed before it recorded this partition"})
        con.execute(statement("journal/clear_journal"))
    return Recovery(loads, days)
