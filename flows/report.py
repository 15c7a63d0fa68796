"""What runs report: partition rows and run summaries (one builder each), and their Prefect artifacts."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timezone

from prefect.artifacts import create_markdown_artifact, create_table_artifact

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


def summary_markdown(title: str, summary: dict) -> str:
    lines = [f"# {title}", "", "| | |", "|---|---|"]
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
    lines += [f"- {n} × {reason}" for reason, n in sorted(failures.items(), key=lambda kv: -kv[1])] or ["none"]
    crashed = summary.get("crashed_runs") or []
    if crashed or summary.get("recovered"):
        lines += ["", f"## Earlier runs found killed: {len(crashed)} (marked Crashed)", ""]
        lines += [f"- flow run {run_id}" for run_id in crashed]
        lines += [f"- {line}" for line in summary.get("recovered") or []]
    if summary.get("staged_pending"):
        lines += ["", f"**Warehouse unavailable:** {summary.get('warehouse_message')}"]
    return "\n".join(lines)


def publish(title: str, summary: dict, partitions: list[dict] | None = None, key: str = "ingest") -> None:
    create_markdown_artifact(summary_markdown(title, summary), key=f"{key}-summary", description=title)
    if partitions is not None:
        rows = [{k: (str(v) if v is not None else "") for k, v in p.items()} for p in partitions]
        create_table_artifact(rows, key=f"{key}-partitions", description=f"{title}: partitions (day x source)")
