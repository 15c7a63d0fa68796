"""Run summaries as Prefect artifacts: a markdown summary, and a partition table for backfills."""

from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact


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
