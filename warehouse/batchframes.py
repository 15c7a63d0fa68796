"""A NormalisedBatch as a plain dict of frames and back: for Parquet staging and for process pipes."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

import polars as pl

from transforms.normalise import NormalisedBatch, normalise


def frames_of(batch: NormalisedBatch) -> dict[str, pl.DataFrame]:
    return {f.name: getattr(batch, f.name) for f in fields(batch) if isinstance(getattr(batch, f.name), pl.DataFrame)}


@cache
def _empty() -> NormalisedBatch:
    return normalise([], extractor_version="empty")


def batch_from(frames: dict[str, pl.DataFrame | None]) -> NormalisedBatch:
    """Frames back into a batch; fields that are not frames (the lexicon) come from the current defaults."""
    empty = _empty()
    return NormalisedBatch(**{
        f.name: (frames.get(f.name) if frames.get(f.name) is not None else getattr(empty, f.name))
        if isinstance(getattr(empty, f.name), pl.DataFrame) else getattr(empty, f.name)
        for f in fields(NormalisedBatch)})


def combine_batches(batches: list[NormalisedBatch]) -> NormalisedBatch:
    """Several batches as one, as if loaded in order: an article seen twice keeps its last version,
    children included (never a mix of an older version's rows with a newer one's)."""
    if len(batches) == 1:
        return batches[0]
    tagged = [{name: frame.with_columns(pl.lit(i, pl.Int32).alias("_batch")) for name, frame in frames_of(b).items()}
              for i, b in enumerate(batches)]
    names = list(tagged[0])
    combined = {name: pl.concat([t[name] for t in tagged], how="vertical_relaxed") for name in names}
    latest = combined["articles"].group_by("article_id").agg(pl.col("_batch").max())
    out = {}
    for name, frame in combined.items():
        if "article_id" in frame.columns:
            frame = frame.join(latest, on=["article_id", "_batch"], how="semi")
        out[name] = frame.drop("_batch")
    out["articles"] = out["articles"].unique("article_id", keep="last", maintain_order=True)
    return batch_from(out)


def combine_frames(frames: list[pl.DataFrame | None], key: list[str] | None) -> pl.DataFrame | None:
    present = [f for f in frames if f is not None and not f.is_empty()]
    if not present:
        return None
    frame = pl.concat(present, how="vertical_relaxed")
    return frame.unique(key, keep="last", maintain_order=True) if key else frame
