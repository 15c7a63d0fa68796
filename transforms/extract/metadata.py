"""Article metadata as a cascade; each step fills only the fields still empty and says where it found them.

Steps, in order of trust (the source recorded in Metadata.provenance):
1. JSON-LD article objects, @graph and mainEntity included ("json-ld"), then
   the page's WebPage object ("json-ld:WebPage");
2. OpenGraph, Twitter and article:* meta tags ("meta:og:title", ...);
3. Dublin Core meta tags ("meta:dcterms.created", ...);
4. <time datetime> elements, those marked as the publication date first ("time[datetime]");
5. schema.org microdata, itemprop=datePublished/author/headline ("microdata");
6. visible markup: canonical link, bylines, date lines, <title>, <html lang>,
   and last the /yyyy/mm/dd/ of the URL for the date ("url (date only; assumed UTC)").
Lists (LIST_FIELDS: sections, keywords) are gathered from every step instead, whole,
in order, each value once. Dates are time-zone aware; a date that names no zone is read as UTC and its
source says so. No date at all: published_at stays None and its provenance
reads "none: ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from transforms.extract.dates import date_in_url, parse_date
from transforms.extract.jsonld import (ARTICLE_TYPES, PAGE_TYPES, json_ld_objects, keyword_values, microdata, names,
                                       text_value, text_values, types_of)
from transforms.extract.language import language_code
from transforms.extract.text import collapse

__all__ = ["ARTICLE_TYPES", "Metadata", "document_title", "language_code", "parse_date", "read_metadata"]

DATE_FIELDS = ("published_at", "updated_at")
NO_DATE = "none: no date in JSON-LD, meta tags, <time>, microdata, date lines or the URL"

# (field, meta name or property) in order of trust within each step; the first present wins.
OPEN_GRAPH_FIELDS: tuple[tuple[str, str], ...] = (
    ("page_type", "og:type"), ("title", "og:title"), ("title", "twitter:title"), ("canonical_url", "og:url"),
    ("published_at", "article:published_time"), ("published_at", "og:article:published_time"),
    ("published_at", "article:published"), ("published_at", "datePublished"), ("published_at", "pubdate"),
    ("published_at", "publishdate"), ("published_at", "publish-date"), ("published_at", "parsely-pub-date"),
    ("published_at", "sailthru.date"), ("published_at", "article.published"), ("published_at", "date"),
    ("updated_at", "article:modified_time"), ("updated_at", "og:updated_time"), ("updated_at", "dateModified"),
    ("updated_at", "article:modified"), ("updated_at", "lastmod"),
    ("authors", "author"), ("authors", "article:author"), ("authors", "parsely-author"), ("authors", "byl"),
    ("authors", "sailthru.author"),
    ("language", "og:locale"), ("language", "content-language"), ("language", "language"),
    ("site_name", "og:site_name"), ("sections", "article:section"), ("sections", "parsely-section"),
    ("keywords", "news_keywords"), ("keywords", "keywords"), ("keywords", "article:tag"),
    ("keywords", "parsely-tags"),
    ("description", "og:description"), ("description", "description"),
)
# Fields that are lists gathered from every source, each value once, in the order met;
# the others are filled by the first source that has them.
LIST_FIELDS = frozenset({"sections", "keywords"})
DUBLIN_CORE_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "dc.title"), ("title", "dcterms.title"),
    ("published_at", "dcterms.created"), ("published_at", "dcterms.issued"), ("published_at", "dc.date.issued"),
    ("published_at", "dc.date.created"), ("published_at", "dc.date"), ("published_at", "dcterms.date"),
    ("updated_at", "dcterms.modified"), ("updated_at", "dc.date.modified"),
    ("authors", "dc.creator"), ("authors", "dcterms.creator"),
    ("language", "dc.language"), ("language", "dcterms.language"),
)
MICRODATA_FIELDS: tuple[tuple[str, str], ...] = (
    ("published_at", "datePublished"), ("published_at", "dateCreated"), ("updated_at", "dateModified"),
    ("authors", "author"), ("headline", "headline"), ("language", "inLanguage"),
)
# class/itemprop words that mark a <time> (or a date line) as the publication or update date.
PUBLISHED_MARKS = ("publish", "pubdate", "posted", "created", "entry-date", "datepublished")
UPDATED_MARKS = ("updat", "modif", "datemodified", "edited")
# Visible date lines: elements in <body> whose class has one of DATE_LINE_CLASS_PARTS or whose
# id has one of DATE_LINE_ID_PARTS, with less than DATE_LINE_MAX_CHARS of text, one with a year.
DATE_LINE_CLASS_PARTS = ("date", "time", "publish")
DATE_LINE_ID_PARTS = ("date",)
DATE_LINE_MAX_CHARS = 80
# Date lines with a year tried before giving up: the page's own date line is among the first
# (the 5th at the latest on the 216 pages of ../shared and the sample site), and each that
# dateutil cannot read costs ~0.1 ms (wikipedia-2's 292 citation dates cost 30 ms).
MAX_DATE_LINES = 10
# Bylines: elements with rel="author", and links inside an element whose class has one of these tokens.
BYLINE_CLASSES = frozenset({"author", "byline"})
# The elements with an itemprop, in document order, reached through their attributes: libxml2
# then tests no predicate per element, 40% faster than "//*[@itemprop]" (the same elements)
# on the development pages.
_ITEMPROPS = etree.XPath("descendant-or-self::*/@itemprop/..")
# DATE_LINE_CLASS_PARTS and DATE_LINE_ID_PARTS as one search each: _markup() asks every element
# of <body>, and a generator per element cost a third of its pass.
_DATE_LINE_CLASS = re.compile("|".join(map(re.escape, DATE_LINE_CLASS_PARTS)))
_DATE_LINE_ID = re.compile("|".join(map(re.escape, DATE_LINE_ID_PARTS)))
_MICRODATA_PROPS = frozenset(prop for _, prop in MICRODATA_FIELDS)  # compiled once (tree.xpath(text) compiles on every call)
_YEAR = re.compile(r"\b(?:199\d|20\d\d)\b")
_SITE_SEPARATORS = (" – ", " — ", " | ", " - ", " :: ", " · ")
_XPATH_SPACE = re.compile("[ \t\r\n]+")  # the whitespace XPath's normalize-space() collapses


@dataclass
class Metadata:
    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    og_type: str = ""  # the first <meta property="og:type">, lower-cased (for transforms.extract.pagekind)

    def offer(self, name: str, value: object, source: str) -> None:
        if value in (None, "", [], ()) or name in self.values:
            return
        self.values[name] = value
        self.provenance[name] = source

    def collect(self, name: str, values: list[str], source: str) -> None:
        """Append the values not yet in the list field (compared case-blind), noting the source."""
        have = list(self.values.get(name, ()))
        seen = {v.casefold() for v in have}
        new = []
        for value in values:
            if value and value.casefold() not in seen:
                seen.add(value.casefold())
                new.append(value)
        if new:
            self.values[name] = have + new
            self.provenance[name] = f"{self.provenance[name]} + {source}" if name in self.provenance else source

    def offer_date(self, name: str, text: object, source: str) -> None:
        if name in self.values or not isinstance(text, str):
            return
        value, note = parse_date(text)
        if value is not None:
            self.offer(name, value, f"{source} ({note})" if note else source)

    def get(self, name: str, default: object = None) -> object:
        return self.values.get(name, default)


def _from_json_ld(scripts, meta: Metadata) -> None:
    objects = json_ld_objects(scripts)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    articles = [o for o in objects if types_of(o) & ARTICLE_TYPES]
    pages = [o for o in objects if types_of(o) & PAGE_TYPES]
    meta.offer("page_type", "article" if articles else None, "json-ld")
    meta.offer("page_types", sorted({t for o in objects for t in types_of(o)}), "json-ld")
    for key, name, read in (("articleSection", "sections", text_values), ("keywords", "keywords", keyword_values)):
        # From the first article object that has them: others in the page describe other stories.
        owner = next((o for o in articles if o.get(key)), None)
        if owner is not None:
            meta.collect(name, read(owner[key]), "json-ld")
    for group, src in ((articles, "json-ld"), (pages, "json-ld:WebPage")):
        for obj in group:
            if src == "json-ld":
                meta.offer("headline", text_value(obj.get("headline")), src)
                meta.offer("authors", names(obj.get("author") or obj.get("creator"), by_id), src)
            meta.offer_date("published_at", text_value(obj.get("datePublished") or obj.get("dateCreated")), src)
            meta.offer_date("updated_at", text_value(obj.get("dateModified")), src)
            meta.offer("language", text_value(obj.get("inLanguage")), src)
            page = obj.get("mainEntityOfPage")
            page = page.get("@id") if isinstance(page, dict) else page
            url = page if isinstance(page, str) and page.startswith("http") else text_value(obj.get("url"))
            meta.offer("canonical_url", url if isinstance(url, str) and url.startswith("http") else None, src)
            publisher = names(obj.get("publisher"), by_id)
            meta.offer("site_name", publisher[0] if publisher else None, src)


def _from_meta_tags(tags: dict[str, list[str]], fields, meta: Metadata) -> None:
    for name, key in fields:
        for content in tags.get(key.lower(), ()):
            content = collapse(content)
            if name in LIST_FIELDS:
                values = [collapse(k) for k in content.split(",")] if name == "keywords" else [content]
                meta.collect(name, values, f"meta:{key}")
            elif name in DATE_FIELDS:
                meta.offer_date(name, content, f"meta:{key}")
            elif name == "authors":
                author = content[3:] if content.lower().startswith("by ") else content
                if author and not author.startswith(("http://", "https://", "@")):
                    meta.offer(name, [author], f"meta:{key}")
            else:
                meta.offer(name, content.lower() if name == "page_type" else content, f"meta:{key}")


def _marks(el) -> str:
    return f"{el.get('class') or ''} {el.get('itemprop') or ''} {el.get('id') or ''}".lower()


def _from_time_elements(times, meta: Metadata) -> None:
    marked, unmarked, updated = [], [], []
    for t in times:
        if not t.get("datetime"):
            continue
        marks = _marks(t)
        if t.get("pubdate") is not None or any(m in marks for m in PUBLISHED_MARKS):
            marked.append(t)  # WordPress writes class="entry-date published updated" on unedited posts
        elif any(m in marks for m in UPDATED_MARKS):
            updated.append(t)
        else:
            unmarked.append(t)
    for t in marked + unmarked:
        meta.offer_date("published_at", t.get("datetime"), "time[datetime]")
    for t in updated:
        meta.offer_date("updated_at", t.get("datetime"), "time[datetime]")


def _markup(tree) -> tuple[list, list]:
    """(bylines, date-line candidates), each in document order, from one pass over the page:
    rel="author" elements and the links inside byline boxes; elements in <body> whose class
    or id names a date (their length is checked by the caller). Two XPath searches cost twice
    as much, and up to 20 ms each on a large page."""
    bylines, dates, boxed, in_body = [], [], set(), False
    date_class, date_id = _DATE_LINE_CLASS.search, _DATE_LINE_ID.search
    for el in tree.iter(etree.Element):
        if el.get("rel") == "author" or (boxed and el in boxed):
            bylines.append(el)
        cls = el.get("class")
        if cls and ("author" in cls or "byline" in cls) and not BYLINE_CLASSES.isdisjoint(cls.split()):
            boxed.update(el.iterdescendants("a"))  # met later in this pass: descendants follow
        if in_body:
            ident = el.get("id")
            if (cls and date_class(cls)) or (ident and date_id(ident)):
                dates.append(el)
        elif el.tag == "body":
            in_body = True  # the elements after <body> in the pass are inside it
    return bylines, dates


def _from_markup(tree, links, title, url: str | None, meta: Metadata) -> None:
    for link in links:
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta.offer("canonical_url", link.get("href").strip(), "link:canonical")
    if "authors" not in meta.values or "published_at" not in meta.values:
        bylines, dates = _markup(tree)
    if "authors" not in meta.values:
        authors = [collapse(a.text_content()) for a in bylines]
        meta.offer("authors", list(dict.fromkeys(a for a in authors if a and len(a) < 80)), "markup:byline")
    if "published_at" not in meta.values:
        tried = 0
        for el in dates:
            if any(m in _marks(el) for m in UPDATED_MARKS):
                continue
            text = el.text_content()
            if len(_XPATH_SPACE.sub(" ", text).strip(" \t\r\n")) >= DATE_LINE_MAX_CHARS:
                continue
            text = collapse(text)
            if _YEAR.search(text):
                meta.offer_date("published_at", text, "markup:date line")
                tried += 1
                if "published_at" in meta.values or tried == MAX_DATE_LINES:
                    break
        meta.offer("published_at", date_in_url(url), "url (date only; assumed UTC)")
    meta.offer("document_title", collapse(title or ""), "title")
    meta.offer("language", tree.get("lang") or tree.get("xml:lang"), "html[lang]")


def read_metadata(tree: lxml_html.HtmlElement, url: str | None) -> Metadata:
    """Run the cascade in the module docstring over the whole (unpruned) page."""
    meta = Metadata()
    scripts, tags, times, links, title = [], {}, [], [], None
    for el in tree.iter("script", "meta", "time", "link", "title"):
        tag = el.tag
        if tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json":
                scripts.append(el)
        elif tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("http-equiv") or "").strip().lower()
            if key and el.get("content") is not None:
                tags.setdefault(key, []).append(el.get("content"))
                if key == "og:type" and not meta.og_type and el.get("property"):
                    meta.og_type = el.get("content").strip().lower()
        elif tag == "time":
            times.append(el)
        elif tag == "link":
            links.append(el)
        elif title is None:
            title = el.text_content()
    _from_json_ld(scripts, meta)
    _from_meta_tags(tags, OPEN_GRAPH_FIELDS, meta)
    _from_meta_tags(tags, DUBLIN_CORE_FIELDS, meta)
    _from_time_elements(times, meta)
    if any(name not in meta.values for name, _ in MICRODATA_FIELDS):
        items = microdata(_ITEMPROPS(tree), _MICRODATA_PROPS)
        for name, prop in MICRODATA_FIELDS:
            for value in items.get(prop, ()):
                if name in DATE_FIELDS:
                    meta.offer_date(name, value, "microdata")
                else:
                    meta.offer(name, [value] if name == "authors" else value, "microdata")
    _from_markup(tree, links, title, url, meta)
    canonical = meta.get("canonical_url")
    if isinstance(canonical, str) and url:
        try:
            meta.values["canonical_url"] = urljoin(url, canonical)
        except ValueError:  # an unparseable canonical ("http://[") costs the canonical, not the page
            meta.values.pop("canonical_url", None)
            meta.provenance["canonical_url"] = f"ignored: unparseable {canonical[:80]!r}"
    for name in DATE_FIELDS:
        meta.provenance.setdefault(name, NO_DATE)
    return meta


def document_title(meta: Metadata) -> tuple[str, str]:
    """og:title, else <title> without its " – Site Name" suffix."""
    if meta.get("title"):
        return str(meta.get("title")), meta.provenance["title"]
    title = str(meta.get("document_title") or "")
    site = str(meta.get("site_name") or "")
    for sep in _SITE_SEPARATORS:
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)], "title (site name removed)"
    return title, "title"
