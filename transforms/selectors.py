"""Selectors and boilerplate vocabularies as named data, read by transforms.extract."""

from __future__ import annotations

import re


def has_class(name: str) -> str:
    """XPath predicate body for an exact class token (not a substring)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# The article body container, tried in order; the first step that yields a
# candidate with enough paragraph text wins. Site profiles come before all.
BODY_CASCADE: tuple[tuple[str, str], ...] = (
    ("schema.org articleBody", "//*[@itemprop='articleBody']"),
    ("wordpress entry-content", f"//*[{has_class('entry-content')}]"),
    ("newspaper theme", f"//*[{has_class('td-post-content')}]"),
    ("common body classes", " | ".join(
        f"//*[{has_class(c)}]" for c in (
            "post-content", "article-content", "article-body", "article__body", "story-body",
            "post-body", "entry-body", "single-post-content", "content-body", "post-entry"))),
    ("article element", "//article"),
    ("main element", "//main | //*[@role='main']"),
)

# Minimum visible paragraph characters for a body candidate; below it the
# cascade moves on. Set just above a typical share bar plus caption.
MIN_BODY_CHARS = 80

# Elements that are never article text, removed before anything else.
JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
             "form", "button", "input", "select", "textarea", "ins", "video", "audio", "canvas")

# Structural elements that hold page furniture when found inside the body.
FURNITURE_TAGS = ("nav", "aside", "footer", "header", "figure", "figcaption", "h1")

# Whole class/id tokens that mark boilerplate blocks inside the body.
BOILERPLATE_TOKENS = frozenset({
    "sharedaddy", "code-block", "adsbygoogle", "jp-relatedposts", "entry-meta", "post-meta",
    "td-post-sharing", "tagcloud", "wp-caption-text", "author-box", "post-tags", "entry-tags",
})
# Sub-tokens (class/id split on - and _) that mark boilerplate by themselves.
BOILERPLATE_PARTS = frozenset({
    "share", "sharing", "social", "ad", "ads", "advert", "advertisement", "sponsored", "promo",
    "related", "relatedposts", "newsletter", "subscribe", "subscription", "comment", "comments",
    "disqus", "respond", "caption", "credit", "credits", "tags", "breadcrumb", "breadcrumbs",
    "pagination", "byline", "widget", "sidebar", "popup", "modal", "cookie", "print",
    "mostread", "trending", "recommended", "outbrain", "taboola",
})
_SPLIT = re.compile(r"[\s_-]+")


def is_boilerplate(class_and_id: str) -> bool:
    tokens = class_and_id.lower().split()
    if any(t in BOILERPLATE_TOKENS for t in tokens):
        return True
    return any(p in BOILERPLATE_PARTS for p in _SPLIT.split(class_and_id.lower()) if p)


# Category links near the headline or after the content.
CATEGORY_LINKS = (
    ".//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')]",
    f".//*[{has_class('cat-links')} or {has_class('post-categories')} or {has_class('td-category')}"
    f" or {has_class('entry-categories')} or {has_class('category-links')}]//a",
)

# A paragraph that is a pointer to another article, not body text.
RELATED_PREFIX = re.compile(
    r"^\s*(also read|read also|read more|see also|related|more on this|یہ بھی پڑھیں|مزید پڑھیں)\s*[:：\-–]\s*",
    re.I,
)

HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "figcaption"})
BLOCK_TAGS = HEADING_TAGS | PARAGRAPH_TAGS | frozenset({
    "div", "section", "article", "ul", "ol", "dl", "table", "tbody", "thead", "tr", "main",
    "header", "footer", "aside", "nav", "figure", "center", "details", "summary", "address", "hr",
})
