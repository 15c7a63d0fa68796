"""Turn Article records into Polars frames with fixed schemas (articles, children, entity mentions,
terms), ready for the warehouse."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

from transforms import neardup
from transforms.article import Article
from transforms.dating import FetchContext, publication_day
from transforms.entities import HEADLINE_SECTION, Lexicon, mentions_frame
from transforms.terms import terms_frame
from transforms.urls import BadUrl, same_site, story_key

# The frame schemas, defined once; the warehouse tables mirror them (warehouse/schema/*.sql).
ARTICLES_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "url": pl.Utf8,
    "canonical_url": pl.Utf8,
    "source_id": pl.Utf8,
    "title": pl.Utf8,
    "title_clean": pl.Utf8,
    "headline": pl.Utf8,
    "headline_clean": pl.Utf8,
    "language": pl.Utf8,
    "published_at": pl.Datetime("us", "UTC"),
    "updated_at": pl.Datetime("us", "UTC"),
    "published_day": pl.Date,
    "day_source": pl.Utf8,  # transforms.dating.DAY_SOURCES: how published_day was chosen
    "authors": pl.List(pl.Utf8),
    "keywords": pl.List(pl.Utf8),
    "word_count": pl.Int32,
    "body_text": pl.Utf8,
    "body_clean": pl.Utf8,
    "seed_text": pl.Utf8,
    "content_hash": pl.Utf8,
    "extractor_version": pl.Utf8,
    "page_kind": pl.Utf8,  # the extractor's judgement of the page (transforms.extract.pagekind)
    "page_kind_reason": pl.Utf8,
}
SECTIONS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "section_index": pl.Int16,
    "heading": pl.Utf8,
    "heading_clean": pl.Utf8,
    "section_number": pl.Int16,
    "paragraphs": pl.List(pl.Utf8),
    "text_clean": pl.Utf8,
    "paragraph_count": pl.Int16,
    "word_count": pl.Int32,
}
CATEGORIES_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "position": pl.Int16,
    "label": pl.Utf8,
    "label_clean": pl.Utf8,
    "url": pl.Utf8,
    "slug": pl.Utf8,
}
LINKS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "position": pl.Int16,
    "kind": pl.Utf8,
    "title": pl.Utf8,
    "title_clean": pl.Utf8,
    "url": pl.Utf8,
}

# Every URL a batch saw an article under (fetched, asked for, its same-site canonical), with the
# story key that identity compares (transforms.urls.story_key). warehouse/identity.py resolves
# articles through it and keeps the rows in article_urls.
URLS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "url": pl.Utf8,
    "url_key": pl.Utf8,
    "kind": pl.Utf8,  # fetched / requested / canonical
}
# Near-duplicate signatures (transforms.neardup) of articles long enough to compare, and their
# LSH band keys; the warehouse finds candidate copies across sources by joining on bands.
SIGNATURES_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "source_id": pl.Utf8,
    "minhash": pl.List(pl.UInt32),
}
BANDS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "band": pl.Int16,
    "bucket": pl.Int64,
}

# Derived rows; published_day and source_id are copied from the article so that a day's rows can
# be found without a join (warehouse/schema/012_entity_mentions.sql).
MENTIONS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "published_day": pl.Date,
    "source_id": pl.Utf8,
    "entity_id": pl.Utf8,
    "section_index": pl.Int16,  # -1: the headline
    "mentions": pl.Int32,
}
TERMS_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.Utf8,
    "published_day": pl.Date,
    "source_id": pl.Utf8,
    "term": pl.Utf8,
    "ngram": pl.Int8,
    "mentions": pl.Int32,
}

# Cleaning rule (clean_text_expr), applied in this order:
#  1. Unicode NFKC (compatibility forms such as Arabic presentation forms become plain letters).
#  2. No-break spaces U+00A0, U+202F, U+2007 become an ordinary space.
#  3. Invisible characters are removed: zero-width space U+200B, zero-width joiner U+200D,
#     word joiner U+2060, BOM U+FEFF, and also soft hyphen U+00AD and the bidi marks/controls
#     U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 (they only steer display, and Urdu pages
#     are full of them).
#  4. Zero-width non-joiner U+200C is KEPT between two letters (or a letter's combining mark):
#     in Urdu/Persian it is spelling ("می‌شود" is neither "میشود" nor "می شود"), so removing it or
#     turning it into a space would change or split words. Runs collapse to one; a ZWNJ next to
#     anything else (space, punctuation, text edge) is noise and is removed.
#  5. Whitespace runs (any Unicode whitespace, newlines included) become one space; ends stripped.
_NBSP = r"[\x{00A0}\x{202F}\x{2007}]"
_INVISIBLE = r"[\x{200B}\x{200D}\x{2060}\x{FEFF}\x{00AD}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]"
_NOT_LETTER = r"([^\p{L}\p{M}])"  # captured, so the neighbour is put back

# A numbered heading: 1-3 ASCII digits, then "." or ")", optional space, then text that does not
# start with a digit ("3.Global instability" -> 3; "2026 elections" and "1.5 million" are not numbered).
_HEADING_NUMBER = r"^([0-9]{1,3})[.)]\s*(\D.*)?$"
# Scheme and host, then query/fragment, are cut before taking a URL's last path segment.
_URL_ORIGIN = r"^[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*"
_URL_QUERY = r"[?#].*$"
_WORD = r"\S+"


@dataclass(frozen=True, eq=False)  # eq=False: comparing DataFrames with == is element-wise
class NormalisedBatch:
    """One normalise() result; every frame has exactly its *_SCHEMA columns and dtypes."""

    articles: pl.DataFrame
    sections: pl.DataFrame
    categories: pl.DataFrame
    links: pl.DataFrame
    mentions: pl.DataFrame
    terms: pl.DataFrame
    urls: pl.DataFrame
    signatures: pl.DataFrame
    bands: pl.DataFrame
    lexicon: Lexicon  # what mentions and terms were computed with


def clean_text_expr(col: str | pl.Expr) -> pl.Expr:
    """The cleaning rule above as one Polars expression on a Utf8 column (or pl.element())."""
    expr = pl.col(col) if isinstance(col, str) else col
    return (
        expr.str.normalize("NFKC")
        .str.replace_all(_NBSP, " ")
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(r"\x{200C}{2,}", "\u200c")
        .str.replace_all(_NOT_LETTER + r"\x{200C}", "${1}")
        .str.replace_all(r"\x{200C}" + _NOT_LETTER, "${1}")
        .str.replace_all(r"^\x{200C}|\x{200C}$", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def _clean_lines_expr(col: str | pl.Expr, separator: str = "\n") -> pl.Expr:
    """Clean each line of a text (or each item of a list), drop empty ones, join with newlines."""
    expr = pl.col(col) if isinstance(col, str) else col
    return (
        expr.list.eval(clean_text_expr(pl.element()))
        .list.filter(pl.element() != "")
        .list.join(separator)
    )


def article_id(article: Article) -> str:
    """First 16 hex chars of sha256 of the story key of the URL the article was fetched from.

    Every rendition of one page (http/https, www./m., AMP, index.html, tracking parameters) gets
    the same id. A rel=canonical is not used here: a sloppy site points every page at its home
    page, and ids must never collide; warehouse/identity.py merges canonical renditions instead.
    """
    try:
        key = story_key(article.url)
    except BadUrl:  # a local file or an odd scheme: the URL as it is
        key = article.url
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def identity_urls(article: Article, context: FetchContext | None) -> list[tuple[str, str, str]]:
    """(url, url_key, kind) of every URL the article is known under: the fetched one, the one
    asked for before redirects, and its rel=canonical when that is on the same site and is not
    the site's home page (a sloppy site's catch-all canonical)."""
    found: list[tuple[str, str, str]] = []
    candidates = [(article.url, "fetched")]
    if context is not None and context.requested_url:
        candidates.append((context.requested_url, "requested"))
    canonical = article.canonical_url
    if canonical and canonical != article.url and same_site(canonical, article.url):
        candidates.append((canonical, "canonical"))
    seen: set[str] = set()
    for url, kind in candidates:
        try:
            key = story_key(url)
        except BadUrl:
            continue
        if kind == "canonical" and key.split("?")[0].endswith("/") and key.count("/") == 1:
            continue  # the home page
        if url not in seen:
            seen.add(url)
            found.append((url, key, kind))
    return found


def as_utc(value: datetime | None) -> datetime | None:
    """An aware datetime in UTC (Python's zone rules, any tzinfo); None when UTC cannot hold it
    (year 1 at +14:00), since such a date says nothing an analyst can use."""
    if value is None:
        return None
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        return None


def content_hash(article: Article) -> str:
    """sha256 of a canonical JSON of the record's content: provenance, URLs and source excluded."""
    data = article.to_dict()
    # Where the article was found is identity, not content: the same text under two URLs of a
    # source is one article (warehouse/identity.py compares these hashes). The page-kind reason,
    # like the provenance, is the extractor's note on the content, not content.
    for name in ("provenance", "url", "canonical_url", "source_id", "page_kind_reason"):
        data.pop(name, None)
    for name in ("published_at", "updated_at"):
        value = as_utc(getattr(article, name))
        data[name] = value.isoformat() if value else None
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def normalise(articles: Sequence[Article], *, extractor_version: str, lexicon: Lexicon,
              contexts: Mapping[str, FetchContext] | None = None) -> NormalisedBatch:
    """Records -> frames. Duplicate article_ids: the last record wins (its position too).
    Mentions and terms use the given lexicon (the run reads it once: flows/settings.py). contexts (by the
    article's url) tell when and how each page was found: its publication day's fallbacks
    (transforms.dating) and the URL it was asked for."""
    contexts = contexts or {}
    latest: dict[str, Article] = {}
    for article in articles:
        aid = article_id(article)
        latest.pop(aid, None)
        latest[aid] = article

    rows: dict[str, list] = {k: [] for k in ("article_id", "url", "canonical_url", "source_id",
                                             "title", "headline", "language", "published_at",
                                             "updated_at", "published_day", "day_source", "authors", "keywords",
                                             "body_text", "seed_text", "content_hash", "page_kind",
                                             "page_kind_reason")}
    sections: dict[str, list] = {k: [] for k in ("article_id", "section_index", "heading", "paragraphs")}
    categories: dict[str, list] = {k: [] for k in ("article_id", "position", "label", "url")}
    links: dict[str, list] = {k: [] for k in ("article_id", "position", "title", "url")}
    urls: dict[str, list] = {k: [] for k in URLS_SCHEMA}

    for aid, a in latest.items():
        context = contexts.get(a.url)
        day, day_source = publication_day(a, context)
        for name, value in (
            ("article_id", aid), ("url", a.url), ("canonical_url", a.canonical_url),
            ("source_id", a.source_id), ("title", a.title), ("headline", a.headline),
            # Converted to UTC here: polars knows fewer zones than Python (dateutil zones,
            # 'posix/...', times skipped by a clock change).
            ("language", a.language), ("published_at", as_utc(a.published_at)),
            ("updated_at", as_utc(a.updated_at)), ("published_day", day), ("day_source", day_source),
            ("authors", list(a.authors)), ("keywords", list(a.keywords)),
            ("body_text", a.body_text()), ("seed_text", a.to_seed_text()),
            ("content_hash", content_hash(a)),
            ("page_kind", a.page_kind), ("page_kind_reason", a.page_kind_reason),
        ):
            rows[name].append(value)
        for url, key, kind in identity_urls(a, context):
            _append(urls, article_id=aid, url=url, url_key=key, kind=kind)
        for i, s in enumerate(a.sections):
            _append(sections, article_id=aid, section_index=i, heading=s.heading,
                    paragraphs=list(s.paragraphs))
        for i, c in enumerate(a.categories):
            _append(categories, article_id=aid, position=i, label=c.label, url=c.url)
        for i, link in enumerate(a.related):
            _append(links, article_id=aid, position=i, title=link.title, url=link.url)

    articles_frame, sections_frame = _articles_frame(rows, extractor_version), _sections_frame(sections)
    mentions, terms = derive(articles_frame, sections_frame, lexicon)
    signatures, bands = signature_frames(articles_frame)
    return NormalisedBatch(
        articles=articles_frame,
        sections=sections_frame,
        categories=_categories_frame(categories),
        links=_links_frame(links),
        mentions=mentions,
        terms=terms,
        urls=_frame(urls, URLS_SCHEMA),
        signatures=signatures,
        bands=bands,
        lexicon=lexicon,
    )


def text_parts(articles: pl.DataFrame, sections: pl.DataFrame) -> pl.DataFrame:
    """The texts mentions and terms come from, (article_id, section_index, text) in article order:
    the clean headline as section -1, then each section's clean heading and paragraphs. The title,
    category labels and related links are left out (see seeds/gazetteer.toml, rule 1)."""
    headline = articles.select(
        "article_id", section_index=pl.lit(HEADLINE_SECTION, pl.Int16), text=pl.col("headline_clean")
    )
    body = sections.select(
        "article_id", "section_index",
        text=pl.concat_str([pl.col("heading_clean").fill_null(""), pl.col("text_clean").fill_null("")],
                           separator="\n").str.strip_chars(),
    )
    order = articles.select("article_id").with_row_index("_order")
    return (
        pl.concat([headline, body])
        .filter(pl.col("text").fill_null("") != "")
        .join(order, on="article_id")
        .sort("_order", "section_index")
        .drop("_order")
    )


def derive(articles: pl.DataFrame, sections: pl.DataFrame, lexicon: Lexicon) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entity mentions and terms of articles (ARTICLES_SCHEMA columns article_id, published_day,
    source_id, headline_clean) and their sections: (MENTIONS_SCHEMA frame, TERMS_SCHEMA frame)."""
    parts = text_parts(articles, sections)
    keys = articles.select("article_id", "published_day", "source_id")
    mentions = mentions_frame(parts, lexicon.matcher).join(keys, on="article_id", maintain_order="left")
    terms = terms_frame(parts, lexicon.stopwords).join(keys, on="article_id", maintain_order="left")
    return _finish(mentions, MENTIONS_SCHEMA), _finish(terms, TERMS_SCHEMA)


def signature_frames(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Near-duplicate signatures and their LSH bands (SIGNATURES_SCHEMA, BANDS_SCHEMA frames) of
    articles (columns article_id, source_id, body_text); articles too short to compare have none."""
    signatures: dict[str, list] = {k: [] for k in SIGNATURES_SCHEMA}
    bands: dict[str, list] = {k: [] for k in BANDS_SCHEMA}
    for aid, source, body in articles.select("article_id", "source_id", "body_text").iter_rows():
        if (sig := neardup.signature(body or "")) is not None:
            _append(signatures, article_id=aid, source_id=source, minhash=sig)
            for band, bucket in enumerate(neardup.band_keys(sig)):
                _append(bands, article_id=aid, band=band, bucket=bucket)
    return _frame(signatures, SIGNATURES_SCHEMA), _frame(bands, BANDS_SCHEMA)


def _append(columns: dict[str, list], **values) -> None:
    for name, value in values.items():
        columns[name].append(value)


def _frame(columns: dict[str, list], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build the raw frame with the target dtypes of the columns it has."""
    return pl.DataFrame(columns, schema={name: schema[name] for name in columns})


def _finish(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _articles_frame(rows: dict[str, list], extractor_version: str) -> pl.DataFrame:
    frame = _frame(rows, ARTICLES_SCHEMA).with_columns(
        title_clean=clean_text_expr("title"),
        headline_clean=clean_text_expr("headline"),
        word_count=pl.col("body_text").str.count_matches(_WORD),
        body_clean=_clean_lines_expr(pl.col("body_text").str.split("\n")),
        extractor_version=pl.lit(extractor_version, dtype=pl.Utf8),
    )
    return _finish(frame, ARTICLES_SCHEMA)


def _sections_frame(rows: dict[str, list]) -> pl.DataFrame:
    heading = clean_text_expr("heading")
    number = heading.str.extract(_HEADING_NUMBER, 1).cast(pl.Int16)
    rest = heading.str.extract(_HEADING_NUMBER, 2).fill_null("").str.strip_chars()
    frame = _frame(rows, SECTIONS_SCHEMA).with_columns(
        section_number=number,
        heading_clean=pl.when(number.is_not_null()).then(rest).otherwise(heading),
        text_clean=_clean_lines_expr("paragraphs"),
        paragraph_count=pl.col("paragraphs").list.len(),
        word_count=pl.col("paragraphs").list.join("\n").str.count_matches(_WORD),
    )
    return _finish(frame, SECTIONS_SCHEMA)


def _categories_frame(rows: dict[str, list]) -> pl.DataFrame:
    frame = _frame(rows, CATEGORIES_SCHEMA).with_columns(
        label_clean=clean_text_expr("label"),
        slug=pl.col("url")
        .str.replace(_URL_ORIGIN, "")
        .str.replace(_URL_QUERY, "")
        .str.split("/")
        .list.filter(pl.element() != "")
        .list.last()
        .str.to_lowercase(),
    )
    return _finish(frame, CATEGORIES_SCHEMA)


def _links_frame(rows: dict[str, list]) -> pl.DataFrame:
    frame = _frame(rows, LINKS_SCHEMA).with_columns(
        kind=pl.lit("related", dtype=pl.Utf8),
        title_clean=clean_text_expr("title"),
    )
    return _finish(frame, LINKS_SCHEMA)
