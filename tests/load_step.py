"""The load step of a run, alone in its own process: `python -m tests.load_step DB`.

It loads every batch staged beside DB (warehouse.loader.load_staged, the function a run's load task calls), as a
run does with the batches a dead run left, after undoing what a killed load left, and prints what it
undid and "loaded" once that is done. Crash tests kill it
while it loads.
"""

from __future__ import annotations

import logging
import sys

from warehouse.staging import Stage
from flows.settings import Settings
from warehouse.loader import load_staged

LEXICON = Settings().lexicon()


def main(db: str) -> int:
    logging.basicConfig(level=logging.WARNING)
    stage = Stage.beside(db)
    report = load_staged(db, stage, LEXICON, logging.getLogger("load_step"), startup=True)
    stage.close()
    for line in report.recovered:
        print(line, flush=True)
    print(f"loaded {report.batches_loaded} batches: {report.inserted} inserted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
