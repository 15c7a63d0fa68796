"""What kind of page is this? A judgement with its reason, not a veto on markup alone.

Kinds stored (Article.page_kind):
- "article": the page says it is one (og:type article, a JSON-LD article object) or
  its metadata dates it (JSON-LD or meta tags);
- "page": nothing says article (og:type website, no date in the metadata), but it
  has a main text of its own: a press release, a static or documentation page. When
  its og:type names it something other than an article, the main text must reach
  MIN_PAGE_TEXT_CHARS to be stored.

Kinds refused (NoArticleError), by signals read before the body is looked for (og:type,
JSON-LD page types, WordPress body classes, archive URL paths, a grid of teasers), the
most specific first when several agree: "search" results, an "author" page, a "tag"
page, a "listing" (category, date archive, home page). A page that declares itself an
article is never refused by them: news sites wrap every sidebar teaser in <article>.
And "short-page": a page that needed MIN_PAGE_TEXT_CHARS of main text and has less, even when
its body is looked for a second time without the teaser penalty (transforms.extract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html

from transforms.extract.jsonld import types_of
from transforms.extract.metadata import Metadata

STORED_KINDS = ("article", "page")
REFUSED_KINDS = ("search", "author", "tag", "listing", "short-page")

# og:type values that site generators give pages that are not articles.
NON_ARTICLE_OG_TYPES = frozenset({"website", "profile", "book", "product", "video.other", "music.song"})
# A page whose og:type says it is not an article is still stored when its main text
# has at least this many characters (scaled for Chinese, Japanese and Korean). It is
# Readability's default charThreshold, the length it asks of an article; it keeps the
# og:type-website pages with a real main text in ../shared (Mozilla blog posts of
# 1,100-1,700 characters, a Yahoo press story, a documentation page) and refuses the
# sample site's About page (445 characters) and one-teaser date archives (~170).
MIN_PAGE_TEXT_CHARS = 500

# Refusal signals, as named data: (kind, what says so).
# schema.org page types that are collections of other pages.
REFUSED_JSON_LD_TYPES = {"SearchResultsPage": "search", "ProfilePage": "author", "CollectionPage": "listing"}
REFUSED_OG_TYPES = {"profile": "author"}
# WordPress's body classes (body_class()): archives, the front and posts pages, search.
REFUSED_BODY_CLASSES = {
    "search": "search", "search-results": "search", "search-no-results": "search", "author": "author",
    "tag": "tag", "category": "listing", "archive": "listing", "date": "listing", "home": "listing",
    "blog": "listing", "paged": "listing",
}
# URL paths of archive pages: the keyword then one name (an article under /category/world/
# has a second segment, its slug), optionally paginated. Only WordPress's own archive
# words: /people/x, /profile/x and /archives/123 are article URLs on some sites.
REFUSED_PATHS = (
    ("search", re.compile(r"^/(?:search|find)(?:/[^/]*)?/?$", re.I)),
    ("author", re.compile(r"^/(?:author|authors)/[^/]+/?(?:page/\d+/?)?$", re.I)),
    ("tag", re.compile(r"^/(?:tag|tags|topic|topics)/[^/]+/?(?:page/\d+/?)?$", re.I)),
    ("listing", re.compile(r"^/(?:category|categories|section|sections)/[^/]+/?(?:page/\d+/?)?$"
                           r"|/page/\d+/?$", re.I)),
)
# A query with one of these keys on the site's root or a /search path is a search.
SEARCH_QUERY_KEYS = frozenset({"s", "q", "query", "search"})
# A listing shows several teasers of similar size; an article page has one
# <article> that dominates (comments and related teasers being much shorter).
# Calibrated on the sample site's home, category and archive pages (6-15 teasers,
# largest under 25% of the total) against its article pages (the post over 70%).
MIN_TEASERS = 3
DOMINANT_SHARE = 0.5




@dataclass(frozen=True)
class PageKind:
    kind: str  # one of STORED_KINDS or REFUSED_KINDS
    reason: str
    min_text: int = 0  # characters of main text the page needs to be stored as this kind

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED_KINDS


def judge(tree: lxml_html.HtmlElement, meta: Metadata, url: str | None) -> PageKind:
    """The page's kind from its markup, metadata and URL; runs before any pruning."""
    og_type = meta.og_type
    if meta.get("page_type") == "article":
        where = meta.provenance.get("page_type", "")
        return PageKind("article", "JSON-LD article object" if where == "json-ld" else f"og:type {og_type!r}")
    refused = _refused(tree, meta, url, og_type)
    if refused is not None:
        return refused
    published = str(meta.provenance.get("published_at", ""))
    # A date read off a <time> element may belong to a teaser; only head metadata vouches for the page.
    if published.startswith(("json-ld", "meta:")):
        return PageKind("article", f"dated in its metadata ({published})")
    if og_type in NON_ARTICLE_OG_TYPES:
        return PageKind("page", f"og:type is {og_type!r} and no date in its metadata", MIN_PAGE_TEXT_CHARS)
    return PageKind("page", "no article markup and no date in its metadata")


def weigh_text(kind: PageKind, text_chars: int, scale: float = 1.0) -> PageKind:
    """The kind once the main text is known: a page that needed a substantial text and lacks it is refused."""
    needed = kind.min_text * scale
    if text_chars >= needed:
        return kind if not kind.min_text else PageKind(kind.kind, f"{kind.reason}, but a main text of {text_chars:,} "
                                                                  f"characters (at least {needed:,.0f})")
    return PageKind("short-page", f"{kind.reason}, and its main text has {text_chars:,} characters "
                               f"(a page needs {needed:,.0f})")


def _refused(tree, meta: Metadata, url: str | None, og_type: str) -> PageKind | None:
    """The most specific refused kind any signal names (REFUSED_KINDS order), or None."""
    found: list[PageKind] = []
    if og_type in REFUSED_OG_TYPES:
        found.append(PageKind(REFUSED_OG_TYPES[og_type], f"og:type is {og_type!r}"))
    found += [PageKind(REFUSED_JSON_LD_TYPES[t], f"JSON-LD {t}")
              for t in meta.get("page_types") or () if t in REFUSED_JSON_LD_TYPES]
    body = tree.find("body")
    found += [PageKind(REFUSED_BODY_CLASSES[token], f"body class {token!r}")
              for token in ((body.get("class") or "").split() if body is not None else ())
              if token in REFUSED_BODY_CLASSES]
    found += _refused_by_url(url)
    if not found:
        sizes = sorted((len(el.text_content()) for el in tree.iter("article")), reverse=True)
        if len(sizes) >= MIN_TEASERS and sum(sizes) and sizes[0] / sum(sizes) < DOMINANT_SHARE:
            found.append(PageKind("listing", f"{len(sizes)} teasers, none of them dominant"))
    return min(found, key=lambda k: REFUSED_KINDS.index(k.kind)) if found else None


def _refused_by_url(url: str | None) -> list[PageKind]:
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    path = parts.path or "/"
    found = [PageKind(kind, f"its URL path {path!r}") for kind, pattern in REFUSED_PATHS if pattern.search(path)]
    if path in ("/", "/search", "/search/") and SEARCH_QUERY_KEYS & set(parse_qs(parts.query)):
        found.append(PageKind("search", f"its URL query {parts.query[:60]!r}"))
    return found
