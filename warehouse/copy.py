"""`newswire warehouse migrate --to URL`: a single-file warehouse copied into a new DuckLake.

Both sides run the same schema files first (the file is brought up to date under its writer lock, the
lake is created by them), so every table has the same columns on both; then every table is copied in
one lake transaction and the row counts compared, so a copy is whole or not there at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.db import connect
from warehouse.errors import WarehouseError, WarehouseMissing
from warehouse.lake import LakeTarget
from warehouse.sql import transaction

# Written by the lake's own migrations (which files were applied, when): not copied over.
_NOT_COPIED = frozenset({"schema_migrations"})


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # table -> rows copied (equal on both sides)

    def summary(self, source, target) -> str:
        return (f"copied {len(self.rows)} tables ({sum(self.rows.values())} rows) from {source} into {target}; "
                f"row counts equal on both sides")


def copy_into_lake(source: str | Path, target: LakeTarget) -> CopyReport:
    source = Path(source)
    if not source.is_file():
        raise WarehouseMissing(source)
    connect(source).close()  # brought up to date with the schema files the lake is made with
    con = connect(target)
    try:
        stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored:
            raise WarehouseError(f"the lake {target} already holds {stored} articles; migrate into a new, empty "
                                 f"lake (a new PostgreSQL database and data path)")
        con.execute(f"ATTACH '{str(source).replace(chr(39), chr(39) * 2)}' AS src (READ_ONLY)")
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main' "
            "ORDER BY 1").fetchall() if t not in _NOT_COPIED]
        with transaction(con):
            for table in tables:
                con.execute(f'DELETE FROM wh.main."{table}"')  # rows a schema file seeded (one-row tables)
                con.execute(f'INSERT INTO wh.main."{table}" BY NAME SELECT * FROM src.main."{table}"')
        rows = {}
        for table in tables:
            there, here = (con.execute(f'SELECT count(*) FROM {db}.main."{table}"').fetchone()[0]
                           for db in ("src", "wh"))
            if there != here:
                raise WarehouseError(f"table {table}: {there} rows in {source}, {here} in the lake after the copy")
            rows[table] = here
        con.execute("DETACH src")
        return CopyReport(rows)
    finally:
        con.close()
