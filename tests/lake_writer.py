"""One writer of the DuckLake tests, in its own process as on its own machine: its own staging folder, no
lock shared with the others. It waits for a go-file (so that writers start together), then stages and
loads its batches one at a time through the real load step, and prints one JSON line: the conflicts it
retried and the lake version each load committed as.

    python -m tests.lake_writer TARGET_JSON STAGE_ROOT BATCHES_JSON [GO_FILE]

BATCHES_JSON: [[start, stop, edit], ...] as tests.lakekit.batch takes them. With STAGE_ROOT holding
batches staged before (a killed writer's), they are loaded first.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from tests import lakekit
from tests.conftest import LEXICON
from warehouse.lake import LakeTarget
from warehouse.loader import LoadTotals, load_staged
from warehouse.staging import Stage


def main(target_json: str, stage_root: str, batches_json: str, go: str | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s writer %(process)d: %(message)s")
    logger = logging.getLogger("lake_writer")
    target = LakeTarget(**json.loads(target_json))
    batches = [lakekit.batch(start, stop, edit) for start, stop, edit in json.loads(batches_json)]
    total = LoadTotals()
    total.add(load_staged(target, Stage(stage_root), LEXICON, logger, startup=True))  # a dead writer's first
    print(json.dumps({"ready": True}), flush=True)
    while go and not Path(go).exists():
        time.sleep(0.01)
    for b in batches:
        stage = Stage(stage_root)
        stage.put(batch=b)
        report = load_staged(target, stage, LEXICON, logger, startup=True)
        stage.close()
        total.add(report)
    print(json.dumps({"conflicts": total.conflicts, "versions": list(total.versions),
                      "inserted": total.inserted, "batches": total.batches_loaded}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
