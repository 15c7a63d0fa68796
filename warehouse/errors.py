"""The warehouse package's own exceptions, drawn once here."""

from __future__ import annotations

from pathlib import Path

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
