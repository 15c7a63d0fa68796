"""Discovery: article URLs (with the date hint their source gave) from feeds, sitemaps, listings."""

from __future__ import annotations

import calendar
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import feedparser
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from lxml import etree
from lxml import html as lxml_html

from transforms.extract.metadata import parse_date
from transforms.urls import BadUrl, canonicalise, date_in_path

# Decompressed sitemaps above this are cut: the sitemap protocol caps a file
# at 50 MB uncompressed, and a gzip bomb must not get further than that.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_NEXT_LINK = ("//link[@rel='next']/@href", "//a[@rel='next']/@href",
              "//a[contains(concat(' ', normalize-space(@class), ' '), ' next ')]/@href")
# Without a source pattern, a listing link counts as an article when its path
# carries a date (WordPress /2026/09/14/slug/) or a long hyphenated slug.
_ARTICLE_PATH = re.compile(
    r"/(19|20)\d\d/\d\d/(\d\d/)?[a-z0-9-]*[a-z][a-z0-9-]*|/[a-z0-9]+(?:-[a-z0-9]+){3,}/?(?:\.html?)?$", re.I)
# Taxonomy and archive sections of CMSes, never single articles.
_NOT_ARTICLE_PATH = re.compile(r"^/(tag|tags|category|categories|author|authors|topic|topics|page|search|feed)/", re.I)


def looks_like_article(path: str, pattern: re.Pattern | None = None) -> bool:
    """Whether a same-site link path is an article: the source's pattern, else the default rule."""
    if pattern is not None:
        return bool(pattern.search(path))
    return bool(_ARTICLE_PATH.search(path)) and not _NOT_ARTICLE_PATH.search(path)


# How much a date hint says about the publication day, best first: a sitemap's
# lastmod is often the last edit, so it ranks below everything that names the day.
HINT_PRIORITY = ("news:publication_date", "pubDate", "date archive", "url", "lastmod")


def hint_rank(source: str | None) -> int:
    return HINT_PRIORITY.index(source) if source in HINT_PRIORITY else len(HINT_PRIORITY)


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read at all (malformed or hostile XML)."""


@dataclass(frozen=True, slots=True)
class Discovered:
    url: str
    via: str  # feed | sitemap | listing
    date_hint: datetime | None = None
    hint_source: str | None = None  # pubDate | lastmod | news:publication_date | url


def _with_url_date(url: str, via: str, hint: datetime | None, source: str | None) -> Discovered:
    if hint is None and (day := date_in_path(url)):
        hint, source = datetime.fromisoformat(day).replace(tzinfo=timezone.utc), "url"
    return Discovered(url, via, hint, source)


def parse_feed(body: bytes, url: str) -> list[Discovered]:
    _refuse_entities(body, url)
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    except (ValueError, LookupError) as exc:  # feedparser fails on some encoding declarations ("\x80", NUL)
        raise DiscoveryError(f"{url}: not a readable feed ({type(exc).__name__}: {exc})") from exc
    if parsed.bozo and not parsed.entries:
        raise DiscoveryError(f"{url}: not a readable feed ({parsed.get('bozo_exception')})")
    found = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        try:
            link = canonicalise(link, url)
        except BadUrl:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        hint = datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc) if stamp else None
        found.append(_with_url_date(link, "feed", hint, "pubDate" if hint else None))
    return found


@dataclass(frozen=True, slots=True)
class SitemapPage:
    articles: list[Discovered]
    sitemaps: list[Discovered]  # children of a sitemap index


def _refuse_entities(body: bytes, url: str) -> None:
    head = body[:4096].lower()
    if b"<!entity" in head or b"<!doctype" in head and b"[" in head.split(b"<!doctype", 1)[1][:2048]:
        raise DiscoveryError(f"{url}: XML with entity declarations refused (possible entity-expansion attack)")


def _gunzip(body: bytes, url: str) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # OSError includes gzip.BadGzipFile
        raise DiscoveryError(f"{url}: not a readable gzip file ({type(exc).__name__}: {exc})") from exc
    if len(data) > MAX_SITEMAP_BYTES:
        raise DiscoveryError(f"{url}: gzipped sitemap expands beyond {MAX_SITEMAP_BYTES} bytes; refused")
    return data


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sitemap(body: bytes, url: str) -> SitemapPage:
    """A urlset (with lastmod or Google News publication_date) or a sitemap index."""
    data = _gunzip(body, url)
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    # An XML declaration's encoding can be unknown (LookupError) or multi-byte, which expat refuses (ValueError).
    except (DefusedXmlException, SafeET.ParseError, LookupError, ValueError) as exc:
        raise DiscoveryError(f"{url}: not a readable sitemap ({type(exc).__name__}: {exc})") from exc
    articles, children = [], []
    for node in root:
        fields = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "publication_date") and name not in fields:
                fields[name] = (child.text or "").strip()
        if not fields.get("loc"):
            continue
        try:
            loc = canonicalise(fields["loc"], url)
        except BadUrl:
            continue
        hint, source = None, None
        for key, label in (("publication_date", "news:publication_date"), ("lastmod", "lastmod")):
            if fields.get(key):
                hint = parse_date(fields[key])[0]
                if hint:
                    source = label
                    break
        target = children if _local(node.tag) == "sitemap" else articles
        target.append(_with_url_date(loc, "sitemap", hint, source))
    return SitemapPage(articles, children)


@dataclass(frozen=True, slots=True)
class ListingPage:
    articles: list[Discovered]
    next_url: str | None


def parse_listing(body: bytes | str, url: str, article_pattern: str | None = None) -> ListingPage:
    """Article links and the rel=next page; DiscoveryError when the body is not HTML at all (empty)."""
    try:
        if isinstance(body, str):  # lxml refuses text with an XML encoding declaration: give it UTF-8
            body = body.encode("utf-8", "replace")
            tree = lxml_html.document_fromstring(body, parser=lxml_html.HTMLParser(encoding="utf-8"))
        else:
            tree = lxml_html.document_fromstring(body)
    except (etree.LxmlError, ValueError) as exc:
        raise DiscoveryError(f"{url}: not a readable listing page ({type(exc).__name__}: {exc})") from exc
    host = urlsplit(url).hostname
    pattern = re.compile(article_pattern) if article_pattern else None
    seen: dict[str, Discovered] = {}
    for href in tree.xpath("//a/@href"):
        try:
            link = canonicalise(href, url)
        except BadUrl:
            continue
        if urlsplit(link).hostname == host and link != url and looks_like_article(urlsplit(link).path, pattern):
            seen.setdefault(link, _with_url_date(link, "listing", None, None))
    next_url = None
    for href in (href for xpath in _NEXT_LINK for href in tree.xpath(xpath)):
        try:
            next_url = canonicalise(href, url)
            break
        except BadUrl:  # javascript:, a broken URL: try the next candidate
            continue
    return ListingPage(list(seen.values()), next_url)
