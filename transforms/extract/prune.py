"""Prune the furniture inside a chosen article body, with the stats of transforms.extract.body.

Rules, in order (the first that applies drops the block with everything in it):
tag (nav, aside, figure...), hidden, class/id words, link list, boilerplate
text, related-stories heading (with the link list after it). A block that holds
DOMINANT_SHARE of the body's paragraph text is never dropped, whatever it looks
like; embedded posts and quotes (tweets, pull quotes) are kept as article text.
"""

from __future__ import annotations

import re

from transforms.extract import selectors as sel
from transforms.extract.body import BLOCK, HEADINGS, ScoredPage, element_verdict


_LISTS = frozenset({"ul", "ol", "dl", "menu", "tr"})
_ITEMS = frozenset({"li", "dt", "dd", "td", "th"})


def _hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style:
        style = style.replace(" ", "").lower()
        return "display:none" in style or "visibility:hidden" in style
    return False


def _text_before(el, body, page: ScoredPage) -> bool:
    """Does paragraph text come before el in the body (in an earlier sibling of it or of an ancestor)?"""
    stats, node = page.stats, el
    while node is not body and node is not None:
        for sibling in node.itersiblings(preceding=True):
            s = stats.get(sibling)
            if s is not None and s.raw_good > 0:
                return True
        node = node.getparent()
    return False


def _prune_reason(el, page: ScoredPage, protect: float, body=None) -> str | None:
    """Why el is furniture inside the body, or None to keep it. Rules in order:
    tag, headline, hidden, class/id, link list, boilerplate text, related-stories heading."""
    tag = el.tag
    if not isinstance(tag, str):
        return "not an element"
    s = page.stats.get(el)
    if s is None or s.raw_good >= protect:
        return None
    verdict = element_verdict(el, page.verdicts) if (el.get("class") or el.get("id")) else None
    if tag in sel.FURNITURE_TAGS and not (verdict and verdict.embed):
        return f"furniture <{tag}>"
    if tag == "h1" and not _text_before(el, body, page):
        return "headline <h1>"
    if _hidden(el):
        return "hidden"
    if verdict and verdict.prune_furniture:
        return "boilerplate class"
    if tag not in BLOCK or not s.chars:
        return None
    plain = s.chars - s.links
    density = sel.LINK_PARAGRAPH_DENSITY if tag in sel.LEAF_BLOCK_TAGS else sel.LINK_LIST_DENSITY
    # An item of a list (or a cell of a table row) that was kept as a whole is judged with
    # it: a link among text items ("Here's our Year in Review!") is one of the article's
    # points, a linked film title one cell of a table of films.
    # A heading is one line, never a list of links: a linked section heading ("<h3><a>Rez
    # Infinite ($30)</a></h3>", a table of contents' back-link) heads the text after it, and
    # teaser headlines go with the list or box around them.
    in_kept_list = tag in _ITEMS and el.getparent() is not None and el.getparent().tag in _LISTS
    linky = (s.links > density * s.chars and plain < sel.LINK_LIST_MAX_PLAIN_CHARS and not in_kept_list
             and tag not in HEADINGS)
    if not linky and s.chars > sel.BOILERPLATE_TEXT_MAX_CHARS:
        return None
    text = " ".join(" ".join(el.itertext()).split())
    if sel.RELATED_PREFIX.match(text):
        return None  # an "Also Read:" link, read as a related link later
    if linky:
        return "link list"
    if sel.BOILERPLATE_TEXT.match(text):
        return "boilerplate text"
    if sel.RELATED_HEADING.match(text):
        return "related-stories heading"
    return None


def prune(body, page: ScoredPage) -> list[tuple[str, str]]:
    """Drop furniture inside the body (tails kept); returns (tag, reason) per dropped block.

    A related-stories heading takes the list after it along when that list is
    mostly links.
    """
    protect = sel.DOMINANT_SHARE * (page.stats[body].raw_good if body in page.stats else 0.0) or 1.0
    dropped, doomed = [], []
    stack = list(body)[::-1]
    while stack:
        el = stack.pop()
        reason = _prune_reason(el, page, protect, body)
        if reason is None:
            stack.extend(list(el)[::-1])
            continue
        doomed.append(el)
        dropped.append((str(el.tag), reason))
        follower = el.getnext() if reason == "related-stories heading" else None
        if follower is not None and follower in page.stats:
            f = page.stats[follower]
            if f.links >= sel.RELATED_LIST_LINK_SHARE * f.chars and f.raw_good < protect:
                doomed.append(follower)
                dropped.append((str(follower.tag), "list after a related-stories heading"))
                if stack and stack[-1] is follower:
                    stack.pop()
    for el in page.not_content:
        if el.getparent() is not None:
            doomed.append(el)
            dropped.append((str(el.tag), "not content beside the body"))
    for el in doomed:
        _drop(el)
    return dropped


# C0 controls other than tab, LF and CR: libxml2 keeps them when parsing, but lxml refuses
# them when text is assigned, so a tail moved to its neighbour must lose them.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = _XML_INCOMPATIBLE.sub("", el.tail or "")
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
