"""A NormalisedBatch as a plain dict of frames and back: for Parquet staging and for process pipes."""

from __future__ import annotations

from dataclasses import fields, replace

import polars as pl

from transforms.entities import Lexicon
from transforms.normalise import MENTIONS_SCHEMA, NormalisedBatch, derive, normalise


def frames_of(batch: NormalisedBatch) -> dict[str, pl.DataFrame]:
    return {name: getattr(batch, name) for name in FRAME_NAMES}


FRAME_NAMES = tuple(f.name for f in fields(NormalisedBatch) if f.name != "lexicon")


def batch_from(frames: dict[str, pl.DataFrame | None], lexicon: Lexicon) -> NormalisedBatch:
    """Frames back into a batch made with `lexicon` (a missing frame is an empty one)."""
    empty = normalise([], extractor_version="empty", lexicon=lexicon)
    return NormalisedBatch(**{name: frames[name] if frames.get(name) is not None else getattr(empty, name)
                              for name in FRAME_NAMES}, lexicon=lexicon)


def with_lexicon(batch: NormalisedBatch, digest: str | None, lexicon: Lexicon) -> NormalisedBatch:
    """A batch whose mentions and terms were made with the lexicon of `digest`, made again with
    `lexicon` when that is another one (a batch a run left staged before the gazetteer changed)."""
    if digest == lexicon.digest:
        return replace(batch, lexicon=lexicon)
    articles = batch.articles.select("article_id", "published_day", "source_id", "headline_clean")
    mentions, terms = derive(articles, batch.sections, lexicon)
    return replace(batch, mentions=mentions.select(list(MENTIONS_SCHEMA)), terms=terms, lexicon=lexicon)


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
    return batch_from(out, batches[-1].lexicon)


def combine_frames(frames: list[pl.DataFrame | None], key: list[str] | None) -> pl.DataFrame | None:
    present = [f for f in frames if f is not None and not f.is_empty()]
    if not present:
        return None
    frame = pl.concat(present, how="vertical_relaxed")
    return frame.unique(key, keep="last", maintain_order=True) if key else frame
