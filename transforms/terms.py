"""Terms: lower-cased unigrams and bigrams per article, stop words (seeds/stopwords_*.txt, read by the
caller: flows/settings.py) left out."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

# Bump when the tokenising rules below change, so stored terms are recomputed (lexicon digest).
TERMS_VERSION = "terms-1"

TERMS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "term": pl.Utf8,
    "ngram": pl.Int8,  # 1 or 2
    "mentions": pl.Int32,
}

# Tokenising rule, applied to the clean headline and sections (the text entities are matched in):
#  1. Lower-case; a possessive "'s"/"’s" is dropped ("china’s" -> "china").
#  2. A word is a run of letters and combining marks (ZWNJ allowed inside Urdu words); hyphens and
#     apostrophes split words ("self-reliance" -> "self", "reliance").
#  3. Any other non-space character (digits, punctuation, Urdu ۔ and ،) and a line break (between
#     headline, heading and paragraphs) is a break: bigrams never span it, nor a stop word, nor a
#     word of one letter. Words of one letter are not terms.
#  4. Unigrams: every word not in a stop-word list; bigrams: two such words side by side.
_POSSESSIVE = r"['’]s\b"
_TOKEN = r"[\p{L}\p{M}\x{200C}]+|[^\p{L}\p{M}\x{200C}\s'’\-]+|\n"
_WORD = r"^[\p{L}\p{M}\x{200C}]{2,}$"


@dataclass(frozen=True, slots=True)
class Stopwords:
    words: frozenset[str]
    digest: str  # sha256 over the files' bytes


def parse_stopwords(texts: Sequence[bytes]) -> Stopwords:
    words: set[str] = set()
    for data in texts:
        for line in data.decode("utf-8").splitlines():
            word = line.split("#", 1)[0].strip().lower()
            if word:
                words.add(word)
    digest = hashlib.sha256(b"\0".join(texts)).hexdigest()
    return Stopwords(frozenset(words), digest)


def terms_frame(parts: pl.DataFrame, stopwords: Stopwords) -> pl.DataFrame:
    """parts (article_id, section_index, text) -> one TERMS_SCHEMA row per (article, term)."""
    stop = sorted(stopwords.words)
    tokens = (
        parts.select(
            "article_id",
            tok=pl.col("text").fill_null("").str.to_lowercase()
            .str.replace_all(_POSSESSIVE, "").str.extract_all(_TOKEN),
        )
        .with_row_index("part")
        .explode("tok")
        .drop_nulls("tok")
        .with_columns(ok=pl.col("tok").str.contains(_WORD) & ~pl.col("tok").is_in(stop))
    )
    follows = pl.col("part").shift(-1) == pl.col("part")
    pairs = tokens.with_columns(
        nxt=pl.col("tok").shift(-1), pair_ok=pl.col("ok") & pl.col("ok").shift(-1) & follows
    )
    bigrams = pairs.filter("pair_ok").select(
        "article_id", term=pl.col("tok") + " " + pl.col("nxt"), ngram=pl.lit(2, pl.Int8)
    )
    unigrams = tokens.filter("ok").select("article_id", term="tok", ngram=pl.lit(1, pl.Int8))
    return (
        pl.concat([unigrams, bigrams])
        .group_by("article_id", "term", "ngram")
        .agg(mentions=pl.len().cast(pl.Int32))
        .sort("article_id", "ngram", "term")
        .select([pl.col(name).cast(dtype) for name, dtype in TERMS_SCHEMA.items()])
    )
