"""What runs report: partition rows and run summaries (one builder each), and their Prefect artifacts."""

from __future__ import annotations

import json
import logging
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timezone

from prefect.artifacts import (create_markdown_artifact, create_progress_artifact, create_table_artifact,
                               update_progress_artifact)

from transforms.extract import EXTRACTOR_VERSION


def partition_row(day: date, source_id: str, status: str, mode: str, run_id: str, *,
                  decided: dict | None = None, pages_fetched: int | None = None,
                  failures: Counter | None = None, note: str | None = None) -> dict:
    """One ingest_partitions row (warehouse.partitions.PARTITION_SCHEMA): decided is the loads'
    {"insert": n, "update": n, "unchanged": n} for the (day, source)."""
    decided, failures = decided or {}, failures or Counter()
    now = datetime.now(timezone.utc)
    return {"day": day, "source_id": source_id, "status": status, "mode": mode, "pages_fetched": pages_fetched,
            "articles_new": decided.get("insert", 0), "articles_updated": decided.get("update", 0),
            "articles_unchanged": decided.get("unchanged", 0), "failures": sum(failures.values()),
            "failure_reasons": json.dumps(dict(failures)) if failures else None, "flow_run_id": run_id,
            "extractor_version": EXTRACTOR_VERSION, "note": note,
            "started_at": now if status == "running" else None,
            "finished_at": None if status == "running" else now}


def run_summary(counts: Counter, failures: Counter, total, *, db: str, run_id: str, elapsed_s: float,
                **extra) -> dict:
    """The summary a run returns and publishes: its counters, its loads' totals and what it found."""
    return {**counts, "inserted": total.inserted, "updated": total.updated, "unchanged": total.unchanged,
            "failures": dict(failures), "db": db, "run_id": run_id, "staged_pending": total.pending,
            "warehouse_message": total.message, "crashed_runs": sorted(total.crashed_runs),
            "recovered": total.recovered, "lake_conflicts": total.conflicts, **extra, "elapsed_s": round(elapsed_s, 3)}


# What a failure reason means and what to do, by the first words of "outcome: reason" that match.
HINTS: tuple[tuple[str, str], ...] = (
    ("transient: HTTP 5", "the site answered with a server error for a while; retry the run later "
                          "(only the failed partitions are redone)"),
    ("transient: HTTP 429", "the site asked us to slow down; retry later or lower requests_per_second"),
    ("transient", "the site or the network failed for a while; retry the run later"),
    ("hard: HTTP 404", "the page is gone or never existed; nothing to do unless it is every page "
                       "(then check the source's URLs)"),
    ("hard: HTTP 403", "the site refuses us; check the user agent and the site's terms"),
    ("hard: Forbidden by robots.txt", "the site's robots.txt forbids the page; nothing to do"),
    ("hard", "the request cannot succeed as made; check the URL and the source's settings"),
    ("soft: no article", "the page is not an article the extractor can read; check article_pattern, or "
                         "report the page if it is an article"),
    ("soft", "fetched but unusable (not HTML, not a feed...); check the URL in the source"),
)


def hint_for(reason: str) -> str:
    return next((hint for prefix, hint in HINTS if reason.startswith(prefix)), "see the run's log")


def _failure_groups(failures: dict) -> list[tuple[str, int, str]]:
    """(reason, count, hint), most frequent first; reasons that differ only by URL-specific details
    are already grouped by outcome and reason (FetchLog.failures)."""
    return [(reason, n, hint_for(reason)) for reason, n in sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))]


def partition_line(day: date, source_id: str, status: str, fetched: int, decided: dict | None,
                   failures: Counter, note: str | None) -> str:
    """The one log line of a partition."""
    decided = decided or {}
    line = (f"{day} {source_id}: {status}, {fetched} fetched, {decided.get('insert', 0)} new / "
            f"{decided.get('update', 0)} updated / {decided.get('unchanged', 0)} unchanged, "
            f"{sum(failures.values())} failures")
    if failures:
        line += " (" + "; ".join(f"{n} x {r}" for r, n in failures.most_common(3)) + ")"
    return line + (f" - {note}" if note else "")


