"""Search for the CLI and SQL: the Python functions the search macros call, and the macros run with
every value a bound parameter."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import duckdb

from transforms.search_query import QuerySyntaxError, parse, plan_of
from transforms.search_text import matches_in_context, snippet
from warehouse.errors import QueryError
from warehouse.sql import statement

if TYPE_CHECKING:
    import polars as pl

_PLAN = duckdb.struct_type({
    "leaves": duckdb.list_type(duckdb.struct_type({"kind": "VARCHAR", "positive": "BOOLEAN",
                                                   "terms": duckdb.list_type("VARCHAR")})),
    "rpn": duckdb.list_type("INTEGER"),
})
_KWIC = duckdb.list_type(duckdb.struct_type({"field": "VARCHAR", "position": "INTEGER", "left": "VARCHAR",
                                             "match": "VARCHAR", "right": "VARCHAR"}))
_INTS = duckdb.list_type("INTEGER")


def _kwic(headline: str | None, body: str | None, hits: list[int] | None, context: int) -> list[dict]:
    return [{"field": m.field, "position": m.position, "left": m.left, "match": m.match, "right": m.right}
            for m in matches_in_context(headline, body, hits or [], int(context))]


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """The query parser and the snippet makers, as SQL functions of this connection (the search
    macros call them; they are pure Python in transforms/)."""
    con.create_function("search_plan", plan_of, ["VARCHAR"], _PLAN, side_effects=False)
    con.create_function("search_snippet", lambda h, b, hits, width: snippet(h, b, hits or [], int(width)),
                        ["VARCHAR", "VARCHAR", _INTS, "INTEGER"], "VARCHAR", null_handling="special")
    con.create_function("search_kwic", _kwic, ["VARCHAR", "VARCHAR", _INTS, "INTEGER"], _KWIC,
                        null_handling="special")


def check_query(query: str) -> None:
    """Raise QuerySyntaxError (one line naming the problem) before anything runs."""
    parse(query)


def search(con: duckdb.DuckDBPyConnection, query: str, *, start: date | None = None, end: date | None = None,
           source: str | None = None, lang: str | None = None, top_n: int = 50) -> pl.DataFrame:
    return _run(con, "search/search_query", query=query, start=start, end=end, source=source, lang=lang, top_n=top_n)


def kwic(con: duckdb.DuckDBPyConnection, query: str, *, context: int = 8, start: date | None = None,
         end: date | None = None, source: str | None = None, lang: str | None = None, top_n: int = 20) -> pl.DataFrame:
    return _run(con, "search/kwic_query", query=query, context=context, start=start, end=end, source=source, lang=lang,
                top_n=top_n)


def query_trend(con: duckdb.DuckDBPyConnection, queries: list[str], grain: str, start: date, end: date,
                source: str | None = None, dedupe: bool = False) -> pl.DataFrame:
    for query in queries:
        check_query(query)
    return _run(con, "search/query_trend_query", queries=list(queries), grain=grain, start=start, end=end, source=source,
                dedupe=dedupe)


def _run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    if "query" in params:
        check_query(params["query"])
    try:
        return con.execute(statement(name), params).pl()
    except duckdb.Error as exc:
        raise QueryError(f"search failed: {exc}") from exc


__all__ = ["QuerySyntaxError", "check_query", "kwic", "query_trend", "register_functions", "search"]
