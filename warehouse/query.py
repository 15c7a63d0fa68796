"""Ad-hoc SQL against the warehouse, and a readable text table for `newswire sql`."""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.errors import QueryError

# Longest text shown in one cell before it is cut with "…"; chosen to keep a few columns on screen.
MAX_CELL_CHARS = 60
# Items shown of a list cell (authors, paragraphs) before "…".
MAX_LIST_ITEMS = 4


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    """Run one statement (or a script; the last statement's result is returned) as a Polars frame."""
    try:
        relation = con.sql(sql)
        return relation.pl() if relation is not None else pl.DataFrame()
    except duckdb.Error as exc:
        raise QueryError(f"Query failed: {exc}") from exc


def format_table(df: pl.DataFrame, max_rows: int = 50) -> str:
    """A box-drawn table of the first max_rows rows: Unicode kept, long text cut, newlines shown as ⏎."""
    if df.width == 0:
        return "(no result)"
    shown = df.head(max_rows).with_columns(
        pl.col(pl.Utf8).str.replace_all(r"\r\n|\r|\n", " ⏎ ")
    )
    with pl.Config(
        tbl_rows=max_rows,
        tbl_cols=-1,
        tbl_width_chars=32_000,  # Polars' maximum: never wrap; cells are already cut to MAX_CELL_CHARS
        fmt_str_lengths=MAX_CELL_CHARS,
        fmt_table_cell_list_len=MAX_LIST_ITEMS,
        tbl_hide_dataframe_shape=True,
        tbl_formatting="UTF8_FULL_CONDENSED",
    ):
        table = str(shown)
    if df.height > max_rows:
        footer = f"{max_rows} of {df.height} rows shown"
    else:
        footer = f"{df.height} row" + ("" if df.height == 1 else "s")
    return f"{table}\n{footer}"