def summary_lines(summary: dict) -> list[str]:
    """The summary as a few readable log lines."""
    lines = [f"{summary.get('pages_fetched', 0)} pages fetched, {summary.get('articles_extracted', 0)} articles "
             f"extracted: {summary.get('inserted', 0)} new, {summary.get('updated', 0)} updated, "
             f"{summary.get('unchanged', 0)} unchanged, in {summary.get('elapsed_s', 0):.0f} s"]
    if "partitions_total" in summary:
        lines.append(f"partitions: {summary.get('partitions_complete', 0)} complete, "
                     f"{summary.get('partitions_failed', 0)} failed, {summary.get('partitions_skipped', 0)} skipped "
                     f"(already complete) of {summary['partitions_total']}")
    failures = summary.get("failures") or {}
    lines.append(f"failures: {sum(failures.values())}")
    lines += [f"  {n} x {reason}: {hint}" for reason, n, hint in _failure_groups(failures)]
    if summary.get("staged_pending"):
        lines.append(f"warehouse unavailable: {summary.get('warehouse_message')}")
    return lines


def summary_markdown(title: str, summary: dict) -> str:
    lines = [f"# {title}", "", "| | |", "|---|---|"]
    if "partitions_total" in summary:
        lines.append(f"| partitions complete / failed / skipped | {summary.get('partitions_complete', 0)} / "
                     f"{summary.get('partitions_failed', 0)} / {summary.get('partitions_skipped', 0)} "
                     f"of {summary['partitions_total']} |")
    for label, key in (("pages fetched", "pages_fetched"), ("articles extracted", "articles_extracted"),
                       ("articles new", "inserted"), ("articles updated", "updated"),
                       ("articles unchanged", "unchanged"), ("discovered URLs", "discovered"),
                       ("documents unchanged (304)", "unchanged_documents"), ("requests", "requests"),
                       ("time spent (s)", "elapsed_s")):
        if key in summary:
            lines.append(f"| {label} | {summary[key]} |")
    for table, n in (summary.get("rows_updated") or {}).items():
        lines.append(f"| rows updated in {table} | {n} |")
    failures = summary.get("failures") or {}
    lines += ["", f"## Failures: {sum(failures.values())}", ""]
    if failures:
        lines += ["| count | reason | what it means, what to do |", "|---:|---|---|"]
        lines += [f"| {n} | {reason} | {hint} |" for reason, n, hint in _failure_groups(failures)]
    else:
        lines.append("none")
    crashed = summary.get("crashed_runs") or []
    if crashed or summary.get("recovered"):
        lines += ["", f"## Earlier runs found killed: {len(crashed)} (marked Crashed)", ""]
        lines += [f"- flow run {run_id}" for run_id in crashed]
        lines += [f"- {line}" for line in summary.get("recovered") or []]
    if summary.get("staged_pending"):
        lines += ["", f"**Warehouse unavailable:** {summary.get('warehouse_message')}"]
    return "\n".join(lines)


def partition_table_rows(partitions: list[dict]) -> list[dict]:
    """The partitions table, narrow enough for a laptop: short headings, counts in one cell, and one
    "why" cell (the failure reasons, most frequent first, else the note). The mode is in the title."""
    rows = []
    for p in partitions:
        reasons = json.loads(p["failure_reasons"]) if p.get("failure_reasons") else {}
        why = "; ".join(f"{r} ×{n}" for r, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
        rows.append({"day": str(p["day"]), "source": p["source_id"], "status": p["status"],
                     "fetched": p.get("pages_fetched") if p.get("pages_fetched") is not None else "",
                     "new/upd/same": f"{p.get('articles_new') or 0}/{p.get('articles_updated') or 0}/"
                                     f"{p.get('articles_unchanged') or 0}",
                     "stored": p.get("articles") or 0, "why": why or (p.get("note") or "")})
    return rows


def publish(title: str, summary: dict, partitions: list[dict] | None = None, key: str = "ingest") -> None:
    create_markdown_artifact(summary_markdown(title, summary), key=f"{key}-summary", description=title)
    if partitions is not None:
        create_table_artifact(partition_table_rows(partitions), key=f"{key}-partitions",
                              description=f"{title}: partitions (day x source)")


class Progress:
    """A progress artifact (partitions done / total) the run page shows while a backfill runs."""

    def __init__(self, total: int, description: str, key: str = "backfill-progress") -> None:
        self.total, self.done = max(total, 1), 0
        self.id = create_progress_artifact(progress=0.0, key=key, description=description)

    def step(self) -> None:
        self.done += 1
        update_progress_artifact(artifact_id=self.id, progress=round(100.0 * self.done / self.total, 1))


@contextmanager
def quiet_task_runs():
    """Task runs' own INFO lines ("Finished in state Completed()", one per batch and load) are left
    out of the log while a flow runs; their warnings and errors still show. The flow logs a line per
    partition instead."""
    logger = logging.getLogger("prefect.task_runs")
    before = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(before)
