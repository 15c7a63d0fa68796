"""Open the DuckDB warehouse file, translating DuckDB's open errors into our own, and migrate it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

# WarehouseError                 anything the warehouse package raises on purpose
#  ├── WarehouseLocked           another process holds the file (DuckDB allows one writer)
#  ├── WarehouseCorrupt          the file exists but is not (or no longer) a DuckDB database
#  ├── WarehouseMissing          read-only open of a file that does not exist
#  ├── MigrationError            a schema file is malformed, or was edited after it was applied
#  └── QueryError                an ad-hoc query (warehouse.query.run_sql) failed


class WarehouseError(Exception):
    """Base class of the warehouse's own errors."""


class WarehouseLocked(WarehouseError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Warehouse {path} is locked by another process (DuckDB allows one writer at a time). "
            f"Wait for that process to finish or stop it, then retry. DuckDB said: {detail}"
        )
        self.path = path


class WarehouseCorrupt(WarehouseError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Warehouse {path} is not a readable DuckDB database. Check that the path is right; "
            f"if it is, move the file aside (e.g. to {path.name}.broken) and rerun to start a "
            f"fresh warehouse. DuckDB said: {detail}"
        )
        self.path = path


class WarehouseMissing(WarehouseError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Warehouse {path} does not exist, so it cannot be opened read-only. "
            f"Check the path, or run an ingest first to create it."
        )
        self.path = path


class MigrationError(WarehouseError):
    """A schema file is malformed or was changed after being applied."""


class QueryError(WarehouseError):
    """An ad-hoc SQL query failed; the message carries DuckDB's explanation."""


# Substrings of DuckDB's error messages (1.5.x) that identify the two common open failures.
_LOCK_MARKERS = ("could not set lock", "conflicting lock")
_CORRUPT_MARKERS = ("not a valid duckdb database", "corrupt")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating parent folders), set the session to UTC and, unless read-only, migrate."""
    # Imported here: migrate.py imports this module's exceptions.
    from warehouse.migrate import apply_migrations

    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        con.execute(statement("session_settings"))
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
    story_key(url) (transforms.urls.story_key; NULL for a URL that is not http(s)), and the search
    macros' query parser and snippets (warehouse.search)."""
    from duckdb.sqltypes import VARCHAR

    from warehouse.search import register_functions as register_search_functions

    con.create_function("story_key", _story_key, [VARCHAR], VARCHAR, side_effects=False)
    register_search_functions(con)


@cache
def statement(name: str) -> str:
    """The text of warehouse/statements/<name>.sql (SQL lives in files, never in Python strings)."""
    return (resources.files("warehouse") / "statements" / f"{name}.sql").read_text("utf-8")


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
