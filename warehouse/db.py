"""Open the warehouse (a DuckDB file, or a DuckLake: warehouse/lake.py), translating DuckDB's open
errors into our own, and migrate it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from warehouse.errors import MigrationError, WarehouseCorrupt, WarehouseError, WarehouseLocked, WarehouseMissing
from warehouse.lake import LakeTarget, as_lake, is_lake_url, open_lake, session_macros
from warehouse.migrate import apply_migrations
from warehouse.sql import statement

# DuckDB's share of the machine's memory. Its default, 80%, assumes DuckDB is alone in the process;
# ours also holds Polars frames (a batch, a part of an index rebuild): rebuilding the search index of
# 1,000,000 articles in one transaction was OOM-killed at 22 GB of 24 GB with the default.
MEMORY_SHARE = 0.5

# Substrings of DuckDB's error messages (1.5.x) that identify the two common open failures.
_LOCK_MARKERS = ("could not set lock", "conflicting lock")
_CORRUPT_MARKERS = ("not a valid duckdb database", "corrupt")


def connect(path: "str | Path | LakeTarget", *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating parent folders), set the session to UTC and, unless read-only, migrate.
    A LakeTarget or a `ducklake:` URL opens the lake instead; read_only is not enforced there
    (many processes share it), only migration is skipped."""
    if is_lake_url(path):
        return _connect_lake(as_lake(path), read_only)
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        con.execute(statement("db/session_settings"), {"memory_limit": memory_limit()})
        register_functions(con)
        if not read_only:
            apply_migrations(con)
    except BaseException:
        con.close()
        raise
    return con


def memory_limit() -> str:
    """MEMORY_SHARE of this machine's physical memory, as DuckDB's memory_limit setting."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(total * MEMORY_SHARE) >> 20}MB"


def _connect_lake(target: LakeTarget, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = open_lake(target)
    try:
        con.execute(statement("db/session_settings"), {"memory_limit": memory_limit()})
        register_functions(con)
        if not read_only:
            _migrate_lake(con)
        session_macros(con)
    except BaseException:
        con.close()
        raise
    return con


def _migrate_lake(con: duckdb.DuckDBPyConnection) -> None:
    """Migrate; writers on several machines may start on a new lake at once, and all but one of them
    then fail to commit the same schema file: they try again, and find it applied."""
    for attempt in Retrying(stop=stop_after_attempt(8), wait=wait_random_exponential(multiplier=0.2, max=3),
                            retry=retry_if_exception_type(MigrationError), reraise=True):
        with attempt:
            apply_migrations(con)


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
