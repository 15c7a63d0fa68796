"""Apply warehouse/schema/NNN_<object>.sql files in order, each once, recording them in schema_migrations."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import duckdb

from warehouse.errors import MigrationError
from warehouse.sql import statement, transaction

# NNN_<object>.sql: a three-digit version, then the name of the one object the file creates.
_FILE_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
# 001_schema_migrations.sql creates the bookkeeping table and is then recorded in it like any
# other file, so no bootstrap DDL lives in Python.
# A file that changes what the daily aggregates are computed from starts with this line: the
# aggregates of every day are rebuilt in that file's own transaction, so the change and the
# rebuild commit together or not at all. DuckDB cannot commit a transaction that both alters a
# table and changes its rows, so a file does one or the other: columns are added by one file and
# filled by a later one (which carries the marker when the aggregates depend on them).
REBUILD_MARKER = "-- newswire: rebuild daily aggregates"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str  # the file name, e.g. "002_articles.sql"
    sql: str
    checksum: str  # sha256 hex of the file's bytes


def schema_dir() -> Traversable:
    return resources.files("warehouse") / "schema"


def schema_files(directory: Traversable | None = None) -> list[Migration]:
    """All schema files, ordered by version; malformed names and duplicate versions are refused."""
    directory = directory if directory is not None else schema_dir()
    migrations: dict[int, Migration] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.match(entry.name)
        if not match:
            raise MigrationError(
                f"Schema file {entry.name!r} is not named NNN_<object>.sql; rename it."
            )
        version = int(match.group(1))
        if version in migrations:
            raise MigrationError(
                f"Schema files {migrations[version].name!r} and {entry.name!r} share version "
                f"{version:03d}; give one of them the next free number."
            )
        data = entry.read_bytes()
        migrations[version] = Migration(
            version, entry.name, data.decode("utf-8"), hashlib.sha256(data).hexdigest()
        )
    return [migrations[v] for v in sorted(migrations)]


def applied(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[str, str]]:
    """version -> (name, checksum) of the files already applied; empty on a new database."""
    if not con.execute(statement("migrate/migrations_table_exists")).fetchone()[0]:
        return {}
    rows = con.execute(statement("migrate/migrations_applied")).fetchall()
    return {version: (name, checksum) for version, name, checksum in rows}


def apply_migrations(
    con: duckdb.DuckDBPyConnection, directory: Traversable | None = None
) -> list[str]:
    """Apply pending schema files, one transaction each; return the names applied (in order).

    A file marked with REBUILD_MARKER has the daily aggregates rebuilt in its transaction.
    Refuses to run anything if a file that was already applied has since been changed:
    schema changes go in a new file, never in an edit of an applied one.
    """
    migrations = schema_files(directory)
    done = applied(con)
    for m in migrations:
        if m.version in done and done[m.version] != (m.name, m.checksum):
            name, checksum = done[m.version]
            raise MigrationError(
                f"Schema file {m.name} (version {m.version:03d}) differs from the one applied "
                f"to this warehouse ({name}, sha256 {checksum[:12]}…, now {m.checksum[:12]}…). "
                f"Restore the applied file and put the change in a new NNN_<object>.sql file."
            )

    from warehouse.lake import is_lake, macro_only

    # DuckLake does not hold macros faithfully (warehouse/lake.py): on a lake a file that only creates
    # or drops macros is recorded as applied, and each session creates the macros the files leave
    # defined as TEMP macros (warehouse.lake.session_macros).
    skip_macros = is_lake(con)
    names: list[str] = []
    for m in migrations:
        if m.version in done:
            continue
        try:
            with transaction(con):
                if not (skip_macros and macro_only(m.sql)):
                    con.execute(m.sql)
                con.execute(statement("migrate/record_migration"),
                            {"version": m.version, "name": m.name, "checksum": m.checksum})
                if m.sql.startswith(REBUILD_MARKER):
                    from warehouse.recompute import rebuild_daily  # recompute reads the schema this builds

                    rebuild_daily(con)
        except duckdb.Error as exc:
            raise MigrationError(f"Schema file {m.name} failed and was rolled back: {exc}") from exc
        names.append(m.name)
    return names
