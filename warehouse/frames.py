"""Polars frames as DuckDB views for the length of a block: how loads hand their inputs to SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import polars as pl


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
