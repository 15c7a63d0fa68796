"""Fetch outcomes collected by a task, as rows for the warehouse's fetch_log."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from flows.crawl.fetch import FetchResult
from transforms.outcome import Outcome


@dataclass
class FetchLog:
    rows: list[dict] = field(default_factory=list)
    expected: set[int] = field(default_factory=set)  # rows that are logged but are no failure

    def add(self, result: FetchResult, source_id: str, outcome: Outcome | None = None,
            reason: str | None = None, expected: bool = False) -> None:
        if expected:
            self.expected.add(len(self.rows))
        self.rows.append({
            "url": result.url, "source_id": source_id, "fetched_at": result.fetched_at,
            "outcome": (outcome or result.outcome).value, "http_status": result.http_status,
            "bytes": len(result.body), "elapsed_ms": result.elapsed_ms, "reason": reason or result.reason,
        })

    def downgrade(self, url: str, outcome: Outcome, reason: str) -> None:
        """Re-label the latest row of url: fetched fine, but its content was unusable."""
        for row in reversed(self.rows):
            if row["url"] == url:
                row["outcome"], row["reason"] = outcome.value, reason
                return

    def failures(self) -> list[str]:
        return [f"{r['outcome']}: {r['reason']}" for i, r in enumerate(self.rows)
                if r["outcome"] not in (Outcome.OK.value, Outcome.NOT_MODIFIED.value) and i not in self.expected]


def fetch_log_frame(rows: list[dict], run_id: str) -> pl.DataFrame:
    from warehouse.load import FETCH_LOG_SCHEMA

    return pl.DataFrame([dict(r, run_id=run_id) for r in rows], schema=FETCH_LOG_SCHEMA)
