"""Every table of a warehouse as (rows, checksum of all its columns), to compare two warehouses exactly.

The checksum is the sum of a hash of each row's columns, so it does not depend on row order, and a
duplicated row changes it (the row count too). Columns that record when something happened (`*_at`, `first_seen`)
or which run did it (`*run_id`) differ between two runs that stored the same content, so they are left
out, and so are the tables that log what each run did.
"""

from __future__ import annotations

import duckdb

# Tables that log what happened (every run adds to them) and crawl bookkeeping whose timestamps move
# with every run; every other table must equal a clean run's exactly.
LOGS = frozenset({"fetch_log", "url_state", "discovered_urls", "ingest_partitions", "schema_migrations"})
VOLATILE = ("_at", "run_id", "first_seen")  # article_urls.first_seen is a time too


def checksums(db: str, skip: frozenset[str] = LOGS) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(db, read_only=True)  # opening at all proves the file is sound
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall() if t not in skip]
        out = {}
        for table in tables:
            cols = [f'"{c}"' for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if not c.endswith(VOLATILE)]
            rows, total = con.execute(f'SELECT count(*), coalesce(sum(hash({", ".join(cols)})::HUGEINT), 0) '
                                      f'FROM "{table}"').fetchone()
            out[table] = (rows, int(total))
        return out
    finally:
        con.close()


def differences(got: dict, want: dict) -> list[str]:
    """One line per table whose rows or checksum differ."""
    lines = [f"{t}: {got.get(t)} rows/checksum, a clean run has {want.get(t)}"
             for t in sorted(set(got) | set(want)) if got.get(t) != want.get(t)]
    return lines
