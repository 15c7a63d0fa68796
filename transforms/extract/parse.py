"""Bytes or text to one lxml tree, safely: hostile input becomes a tree or an ExtractionError.

Guards, each a named limit:
- documents larger than MAX_DOCUMENT_BYTES are refused;
- the text reaches libxml2 as UTF-8 bytes, which turns what HTML cannot hold
  (NUL, C0 controls, invalid sequences) into U+FFFD instead of failing; lone
  surrogates become "?" on the way;
- a tag with more than MAX_TAG_ATTRIBUTES attributes loses them before parsing
  (libxml2 checks duplicate attributes in quadratic time: 40,000 take 25 s);
- libxml2 stops nesting at 2048 levels (huge_tree), so a 50,000-level page
  parses to a bounded tree; the Parsed record says the text below was dropped;
- a page with more than MAX_ELEMENTS elements is refused (linear, but seconds).
"""

from __future__ import annotations

import re
import threading
from itertools import islice
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from transforms.extract import selectors as sel
from transforms.extract.decode import decode_body
from transforms.extract.text import is_blank

# Larger than any real article page (the development set's largest is 1.5 MB)
# with room for inline images; 20 MB of text still parses in about a second.
MAX_DOCUMENT_BYTES = 40_000_000
# Tags shorter than LONG_TAG_CHARS cannot hold enough attributes to matter (2,000 parse
# in 0.02 s) and are not looked at; longer ones are real too (the development set has a
# 105 KB tag: JSON in one data- attribute), so their attributes are counted.
LONG_TAG_CHARS = 10_000
MAX_TAG_ATTRIBUTES = 1_000
# 150 times the development set's largest page (1,600 elements); scoring takes ~1 s per 250,000.
MAX_ELEMENTS = 250_000
_TAG_NAME = re.compile(r"/?[A-Za-z][A-Za-z0-9:-]*")
_ATTRIBUTE = re.compile(r"""\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")

_local = threading.local()  # lxml parsers must not be shared between threads


class ExtractionError(ValueError):
    """The document could not be read as an article."""


class NoArticleError(ExtractionError):
    """The document parsed, but holds no article (a listing, an error page, an empty body)."""


@dataclass(frozen=True)
class Parsed:
    root: lxml_html.HtmlElement
    too_deep: bool  # libxml2 stopped at its nesting limit: what lay deeper is gone
    defused_tags: int  # tags whose attributes were dropped as too long


def _parser() -> etree.HTMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  huge_tree=True, no_network=True, default_doctype=False,
                                  collect_ids=False)  # no look-ups by id: 5% of the parse
        # Every element an lxml.html.HtmlElement (text_content(), drop_tree()), chosen in C:
        # lxml.html's own lookup calls back into Python per element, a tenth of our time.
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml_html.HtmlElement))
        _local.parser = parser
    return parser


def to_text(html: bytes | str, content_type: str | None = None) -> str:
    if isinstance(html, (bytes, bytearray)):
        if len(html) > MAX_DOCUMENT_BYTES:
            raise ExtractionError(f"the document is too large ({len(html):,} bytes; limit {MAX_DOCUMENT_BYTES:,})")
        return decode_body(bytes(html), content_type)[0]
    if not isinstance(html, str):
        raise ExtractionError(f"expected HTML as bytes or str, got {type(html).__name__}")
    if len(html) > MAX_DOCUMENT_BYTES:
        raise ExtractionError(f"the document is too large ({len(html):,} characters; limit {MAX_DOCUMENT_BYTES:,})")
    return html


def _long_parts(text: str):
    """Offsets of the "<" followed by more than LONG_TAG_CHARS characters before the next "<",
    in order. Such a run covers a multiple of LONG_TAG_CHARS, so only the "<" on either side
    of those positions are looked up (str.find, in C): a few dozen look-ups on a large page,
    where splitting it at every "<" in Python cost 5% of the extraction."""
    end, p = len(text), LONG_TAG_CHARS
    while p < end:
        before = text.rfind("<", 0, p + 1)
        after = text.find("<", p + 1)
        after = end if after == -1 else after
        if before != -1 and after - before - 1 > LONG_TAG_CHARS:  # before the first "<" is text, not a tag
            yield before
        p = (after // LONG_TAG_CHARS + 1) * LONG_TAG_CHARS  # the next multiple past this part


def _defuse_long_tags(text: str) -> tuple[str, int]:
    """Drop the attributes of tags with more than MAX_TAG_ATTRIBUTES (an attribute bomb), keeping the tag."""
    pieces, defused, done = [], 0, 0
    for start in _long_parts(text):
        part_end = text.find("<", start + 1)
        part_end = len(text) if part_end == -1 else part_end
        end = text.find(">", start + 1, part_end)
        tag = text[start + 1:part_end if end == -1 else end]
        if len(tag) > LONG_TAG_CHARS and sum(1 for _ in islice(_ATTRIBUTE.finditer(tag), MAX_TAG_ATTRIBUTES + 1)) \
                > MAX_TAG_ATTRIBUTES:
            name = _TAG_NAME.match(tag)
            pieces += [text[done:start + 1], name.group(0) if name else "", ">"]
            done = part_end if end == -1 else end + 1
            defused += 1
    if not defused:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), defused


def parse_document(html: bytes | str, content_type: str | None = None) -> Parsed:
    """The document's root <html> element and what the guards did; NoArticleError when empty."""
    text = to_text(html, content_type)
    if is_blank(text):
        raise NoArticleError("the document is empty")
    text, defused = _defuse_long_tags(text)
    parser = _parser()
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from exc
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    if root is None:
        raise NoArticleError("the document holds no markup")
    if root.tag != "html":  # a fragment that lxml did not wrap
        wrapper = lxml_html.Element("html")
        wrapper.append(root)
        root = wrapper
    return Parsed(root, too_deep, defused)


def parse_html(html: bytes | str, content_type: str | None = None) -> lxml_html.HtmlElement:
    """The document's root <html> element; raises NoArticleError for an empty document."""
    return parse_document(html, content_type).root


def strip_junk(root) -> list:
    """Remove elements that never hold article text (scripts, styles, embeds, controls), keeping
    tails; return the remaining elements of <body> in document order (ExtractionError past MAX_ELEMENTS)."""
    body = root.find("body")
    body = body if body is not None else root
    etree.strip_elements(body, *sel.JUNK_TAGS, with_tail=False)
    elements = list(body.iter(etree.Element))
    if len(elements) > MAX_ELEMENTS:
        raise ExtractionError(f"the page has {len(elements):,} elements, more than any article page "
                              f"(limit {MAX_ELEMENTS:,})")
    return elements
