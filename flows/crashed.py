"""Mark flow runs that were killed as Crashed in Prefect, so the UI never shows a dead run as Running."""

from __future__ import annotations

import logging
import uuid

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.states import Crashed


def mark_crashed(runs: dict[str, str], found_by: str, logger: logging.Logger) -> list[str]:
    """Set each flow run (id -> what it left behind) that is not in a final state to Crashed, with a
    message naming the run that found it; returns the ids marked. Ids that are not Prefect flow runs
    ('local': a run outside Prefect) are skipped."""
    marked = []
    with get_client(sync_client=True) as client:
        for run_id, what in sorted(runs.items()):
            try:
                uuid.UUID(run_id)
                flow_run = client.read_flow_run(run_id)
            except (ValueError, ObjectNotFound):
                continue
            if flow_run.state is not None and flow_run.state.is_final():
                continue
            message = f"newswire: this run was {what}; found by flow run {found_by}, which took over its work"
            try:
                client.set_flow_run_state(run_id, Crashed(message=message), force=True)
            except Exception as exc:  # noqa: BLE001 - marking is bookkeeping: it must never fail the run
                logger.warning("could not mark flow run %s Crashed (%s); the next run tries again", run_id, exc)
                continue
            logger.warning("flow run %s (%s) marked Crashed: it was %s", run_id, flow_run.name, what)
            marked.append(run_id)
    return marked
