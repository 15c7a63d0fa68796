"""Durable staging: each batch is written to disk before it is loaded, so nothing fetched is lost.

A staged batch is a folder of Parquet files, one per frame, made visible by an
atomic rename only once complete. It is deleted after its load commits; a
crash or a locked warehouse leaves it for the next run, whose load is
idempotent, so loading a batch twice changes nothing.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from transforms.normalise import NormalisedBatch, normalise


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


class Stage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @classmethod
    def beside(cls, db: str | Path) -> "Stage":
        db = Path(db)
        return cls(db.parent / "staging" / db.stem)

    def put(self, batch: NormalisedBatch, fetch_log: pl.DataFrame | None = None,
            url_state: pl.DataFrame | None = None, discovered: pl.DataFrame | None = None,
            partitions: pl.DataFrame | None = None) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        # Names sort by creation time, so batches load in the order they were staged.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.root / f".{name}.partial"
        tmp.mkdir()
        frames = {f.name: getattr(batch, f.name) for f in fields(batch)
                  if isinstance(getattr(batch, f.name), pl.DataFrame)}
        frames.update(fetch_log=fetch_log, url_state=url_state, discovered=discovered, partitions=partitions)
        for key, frame in frames.items():
            if frame is not None:
                target = tmp / f"{key}.parquet"
                frame.write_parquet(target)
                with open(target, "rb+") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(tmp)
        final = self.root / name
        tmp.rename(final)
        _fsync_dir(self.root)
        return final

    def pending(self) -> list[Path]:
        """Complete staged batches, oldest first; half-written ones (a crash mid-put) are removed."""
        if not self.root.is_dir():
            return []
        for partial in self.root.glob(".*.partial"):
            shutil.rmtree(partial, ignore_errors=True)
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def read(self, path: Path) -> StagedBatch:
        def frame(key: str) -> pl.DataFrame | None:
            file = path / f"{key}.parquet"
            return pl.read_parquet(file) if file.exists() else None

        # Fields that are not frames (the lexicon) are not staged; the current ones stand in.
        empty = normalise([], extractor_version="staged")
        batch = NormalisedBatch(**{
            f.name: frame(f.name) if isinstance(getattr(empty, f.name), pl.DataFrame) else getattr(empty, f.name)
            for f in fields(NormalisedBatch)})
        return StagedBatch(path, batch, frame("fetch_log"), frame("url_state"), frame("discovered"),
                           frame("partitions"))

    def done(self, path: Path) -> None:
        shutil.rmtree(path)
