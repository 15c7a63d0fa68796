"""The progress display of `newswire ingest` and `backfill`: one live line (rich) fed by flows/progress.py."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from rich.console import Console
from rich.live import Live
from rich.text import Text

from flows.progress import LOGGER


def render(snapshot: dict, elapsed: float) -> Text:
    """discovered, fetched (of planned), extracted, loaded, failures by outcome, rate and time left."""
    fetched = snapshot.get("fetched", 0)
    rate = fetched / elapsed if elapsed > 0 else 0.0
    text = Text()
    if "partitions_total" in snapshot:
        text.append(f"partitions {snapshot.get('partitions_done', 0)}/{snapshot['partitions_total']}  ", "bold")
    planned = snapshot.get("planned")
    text.append(f"discovered {snapshot.get('discovered', 0)}  ")
    text.append(f"fetched {fetched}" + (f"/{planned}" if planned else "") + "  ", "cyan")
    text.append(f"extracted {snapshot.get('extracted', 0)}  ", "green")
    text.append(f"loaded {snapshot.get('loaded', 0)}  ", "bold green")
    failures = snapshot.get("failures") or {}
    if failures:
        text.append("failures " + ", ".join(f"{k} {v}" for k, v in sorted(failures.items())) + "  ", "red")
    text.append(f"{rate:.1f} pages/s", "dim")
    left = _time_left(snapshot, elapsed, rate)
    if left is not None:
        text.append(f"  {timedelta(seconds=round(left))} left", "dim")
    return text


def _time_left(snapshot: dict, elapsed: float, rate: float) -> float | None:
    done, total = snapshot.get("partitions_done"), snapshot.get("partitions_total")
    if total and done:
        return elapsed / done * (total - done)
    planned, fetched = snapshot.get("planned"), snapshot.get("fetched", 0)
    if planned and rate > 0:
        return max(planned - fetched, 0) / rate
    return None


class _Handler(logging.Handler):
    def __init__(self, live: Live, started: float) -> None:
        super().__init__()
        self.live, self.started = live, started
        self.last: dict = {}

    def emit(self, record: logging.LogRecord) -> None:
        snapshot = getattr(record, "newswire_progress", None)
        if snapshot:
            self.last.update(snapshot)
            self.live.update(render(self.last, time.monotonic() - self.started))


@contextmanager
def live_progress(console: Console | None = None):
    """Show the run's progress on the terminal while the block runs (nothing when not a terminal)."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    started = time.monotonic()
    with Live(Text("starting ..."), console=console, refresh_per_second=4, transient=False) as live:
        handler = _Handler(live, started)
        LOGGER.addHandler(handler)
        try:
            yield
        finally:
            LOGGER.removeHandler(handler)
