"""Article metadata as a cascade: JSON-LD, then meta tags, then visible markup.

Each step fills only the fields still empty and records where each value came
from, so an analyst can tell a JSON-LD date from one read off a <time> element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

from dateutil import parser as dateparser
from lxml import html as lxml_html

from transforms.text import collapse

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
     "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Report"}
)

# (field, meta attribute value) in order of trust; the first present wins.
META_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "og:title"),
    ("title", "twitter:title"),
    ("canonical_url", "og:url"),
    ("published_at", "article:published_time"),
    ("published_at", "og:article:published_time"),
    ("published_at", "datePublished"),
    ("published_at", "pubdate"),
    ("published_at", "dc.date"),
    ("published_at", "dc.date.issued"),
    ("updated_at", "article:modified_time"),
    ("updated_at", "og:updated_time"),
    ("updated_at", "dateModified"),
    ("authors", "author"),
    ("authors", "article:author"),
    ("authors", "dc.creator"),
    ("language", "og:locale"),
    ("language", "dc.language"),
    ("site_name", "og:site_name"),
    ("section", "article:section"),
)


@dataclass
class Metadata:
    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: object, source: str) -> None:
        if value in (None, "", [], ()) or name in self.values:
            return
        self.values[name] = value
        self.provenance[name] = source

    def get(self, name: str, default: object = None) -> object:
        return self.values.get(name, default)


def parse_date(text: str) -> tuple[datetime | None, str]:
    """An aware datetime and a note; naive dates are read as UTC and say so."""
    try:
        value = dateparser.isoparse(text.strip())
    except (ValueError, OverflowError):
        try:
            value = dateparser.parse(text.strip())
        except (ValueError, OverflowError, TypeError):
            return None, "unparseable"
    if value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc), "naive; assumed UTC"
    return value, ""


def _json_ld_objects(tree: lxml_html.HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # malformed JSON-LD is common; the next cascade step covers it
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return objects


def _is_article(obj: dict) -> bool:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(t in ARTICLE_TYPES for t in types if isinstance(t, str))


def _names(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and collapse(name):
            names.append(collapse(name))
    return names


def _from_json_ld(tree, meta: Metadata) -> None:
    for obj in filter(_is_article, _json_ld_objects(tree)):
        src = "json-ld"
        meta.offer("headline", collapse(str(obj.get("headline") or "")), src)
        for name, key in (("published_at", "datePublished"), ("updated_at", "dateModified")):
            if isinstance(obj.get(key), str):
                _offer_date(meta, name, obj[key], src)
        meta.offer("authors", _names(obj.get("author")), src)
        lang = obj.get("inLanguage")
        meta.offer("language", lang if isinstance(lang, str) else None, src)
        page = obj.get("mainEntityOfPage")
        page = page.get("@id") if isinstance(page, dict) else page
        meta.offer("canonical_url", page if isinstance(page, str) else obj.get("url"), src)


def _offer_date(meta: Metadata, name: str, text: str, source: str) -> None:
    value, note = parse_date(text)
    if value is not None:
        meta.offer(name, value, f"{source} ({note})" if note else source)


def _from_meta_tags(tree, meta: Metadata) -> None:
    tags: dict[str, list[str]] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key:
            tags.setdefault(key, []).append(el.get("content"))
    for name, key in META_FIELDS:
        for content in tags.get(key.lower(), []):
            content = collapse(content)
            if name in ("published_at", "updated_at"):
                _offer_date(meta, name, content, f"meta:{key}")
            elif name == "authors":
                if not content.startswith(("http://", "https://")):
                    meta.offer(name, [content], f"meta:{key}")
            else:
                meta.offer(name, content, f"meta:{key}")


def _from_markup(tree, meta: Metadata) -> None:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        meta.offer("canonical_url", href.strip(), "link:canonical")
    for el in tree.xpath("//time[@datetime]"):
        cls = (el.get("class") or "") + " " + (el.get("itemprop") or "")
        field_name = "updated_at" if ("updated" in cls or "dateModified" in cls) else "published_at"
        _offer_date(meta, field_name, el.get("datetime"), "time[datetime]")
    authors = [collapse(a.text_content()) for a in tree.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]//a"
        " | //*[@rel='author']")]
    meta.offer("authors", list(dict.fromkeys(a for a in authors if a)), "markup:byline")
    title = tree.findtext(".//title")
    meta.offer("document_title", collapse(title or ""), "title")
    meta.offer("language", tree.get("lang") or tree.get("xml:lang"), "html[lang]")


def read_metadata(tree: lxml_html.HtmlElement, url: str | None) -> Metadata:
    meta = Metadata()
    _from_json_ld(tree, meta)
    _from_meta_tags(tree, meta)
    _from_markup(tree, meta)
    canonical = meta.get("canonical_url")
    if isinstance(canonical, str) and url:
        meta.values["canonical_url"] = urljoin(url, canonical)
    return meta


def document_title(meta: Metadata) -> tuple[str, str]:
    """og:title, else <title> without its " – Site Name" suffix."""
    if meta.get("title"):
        return str(meta.get("title")), meta.provenance["title"]
    title = str(meta.get("document_title") or "")
    site = str(meta.get("site_name") or "")
    for sep in (" – ", " — ", " | ", " - ", " :: "):
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)], "title (site name removed)"
    return title, "title"


def language_code(tag: object) -> str | None:
    """'en-US' / 'en_US' -> 'en'; None when absent."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    return tag.strip().replace("_", "-").split("-")[0].lower()
