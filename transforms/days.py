"""The days a backfill covers; no Prefect here, so the CLI checks them before importing it (2-5 s)."""

from __future__ import annotations

from datetime import date, timedelta


class BackfillError(ValueError):
    """Parameters that cannot describe a backfill; the message says which and how to fix them."""


def days_between(start: date, end: date, today: date) -> list[date]:
    if start > end:
        raise BackfillError(f"start {start} is after end {end}; swap them")
    if end > today:
        raise BackfillError(f"end {end} is in the future (today is {today} UTC); pick {today} or earlier")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
