"""The warehouse's invariants, checked and repaired from the warehouse itself (`newswire check`).

Invariants: no load left half-done (load_journal empty); every child and derived row has its article;
no natural key twice in any table; every daily aggregate equals its recomputation from the base tables;
every (day, source) that holds articles has its ingest_partitions row. The aggregates are compared by
recomputing them with the loads' own statement (refresh_daily.sql) inside a transaction and comparing
with a copy of the stored rows; check() then rolls back, repair() commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from transforms.entities import Lexicon
from warehouse.sql import registered, statement, transaction
from warehouse.journal import interrupted_loads, recover
from warehouse.recompute import refresh_daily

# What a count means, per invariant: "<invariant>: <table>: <count> <meaning>".
MEANING = {
    "interrupted loads": "load(s) killed before they committed; rows DuckDB recovered of them may be stored",
    "orphans": "row(s) whose article is not in articles",
    "duplicate keys": "row(s) repeating a natural key already stored",
    "aggregate differs": "row(s) differ from their recomputation from the base tables",
    "missing partition rows": "(day, source) key(s) hold articles but have no partition row",
}
REPAIR_NOTE = "written by newswire check --repair: these articles were stored without a partition row"


@dataclass(frozen=True, slots=True)
class Violation:
    invariant: str
    table: str
    rows: int

    def line(self) -> str:
        return f"{self.invariant}: {self.table}: {self.rows} {MEANING[self.invariant]}"


def check(con: duckdb.DuckDBPyConnection, start: date | None = None, end: date | None = None) -> list[Violation]:
    """Every violated invariant with its count (aggregates and partitions of start..end only, when
    given); changes nothing."""
    found = _journal(con) + _rows(con)
    con.begin()
    try:
        found += _aggregates(con, start, end)
    finally:
        con.rollback()
    return found + _partitions(con, start, end)


def repair(con: duckdb.DuckDBPyConnection, lexicon: Lexicon, start: date | None = None,
           end: date | None = None) -> list[Violation]:
    """Fix what the warehouse itself can: undo interrupted loads (warehouse/journal.py), delete
    orphans, keep the first stored row of each duplicated key, recompute the daily aggregates (of
    start..end, and of every key stored twice), write missing partition rows ('pending'). Returns
    what it found and fixed. The interrupted loads are undone in a transaction of their own, then
    everything else in one transaction."""
    fixed = _journal(con)
    if fixed:
        recover(con, lexicon)
    with transaction(con):
        fixed += _rows(con)
        con.execute(statement("check/repair_rows"))
        fixed += _aggregates(con, start, end)
        fixed += _partitions(con, start, end)
        con.execute(statement("partitions/insert_missing_partitions"),
                    {"start": start, "end": end, "mode": "repair", "run_id": None, "note": REPAIR_NOTE})
    return fixed


def _journal(con) -> list[Violation]:
    loads = interrupted_loads(con)
    return [Violation("interrupted loads", "load_journal", len(loads))] if loads else []


def _rows(con) -> list[Violation]:
    return [Violation(*row) for row in con.execute(statement("check/check_rows")).fetchall() if row[2]]


def _aggregates(con, start: date | None, end: date | None) -> list[Violation]:
    """Recompute the aggregates of the keys in range (inside the caller's transaction) and count the
    rows that changed."""
    keys = con.execute(statement("check/daily_keys"), {"start": start, "end": end}).pl()
    if keys.height == 0:
        return []
    with registered(con, touched=keys):
        con.execute(statement("check/snapshot_daily"))
    refresh_daily(con, keys)
    with registered(con, touched=keys):
        rows = con.execute(statement("check/compare_daily")).fetchall()
        con.execute(statement("check/drop_daily_snapshot"))
    return [Violation(*row) for row in rows if row[2]]


def _partitions(con, start: date | None, end: date | None) -> list[Violation]:
    missing = con.execute(statement("check/missing_partitions"), {"start": start, "end": end}).pl()
    return [Violation("missing partition rows", "ingest_partitions", missing.height)] if missing.height else []


def days_of(frame: pl.DataFrame) -> tuple[date | None, date | None]:
    """The first and last day of a frame of (day, source_id) keys, for a check of those days."""
    return (frame["day"].min(), frame["day"].max()) if frame is not None and frame.height else (None, None)
