"""Open the DuckDB warehouse file, translating DuckDB's open errors into our own, and migrate it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.errors import WarehouseCorrupt, WarehouseError, WarehouseLocked, WarehouseMissing
from warehouse.migrate import apply_migrations
from warehouse.sql import statement

# Substrings of DuckDB's error messages (1.5.x) that identify the two common open failures.
_LOCK_MARKERS = ("could not set lock", "conflicting lock")
_CORRUPT_MARKERS = ("not a valid duckdb database", "corrupt")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating parent folders), set the session to UTC and, unless read-only, migrate."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        con.execute(statement("db/session_settings"))
        register_functions(con)
        if not read_only:
            apply_migrations(con)
    except BaseException:
        con.close()
        raise
    return con


def _story_key(url: str) -> str | None:
    from transforms.urls import BadUrl, story_key

    try:
        return story_key(url)
    except BadUrl:
        return None


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Python functions the schema files, loads and macros call from SQL, defined once in Python:
    story_key(url) (transforms.urls.story_key; NULL for a URL that is not http(s)), hint_priority(source)
    (transforms.feeds.hint_rank: how much a date hint's source says, 0 = best), and the search
    macros' query parser and snippets (warehouse.search)."""
    from duckdb.sqltypes import INTEGER, VARCHAR

    from transforms.feeds import hint_rank

    from warehouse.search import register_functions as register_search_functions

    con.create_function("story_key", _story_key, [VARCHAR], VARCHAR, side_effects=False)
    con.create_function("hint_priority", hint_rank, [VARCHAR], INTEGER, null_handling="special", side_effects=False)
    register_search_functions(con)




def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """The one place that interprets DuckDB's errors on opening a file."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        detail = str(exc)
        lowered = detail.lower()
        if any(marker in lowered for marker in _LOCK_MARKERS):
            raise WarehouseLocked(path, detail) from exc
        if any(marker in lowered for marker in _CORRUPT_MARKERS):
            raise WarehouseCorrupt(path, detail) from exc
        raise WarehouseError(f"Could not open warehouse {path}: {detail}") from exc
