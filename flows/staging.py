"""Durable staging: each batch is written to disk before it is loaded, so nothing fetched is lost.

A staged batch is a folder of Parquet files, one per frame, made visible by an
atomic rename only once complete. It is deleted after its load commits; a
crash or a locked warehouse leaves it for the next run, whose load is
idempotent, so loading a batch twice changes nothing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from flows.batchframes import batch_from, frames_of
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

    def __init__(self, root: str | Path, token: str | None = None) -> None:
        self.root = Path(root)
        self.token = token or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.dir = self.root / self.token
        self._owner_fd: int | None = None
        self._claim_lock = threading.Lock()  # batch tasks of one run stage from several threads

    def _claim(self) -> None:
        with self._claim_lock:
            if self._owner_fd is None:
                self.dir.mkdir(parents=True, exist_ok=True)
                self._owner_fd = os.open(self.dir / OWNER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(self._owner_fd, fcntl.LOCK_EX)

    def close(self) -> None:
        """Release the folder (removed if empty); what it still holds is left for the next run."""
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None
        self._drop_if_empty(self.dir)

    @staticmethod
    def _drop_if_empty(folder: Path) -> None:
        if folder.is_dir() and not [p for p in folder.iterdir() if p.name != OWNER_LOCK]:
            shutil.rmtree(folder, ignore_errors=True)

    @classmethod
    def beside(cls, db: str | Path) -> "Stage":
        db = Path(db)
        return cls(db.parent / "staging" / db.stem)

    def put(self, batch: NormalisedBatch | None = None, fetch_log: pl.DataFrame | None = None,
            url_state: pl.DataFrame | None = None, discovered: pl.DataFrame | None = None,
            partitions: pl.DataFrame | None = None) -> Path:
        self._claim()
        # Names sort by creation time, so batches load in the order they were staged.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.dir / f".{name}.partial"
        tmp.mkdir()
        frames = frames_of(batch) if batch is not None else {}  # read back as empty frames
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

    def read(self, path: Path) -> StagedBatch:
        def frame(key: str) -> pl.DataFrame | None:
            file = path / f"{key}.parquet"
            return pl.read_parquet(file) if file.exists() else None

        batch = batch_from({name: frame(name) for name in frames_of(batch_from({}))})
        return StagedBatch(path, batch, frame("fetch_log"), frame("url_state"), frame("discovered"),
                           frame("partitions"))

    def done(self, path: Path) -> None:
        shutil.rmtree(path)
        if path.parent != self.dir:
            self._drop_if_empty(path.parent)  # an adopted folder, now empty
