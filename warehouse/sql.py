"""SQL as text, and the two ways loads hand work to it: input frames as views, and transactions.

Statements live in warehouse/statements/<owner>/<name>.sql, one folder per module that runs them
(load, identity, recompute, journal, check, partitions, crawl_state, migrate, db, trends, search).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

import duckdb
import polars as pl


@cache
def statement(name: str) -> str:
    """The text of warehouse/statements/<owner>/<name>.sql, named "owner/name"."""
    return (resources.files("warehouse") / "statements" / f"{name}.sql").read_text("utf-8")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """Each frame as a view of its keyword's name (through Arrow, no copy), dropped on the way out."""
    done: list[str] = []
    try:
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
            done.append(name)
        yield
    finally:
        for name in done:
            con.unregister(name)


# Connections inside a transaction() block now (by id; each entry goes when its block ends). DuckDB
# has no "in a transaction?" call, and a BEGIN inside one aborts the open transaction.
_OPEN: set[int] = set()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT when the block ends, or ROLLBACK when it raises (anything, interrupts too).
    Inside a transaction() block already (a lake load runs all of a group's statements in one), the
    block joins it: the outer one commits or rolls back."""
    if id(con) in _OPEN:
        yield con
        return
    con.begin()
    _OPEN.add(id(con))
    try:
        yield con
    except BaseException:
        _OPEN.discard(id(con))
        con.rollback()
        raise
    _OPEN.discard(id(con))
    con.commit()
