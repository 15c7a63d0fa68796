"""Search words: the one tokenising rule of the search index and its queries (plain Python and Polars),
and keyword-in-context display of matched words."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import polars as pl
import pyarrow as pa

# Bump when the rule below changes: a warehouse indexed with another version is rebuilt by its next load.
TOKENIZER_VERSION = "search-1"

# Tokenising rule, applied alike to the clean headline and body of every article and to query words:
#  1. Zero-width non-joiner U+200C is removed: clean text keeps it inside Urdu words ("می‌شود"), and a
#     searcher who types "میشود" means the same word.
#  2. Lower-case (final sigma ς becomes σ).
#  3. A possessive 's or ’s is dropped when no letter, mark or digit follows ("Korea's" -> "korea"),
#     as for article_terms, so "north korea missile" matches "North Korea's missile".
#  4. A word is a run of letters, combining marks and digits (Unicode L, M, N); anything else separates
#     words (hyphens, apostrophes, dots: "self-reliance" -> "self", "reliance"; "G20" stays one word).
#  5. A word holding a Latin letter loses its combining marks ("pérez" -> "perez", "i̇stanbul" ->
#     "istanbul"); other words keep theirs, so Urdu is matched on its own letters (no folding of
#     ئ to ي, no stemming, no English rule applied to it).
#  6. Positions: body words count from 0; a line break (paragraph, heading) skips one position, so a
#     phrase never spans two paragraphs. Headline words take positions -n-1 .. -2 (n words), so the sign
#     says the field and a phrase never spans headline and body.
ZWNJ = "\u200c"
APOSTROPHES = "'\u2019"
LATIN = r"[a-z\x{00C0}-\x{024F}\x{1E00}-\x{1EFF}]"  # a Latin letter, in both Rust and RE2 syntax
_POSSESSIVE = r"(['\x{2019}]s)([^\p{L}\p{M}\p{N}]|$)"
_TOKEN = r"[\p{L}\p{M}\p{N}]+|\n"  # a line break is kept as a token: it takes a position
_HEAD_TOKEN = r"[\p{L}\p{M}\p{N}]+"  # a headline is one line


def _is_word_char(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMN"


def _is_latin(c: str) -> bool:
    o = ord(c)
    return "a" <= c <= "z" or 0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF


def _strip_marks(word: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c)[0] != "M"))


def fold(text: str) -> str:
    """Rules 1-3 on a text: the string words are cut from."""
    s = text.replace(ZWNJ, "").lower().replace("ς", "σ")
    out: list[str] = []
    i = 0
    while i < len(s):
        if s[i] in APOSTROPHES and s[i + 1:i + 2] == "s" and (i + 2 == len(s) or not _is_word_char(s[i + 2])):
            out.append(s[i + 2:i + 3])  # the character after 's stays (as the regex puts it back)
            i += 3
            continue
        out.append(s[i])
        i += 1
    return "".join(out)


def words(text: str) -> list[str | None]:
    """Rules 1-5: the words of a text in order, None standing for a line break."""
    out: list[str | None] = []
    current: list[str] = []
    for c in fold(text) + " ":
        if _is_word_char(c):
            current.append(c)
            continue
        if current:
            word = "".join(current)
            out.append(_strip_marks(word) if any(map(_is_latin, word)) else word)
            current = []
        if c == "\n":
            out.append(None)
    return out


def terms(text: str) -> list[str]:
    """The words of a query word or phrase, line breaks ignored."""
    return [w for w in words(text) if w is not None]


def positioned(headline: str | None, body: str | None) -> list[tuple[str, int]]:
    """Rule 6: (word, position) of an article's headline and body, headline first."""
    head = terms(headline or "")
    out = [(w, i - len(head) - 1) for i, w in enumerate(head)]
    out += [(w, i) for i, w in enumerate(words(body or "")) if w is not None]
    return out


# --- the same rule in Polars, for indexing batches of articles -------------------------------------

def _tokens_expr(col: str, token: str = _TOKEN) -> pl.Expr:
    return (pl.col(col).fill_null("").str.replace_all(ZWNJ, "", literal=True).str.to_lowercase()
            .str.replace_all("ς", "σ", literal=True).str.replace_all(_POSSESSIVE, "$2").str.extract_all(token))


