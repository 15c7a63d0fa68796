"""Live progress of a run, for whoever listens in the same process (the command line's progress display).

Snapshots go out as records of the plain logging logger "newswire.progress", which propagates nowhere: a
run without a listener (a deployment's run) sends them nowhere, and the flows depend on no display."""

from __future__ import annotations

import logging
from collections import Counter

LOGGER = logging.getLogger("newswire.progress")
LOGGER.propagate = False
LOGGER.setLevel(logging.INFO)


def report(tally, loads=None, **extra) -> None:
    """A snapshot of the run's counters: pages discovered, fetched, extracted, loaded, failures by outcome."""
    if not LOGGER.handlers:
        return
    by_outcome = Counter()
    for reason, n in tally.failures.items():
        by_outcome[reason.split(":", 1)[0]] += n
    total = loads.total if loads is not None else None
    snapshot = {"discovered": tally.counts.get("discovered", 0), "fetched": tally.counts.get("pages_fetched", 0),
                "extracted": tally.counts.get("articles_extracted", 0),
                "loaded": (total.inserted + total.updated + total.unchanged) if total is not None else 0,
                "failures": dict(by_outcome), **extra}
    LOGGER.info("progress", extra={"newswire_progress": snapshot})
