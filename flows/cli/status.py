"""`newswire status`: the partition grid (days x sources, coloured by status) and the last runs."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from warehouse.status import last_runs, partition_grid

# status -> (mark, style): readable without colour too.
MARKS = {"complete": ("✔", "green"), "failed": ("✘", "bold red"), "running": ("▶", "yellow"),
         "pending": ("·", "blue")}


def outcome(complete: int, failed: int, running: int, pending: int) -> tuple[str, str]:
    if failed:
        return f"{failed} failed", "bold red"
    if running:
        return "running (or killed)", "yellow"
    if complete:
        return "complete", "green"
    return "no partition completed", "blue"


def print_status(con, days: int, console: Console | None = None) -> None:
    console = console or Console()
    if not console.is_terminal:  # piped or captured: no terminal width to fit, so do not wrap at 80
        console = Console(width=120)
    grid = partition_grid(con, days)
    if not grid:
        console.print("no partitions yet: run `newswire ingest --demo` or `newswire backfill`")
        return
    sources = sorted({source for _, source, _, _ in grid})
    cells = {(day, source): (status, articles) for day, source, status, articles in grid}
    table = Table(title="partitions", title_justify="left")
    table.add_column("day")
    for source in sources:
        table.add_column(source, justify="center")
    for day in sorted({d for d, *_ in grid}, reverse=True):
        row = []
        for source in sources:
            status, articles = cells.get((day, source), (None, None))
            mark, style = MARKS.get(status, (" ", ""))
            row.append(f"[{style}]{mark} {articles or 0}[/]" if status else "")
        table.add_row(str(day), *row)
    console.print(table)
    console.print("  ".join(f"[{style}]{mark}[/] {status}" for status, (mark, style) in MARKS.items())
                  + "   (number: articles stored for the day)")
    runs = Table(title="last runs", title_justify="left")
    for column in ("run", "kind", "finished (UTC)", "outcome", "✔/✘/·", "new"):
        runs.add_column(column)
    for run_id, mode, finished, complete, failed, running, pending, new in last_runs(con):
        text, style = outcome(complete, failed, running, pending)
        runs.add_row(run_id[:8], mode, f"{finished:%Y-%m-%d %H:%M}" if finished else "", f"[{style}]{text}[/]",
                     f"{complete}/{failed}/{pending}", str(new))
    console.print(runs)
