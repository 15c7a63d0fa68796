"""Durable staging: each batch is written to disk before it is loaded, so nothing fetched is lost.

A staged batch is a folder of Parquet files, one per frame, made visible by an
atomic rename only once complete. It is deleted after its load commits; a
crash or a locked warehouse leaves it for the next run, whose load is
idempotent, so loading a batch twice changes nothing.

Each run's folder also holds run.json (its Prefect flow run id, flow and mode)
from the run's start, so a run that finds the folder of a dead one knows which
flow run was killed, even when it was killed before it staged anything.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from transforms.entities import Lexicon
from warehouse.batchframes import FRAME_NAMES, batch_from, frames_of, with_lexicon
from transforms.normalise import NormalisedBatch


@dataclass
class StagedBatch:
    path: Path
    batch: NormalisedBatch
    fetch_log: pl.DataFrame | None
    url_state: pl.DataFrame | None
    discovered: pl.DataFrame | None
    partitions: pl.DataFrame | None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


OWNER_LOCK = ".owner.lock"
RUN_FILE = "run.json"
LEXICON_FILE = "lexicon.digest"  # in a batch folder: the lexicon its mentions and terms were made with


@dataclass(frozen=True)
class RunRecord:
    """The run that owns a staging folder: found again in run.json if that run dies."""

    flow_run_id: str
    flow: str  # ingest / backfill
    mode: str  # nightly / fetch / reextract: the mode its loads record in partition rows
    pid: int
    started_at: str

    @classmethod
    def now(cls, flow_run_id: str, flow: str, mode: str) -> "RunRecord":
        return cls(flow_run_id, flow, mode, os.getpid(), datetime.now(timezone.utc).isoformat())


def _run_of(folder: Path) -> RunRecord | None:
    try:
        return RunRecord(**json.loads((folder / RUN_FILE).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _owned(folder: Path) -> bool:
    """Whether a live Stage holds the folder (its flock goes when its process does, crash or not)."""
    try:
        fd = os.open(folder / OWNER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock we may have taken
    return False


class Stage:
    """One run's staging folder under root; batches of finished or dead runs are adopted.

    Each run stages into its own folder, held by a flock while the run lives, so
    two runs never take each other's batches, and a crashed or blocked run's
    batches are picked up by whichever run comes next.
    """

    def __init__(self, root: str | Path, token: str | None = None, run: RunRecord | None = None) -> None:
        self.root = Path(root)
        self.token = token or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.dir = self.root / self.token
        self._run = run
        self._owner_fd: int | None = None
        self._claim_lock = threading.Lock()  # batch tasks of one run stage from several threads

    def claim(self) -> None:
        """Hold the folder (and write run.json) from now on, so the run is seen alive, or found dead."""
        with self._claim_lock:
            if self._owner_fd is None:
                self.dir.mkdir(parents=True, exist_ok=True)
                self._owner_fd = os.open(self.dir / OWNER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self._owner_fd, fcntl.LOCK_EX)
                if self._run is not None:
                    tmp = self.dir / f".{RUN_FILE}.partial"
                    tmp.write_text(json.dumps(asdict(self._run)), "utf-8")
                    tmp.rename(self.dir / RUN_FILE)

    @property
    def run(self) -> RunRecord | None:
        """The run this folder belongs to (read back from run.json when the Stage was made from its token)."""
        if self._run is None:
            self._run = _run_of(self.dir)
        return self._run

    def close(self) -> None:
        """Release the folder (removed if empty); what it still holds is left for the next run."""
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None
        self._drop_if_empty(self.dir)

    @staticmethod
    def _drop_if_empty(folder: Path) -> None:
        if folder.is_dir() and not [p for p in folder.iterdir() if p.name not in (OWNER_LOCK, RUN_FILE)]:
            shutil.rmtree(folder, ignore_errors=True)

    @classmethod
    def beside(cls, db, run: RunRecord | None = None) -> "Stage":
        """The staging root of a warehouse file (beside it), or of a lake (this machine's own folder, its
        `staging` setting: writers on other machines stage in theirs)."""
        from warehouse.lake import as_lake, is_lake_url

        if is_lake_url(db):
            return cls(Path(as_lake(db).staging), run=run)
        db = Path(db)
        return cls(db.parent / "staging" / db.stem, run=run)

    def runs(self) -> tuple[list[RunRecord], list[tuple[Path, RunRecord]]]:
        """(live, dead): the runs holding their folders now (this one included), and the folders of
        runs that died, with their run records."""
        live, dead = [], []
        if not self.root.is_dir():
            return live, dead
        for folder in self.root.iterdir():
            record = _run_of(folder) if folder.is_dir() else None
            if record is None:
                continue
            if folder == self.dir or _owned(folder):
                live.append(record)
            else:
                dead.append((folder, record))
        return live, dead

    def bury(self, folder: Path) -> None:
        """Forget a dead run's folder once its batches are loaded (kept while some are not)."""
        if folder != self.dir:
            self._drop_if_empty(folder)

    def put(self, batch: NormalisedBatch | None = None, fetch_log: pl.DataFrame | None = None,
            url_state: pl.DataFrame | None = None, discovered: pl.DataFrame | None = None,
            partitions: pl.DataFrame | None = None) -> Path:
        self.claim()
        # Names sort by creation time, so batches load in the order they were staged.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.dir / f".{name}.partial"
        tmp.mkdir()
        frames = frames_of(batch) if batch is not None else {}  # read back as empty frames
        if batch is not None:  # what its mentions and terms were made with, checked when it is read
            (tmp / LEXICON_FILE).write_text(batch.lexicon.digest, "utf-8")
        frames.update(fetch_log=fetch_log, url_state=url_state, discovered=discovered, partitions=partitions)
        for key, frame in frames.items():
            if frame is not None:
                target = tmp / f"{key}.parquet"
                frame.write_parquet(target)
                with open(target, "rb+") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(tmp)
        final = self.dir / name
        tmp.rename(final)
        _fsync_dir(self.dir)
        return final

    def _folders(self) -> list[Path]:
        """This process's folder and those of dead processes (their half-written batches removed)."""
        if not self.root.is_dir():
            return []
        folders = []
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            if folder == self.dir:
                folders.append(folder)
            elif not _owned(folder):
                for partial in folder.glob(".*.partial"):  # a crash mid-put
                    shutil.rmtree(partial, ignore_errors=True)
                folders.append(folder)
        return folders

    def pending(self) -> list[Path]:
        """Complete staged batches of this process and of dead ones, oldest first."""
        batches = [b for f in self._folders() for b in f.iterdir() if b.is_dir() and not b.name.startswith(".")]
        return sorted(batches, key=lambda b: b.name)

    @staticmethod
    def articles_in(path: Path) -> int:
        """Articles in a staged batch, from its Parquet footer (nothing else is read)."""
        file = path / "articles.parquet"
        return pl.scan_parquet(file).select(pl.len()).collect().item() if file.exists() else 0

    def read(self, path: Path, lexicon: Lexicon) -> StagedBatch:
        """A staged batch, its mentions and terms those of `lexicon` (made again if it was staged
        with another one)."""
        def frame(key: str) -> pl.DataFrame | None:
            file = path / f"{key}.parquet"
            return pl.read_parquet(file) if file.exists() else None

        digest = (path / LEXICON_FILE).read_text("utf-8") if (path / LEXICON_FILE).exists() else None
        batch = batch_from({name: frame(name) for name in FRAME_NAMES}, lexicon)
        if digest is not None:
            batch = with_lexicon(batch, digest, lexicon)
        return StagedBatch(path, batch, frame("fetch_log"), frame("url_state"), frame("discovered"),
                           frame("partitions"))

    def done(self, path: Path) -> None:
        shutil.rmtree(path)
        if path.parent != self.dir:
            self._drop_if_empty(path.parent)  # an adopted folder, now empty
