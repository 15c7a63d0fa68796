"""What the crash tests ask about runs afterwards: did a killed run claim its staging folder, and what
state Prefect shows for the runs of a warehouse."""

from __future__ import annotations

from pathlib import Path

import httpx


def claimed(db: Path, pid: int) -> bool:
    """Whether the run (process pid) had claimed its staging folder, run.json and all, when it was killed."""
    root = db.parent / "staging" / db.stem
    return root.is_dir() and any(f.name.startswith(f"{pid}-") and (f / "run.json").exists() for f in root.iterdir())


def flow_runs_of(api: str, db: Path) -> dict[str, str]:
    """Flow run id -> state type of every run of newswire on this warehouse."""
    out, offset = {}, 0
    while True:
        response = httpx.post(f"{api}/flow_runs/filter", json={"limit": 200, "offset": offset}, timeout=30)
        response.raise_for_status()
        page = response.json()
        out.update({r["id"]: r["state_type"] for r in page if r["parameters"].get("db") == str(db)})
        if len(page) < 200:
            return out
        offset += len(page)
