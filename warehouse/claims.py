"""Partition claims: two workers, on one machine or many, never run the same (day, source) at once.

A worker claims a partition before it works on it and releases it when done; a claim lapses after
`seconds` (the worker died: another may take it then). On a lake two workers may race for one
partition: each claim bumps warehouse_version in its transaction, so the second to commit conflicts,
tries again, and finds the partition taken. Used by the backfill's partition loop on a lake (a single
file's writers take turns through its lock, and its partition rows say what is running).
"""

from __future__ import annotations

from datetime import date

import duckdb
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from warehouse.lake import is_lake
from warehouse.sql import statement, transaction


def _is_conflict(exc: BaseException) -> bool:
    from warehouse.loader import _is_conflict as conflict

    return conflict(exc)


def claim(con: duckdb.DuckDBPyConnection, day: date, source_id: str, owner: str, seconds: float) -> str | None:
    """Claim the partition for `owner`; None when taken, else the owner holding it now."""
    key = {"day": day, "source_id": source_id, "owner": owner}
    for attempt in Retrying(stop=stop_after_attempt(20), wait=wait_random_exponential(multiplier=0.05, max=1),
                            retry=retry_if_exception(_is_conflict), reraise=True):
        with attempt:
            with transaction(con):
                held = con.execute(statement("claims/holder"), key).fetchone()
                if held is not None:
                    return held[0]
                if is_lake(con):  # a rival claim committed meanwhile conflicts with this one (see above)
                    con.execute(statement("load/bump_version"))
                for sql in (s.query for s in duckdb.extract_statements(statement("claims/take"))):
                    con.execute(sql, {**key, "seconds": seconds} if "$seconds" in sql else key)
    return None


def release(con: duckdb.DuckDBPyConnection, day: date, source_id: str, owner: str) -> None:
    for attempt in Retrying(stop=stop_after_attempt(20), wait=wait_random_exponential(multiplier=0.05, max=1),
                            retry=retry_if_exception(_is_conflict), reraise=True):
        with attempt:
            con.execute(statement("claims/release"), {"day": day, "source_id": source_id, "owner": owner})