def _fold_latin(word: pl.Expr) -> pl.Expr:
    stripped = word.str.normalize("NFD").str.replace_all(r"\p{M}", "").str.normalize("NFC")
    return pl.when(word.str.contains(LATIN)).then(stripped).otherwise(word)


def doc_number(article_id: str, content_hash: str) -> int:
    """An article version's number in the index: the first 8 bytes of sha256(article_id, content_hash)
    as a signed 64-bit integer. The same version always gets the same number, whatever order loads
    come in, so an index kept by loads equals one built afresh (two versions sharing a number: about
    one chance in 10^7 among a million articles)."""
    digest = hashlib.sha256(f"{article_id}\0{content_hash}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def index_rows(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Articles (article_id, content_hash, published_day, source_id, language, headline_clean,
    body_clean) -> (docs, postings): one docs row per article with its doc number and word counts;
    one postings row per (word, doc) with its headline and body occurrences and positions."""
    doc = [doc_number(a, h) for a, h in zip(articles["article_id"], articles["content_hash"])]
    base = articles.with_columns(doc=pl.Series(doc, dtype=pl.Int64)).with_row_index("d")  # d: place in the batch
    # One row per word occurrence (d, pos, tok): the one frame as large as the text, so it is made once,
    # and its words are dropped as soon as the vocabulary has them (a load's memory peaks here).
    tokens = (pl.concat([_occurrences(base, "headline_clean", _HEAD_TOKEN, headline=True),
                         _occurrences(base, "body_clean", _TOKEN, headline=False)])
              .filter(pl.col("tok").is_not_null() & (pl.col("tok") != "\n"))
              .with_columns(pl.col("pos").cast(pl.Int32), h=pl.col("tok").hash()))
    # Rule 5 on the batch's distinct words only (folding every occurrence costs more than the rest);
    # each word then gets the rank of its term in byte order, so grouping and sorting run on integers.
    # Words are keyed by a 64-bit hash: two words of one batch colliding (~1e-11 per batch of 20,000
    # distinct words) would share a term.
    vocabulary = tokens.select("h", "tok").unique("h").with_columns(term=_fold_latin(pl.col("tok")))
    tokens = tokens.drop("tok")
    terms_in_order = vocabulary.get_column("term").unique().sort()
    ranks = vocabulary.join(terms_in_order.to_frame().with_row_index("rank"), on="term").select("h", "rank")
    del vocabulary
    tokens = (tokens.join(ranks, on="h")
              .select("d", "pos", key=pl.col("rank").cast(pl.UInt64) * (1 << 32) + pl.col("d").cast(pl.UInt64)))
    counts = tokens.group_by("d").agg(head_len=(pl.col("pos") < 0).sum().cast(pl.Int32),
                                      body_len=(pl.col("pos") >= 0).sum().cast(pl.Int32))
    docs = (base.select("d", "doc", "article_id", day="published_day", source_id="source_id", language="language")
            .join(counts, on="d", how="left", maintain_order="left")
            .with_columns(pl.col("head_len", "body_len").fill_null(0)).drop("d"))
    return docs, _postings(tokens, terms_in_order, base.get_column("doc"))


def _occurrences(base: pl.DataFrame, col: str, token: str, headline: bool) -> pl.DataFrame:
    """(d, pos, tok) of every token of a field; headline positions run -n-1 .. -2 (rule 6)."""
    n = pl.col("tok").list.len()
    pos = pl.int_ranges(n) - n - 1 if headline else pl.int_ranges(n)
    return base.select("d", tok=_tokens_expr(col, token)).with_columns(pos=pos).explode("tok", "pos")


def _postings(tokens: pl.DataFrame, terms_in_order: pl.Series, docs: pl.Series) -> pl.DataFrame:
    """One row per (term, doc) from tokens (d, pos, key = term rank << 32 | d, the doc's place in docs):
    sorted by key (stably, so each run keeps its positions in word order), every run of one key is a
    row, its positions list cut out of the sorted column by offsets. Sorted by term, as the index wants
    (DuckDB sorts rows with a list column slowly); 2-3x faster than a group_by with a list aggregate."""
    s = tokens.sort("key", maintain_order=True)
    key, pos = s.get_column("key"), s.get_column("pos")
    starts = (key != key.shift(1)).fill_null(True).arg_true().cast(pl.Int64)  # each run's first row
    offsets = pl.concat([starts, pl.Series([s.height], dtype=pl.Int64)])
    ends = offsets.slice(1)
    positions = pl.Series("positions", pa.ListArray.from_arrays(pa.array(offsets.cast(pl.Int32).to_arrow()),
                                                                pos.to_arrow()))
    is_head = (pos < 0).cast(pl.Int32)
    heads = is_head.cum_sum()  # headline positions up to each row: a run's count is a difference
    head_tf = heads.gather(ends - 1) - heads.gather(starts) + is_head.gather(starts) if s.height else is_head
    return pl.DataFrame({
        "term": terms_in_order.gather((key.gather(starts) // (1 << 32)).cast(pl.UInt32)),
        "doc": docs.gather(s.get_column("d").gather(starts)),
        "head_tf": head_tf.cast(pl.Int32),
        "body_tf": ((ends - starts).cast(pl.Int32) - head_tf).cast(pl.Int32),
        "positions": positions,
    })


# --- keywords in context --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Match:
    field: str  # "headline" or "body"
    position: int  # of the first matched word
    left: str
    match: str
    right: str


@lru_cache(maxsize=100_000)
def _word_count(word: str) -> int:
    """Words (rule 4) in one space-separated word of text; cached: text repeats its words."""
    return len(terms(word))


def _spans(field_text: str, first: int) -> list[tuple[str, int, int]]:
    """(surface word, first position, last position) of each space-separated word of a field;
    a word without letters or digits (a dash) gets no position: (word, p, p - 1)."""
    out: list[tuple[str, int, int]] = []
    pos = first
    for line_no, line in enumerate(field_text.split("\n")):
        if line_no:
            pos += 1  # the skipped position of a line break
        for word in line.split(" "):
            if not word:
                continue
            n = _word_count(word)
            out.append((word, pos, pos + n - 1))
            pos += n
    return out


def matches_in_context(headline: str | None, body: str | None, hits: list[int], context: int) -> list[Match]:
    """Each run of matched positions (a word, a phrase) with `context` words either side, per field."""
    hit = set(hits or ())
    out: list[Match] = []
    head = (headline or "").replace("\n", " ")  # a headline is one line: a break in it is a space
    for field, text, first in (("headline", head, -len(terms(head)) - 1), ("body", body or "", 0)):
        spans = _spans(text, first)
        marked = [any(p in hit for p in range(lo, hi + 1)) for _, lo, hi in spans]
        i = 0
        while i < len(spans):
            if not marked[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(spans) and marked[j + 1]:
                j += 1
            out.append(Match(field, spans[i][1], " ".join(w for w, *_ in spans[max(0, i - context):i]),
                             " ".join(w for w, *_ in spans[i:j + 1]),
                             " ".join(w for w, *_ in spans[j + 1:j + 1 + context])))
            i = j + 1
    return out


def snippet(headline: str | None, body: str | None, hits: list[int], width: int = 12) -> str:
    """Around the first body match (else the headline's): `width` words either side, matches in « »."""
    hit = set(hits or ())
    head = (headline or "").replace("\n", " ")
    for text, first in ((body or "", 0), (head, -len(terms(head)) - 1)):
        spans = _spans(text, first)
        marked = [any(p in hit for p in range(lo, hi + 1)) for _, lo, hi in spans]
        if not any(marked):
            continue
        start = marked.index(True)
        lo, hi = max(0, start - width), min(len(spans), start + width + 1)
        parts: list[str] = []
        for (word, *_), mark, before in zip(spans[lo:hi], marked[lo:hi], [False, *marked[lo:hi]]):
            if mark and before and parts:  # a run of matched words (a phrase) is marked once
                parts[-1] = parts[-1][:-1] + f" {word}»"
            else:
                parts.append(f"«{word}»" if mark else word)
        return ("… " if lo else "") + " ".join(parts) + (" …" if hi < len(spans) else "")
    return ""
