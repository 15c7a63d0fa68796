"""Structured data in a page: JSON-LD objects and schema.org microdata, read leniently into plain values."""

from __future__ import annotations

import json
import re

from transforms.extract.text import collapse

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle",
    "SocialMediaPosting", "AskPublicVideoAnswer", "SatiricalArticle", "AdvertiserContentArticle", "Blog",
})
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "AboutPage", "CollectionPage"})
# JSON-LD blocks larger than this are not read (a product feed, not page metadata).
MAX_JSON_LD_CHARS = 2_000_000
# Keys under which sites nest the objects that matter (Yoast's @graph, a WebPage's mainEntity).
NESTED_KEYS = ("@graph", "mainEntity", "itemListElement")
# How deep to look for article objects inside other objects (mainEntity, @graph, lists).
MAX_NESTING = 6
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|/\*\s*<!\[CDATA\[\s*\*/)"
                       r"|(?:-->|//\s*\]\]>|/\*\s*\]\]>\s*\*/)\s*$")


def _loads(text: str) -> object:
    """json.loads that forgives what CMSes emit: raw newlines in strings, trailing commas, comment wrappers."""
    text = _WRAPPERS.sub("", text).strip()
    if not text or len(text) > MAX_JSON_LD_CHARS:
        return None
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def types_of(obj: dict) -> set[str]:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return {t.rsplit("/", 1)[-1] for t in types if isinstance(t, str)}


def json_ld_objects(scripts) -> list[dict]:
    """Every JSON object of the page's ld+json scripts, in document order, @graph and nested mainEntity included."""
    objects: list[dict] = []
    for script in scripts:
        data = _loads(script.text or "")
        stack = [(data, 0)]
        while stack:
            item, depth = stack.pop(0)
            if depth > MAX_NESTING:
                continue
            if isinstance(item, list):
                stack[:0] = [(x, depth + 1) for x in item]
            elif isinstance(item, dict):
                objects.append(item)
                nested = [item[k] for k in NESTED_KEYS if isinstance(item.get(k), (list, dict))]
                stack[:0] = [(x, depth + 1) for x in nested]
    return objects


def names(value: object, by_id: dict[str, dict] | None = None) -> list[str]:
    """Author-like values (a string, a Person, a list of them, an {"@id"} reference) to their names."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item and by_id and isinstance(item.get("@id"), str):
                item = by_id.get(item["@id"], item)
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
        else:
            name = item
        if isinstance(name, str) and collapse(name) and not name.strip().startswith(("http://", "https://")):
            found.append(collapse(name))
    return list(dict.fromkeys(found))


def text_value(value: object) -> str | None:
    """A plain string out of a JSON-LD value that may be a list or a {"@value"} object."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("@id")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return collapse(value) if isinstance(value, str) and collapse(value) else None


def text_values(value: object) -> list[str]:
    """Every plain string of a JSON-LD value that may be one value or a list of them, in order."""
    items = value if isinstance(value, list) else [value]
    return [v for v in map(text_value, items) if v]


def keyword_values(value: object) -> list[str]:
    """schema.org keywords: a list of terms, or one string of comma-separated terms."""
    return [k for v in text_values(value) for k in map(collapse, v.split(","))]


def microdata(items, wanted: frozenset[str] | None = None) -> dict[str, list[str]]:
    """itemprop -> values, in document order, from elements carrying itemprop (meta content, time datetime, text);
    only the properties in wanted when given (an articleBody's text is not read for nothing)."""
    found: dict[str, list[str]] = {}
    for el in items:
        for prop in (el.get("itemprop") or "").split():
            if wanted is not None and prop not in wanted:
                continue
            if prop == "author" and el.get("itemscope") is not None:
                inner = [n for n in el.iter() if n is not el and "name" in (n.get("itemprop") or "").split()]
                value = _item_value(inner[0]) if inner else None
            else:
                value = _item_value(el)
            if value:
                found.setdefault(prop, []).append(value)
    return found


def _item_value(el) -> str | None:
    tag = el.tag
    if tag == "meta":
        value = el.get("content")
    elif tag == "time":
        value = el.get("datetime") or el.text_content()
    elif tag in ("link", "a") and el.get("href"):
        value = el.get("href")
    elif el.get("content") is not None:
        value = el.get("content")
    else:
        value = el.text_content() if len(el) < 50 else None  # a whole articleBody is not a value
    value = collapse(value or "")
    return value[:500] if value else None
