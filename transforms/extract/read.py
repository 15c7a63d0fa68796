"""Read the pruned article body with BeautifulSoup: sections, paragraphs and "Also Read" links.

Only the small, pruned body subtree reaches BeautifulSoup. The walk is iterative
(an explicit stack), and subtrees deeper than MAX_SOUP_DEPTH are flattened to
their text first, so no page can exhaust Python's recursion limit.
"""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from lxml import etree

from transforms.extract import selectors as sel
from transforms.article import RelatedLink, Section
from transforms.extract.text import collapse, is_blank

# Deeper than any real article body (the development pages reach 30 below the
# body container), far below Python's recursion limit.
MAX_SOUP_DEPTH = 200
# A body with more elements than this (a flood of <span>s or <p>s) reaches the soup with its
# inline tags stripped, then cut: BeautifulSoup builds ~40,000 tags a second, and real
# article bodies have a few hundred elements (the development set's largest: 400).
MAX_SOUP_ELEMENTS = 20_000
_FLUSH = object()  # stack marker: the block being walked ends here
_WS = " \t\n\r\f"  # HTML's ASCII whitespace, which transforms.extract.text.collapse() strips
# Tags walk() tells apart: blocks (paragraph boundaries, headings) and links (related-link URLs).
SOUP_TAGS = sel.BLOCK_TAGS | {"a"}
_BLOCK = sel.BLOCK_TAGS  # read once per element by holds_only_blocks()
# Tags that open a section: an <h1> left in the body by prune() heads a section too.
_HEADINGS = sel.HEADING_TAGS | {"h1"}


class BodyBuilder:
    """Collects sections and related links while the body is walked in document order."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self.related: list[RelatedLink] = []

    def heading(self, text: str) -> None:
        if is_blank(text):
            return
        if self.sections[-1] == ("", []):
            self.sections.pop()
        self.sections.append((text, []))

    def paragraph(self, pieces: list[str], hrefs: list[str]) -> None:
        if not pieces:
            return
        text = collapse("".join(pieces))
        if is_blank(text):
            return
        prefix = sel.RELATED_PREFIX.match(text)
        if prefix and hrefs:
            url = urljoin(self.base_url, hrefs[0]) if self.base_url else hrefs[0]
            self.related.append(RelatedLink(title=text[prefix.end():], url=url))
            return
        self.sections[-1][1].append(text)

    def result(self) -> tuple[tuple[Section, ...], tuple[RelatedLink, ...]]:
        sections = tuple(Section(h, tuple(ps)) for h, ps in self.sections if h or ps)
        return sections, tuple(self.related)


# The elements MAX_SOUP_DEPTH levels below the body: an XPath (in C) that finds none in a
# hundredth of the time the walk below takes to find none.
_AT_MAX_DEPTH = etree.XPath("/".join(["*"] * MAX_SOUP_DEPTH))


def flatten_deep(body) -> int:
    """Replace every subtree deeper than MAX_SOUP_DEPTH by its text; returns how many were flattened."""
    if not _AT_MAX_DEPTH(body):
        return 0
    flattened = 0
    stack = [(body, 0)]
    while stack:
        el, depth = stack.pop()
        if depth >= MAX_SOUP_DEPTH and len(el):
            text = "".join(el.itertext())
            for child in list(el):
                el.remove(child)
            el.text = text
            flattened += 1
            continue
        stack.extend((child, depth + 1) for child in el)
    return flattened


def bound_size(body) -> list[str]:
    """Keep a hostile body within what the soup builds in about a second; returns what was done."""
    notes = []
    if flatten_deep(body):
        notes.append(f"subtrees deeper than {MAX_SOUP_DEPTH} levels read as plain text")
    if sum(1 for _ in body.iter()) > MAX_SOUP_ELEMENTS:
        etree.strip_tags(body, *sel.INLINE_TAGS)  # their text stays, in their parents
        notes.append("inline markup dropped")
        elements = list(body.iter())
        if len(elements) > MAX_SOUP_ELEMENTS:
            _cut_from(body, elements[MAX_SOUP_ELEMENTS])
            notes.append(f"truncated after {MAX_SOUP_ELEMENTS:,} elements")
    return notes


def _cut_from(body, cut) -> None:
    """Remove cut and everything after it in document order (its ancestors stay)."""
    node, parent = cut, cut.getparent()
    for sibling in [node, *node.itersiblings()]:
        parent.remove(sibling)
    node = parent
    while node is not body and node is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        node = parent


def holds_only_blocks(node) -> bool:
    """A block whose content is only blocks and indentation (a <div> around <p>s, a <tr> of
    <td>s): its boundaries are its first and last child's, so walk() reads the same without it."""
    if not len(node) or node.tag in _HEADINGS:  # a heading is read whole, as one heading
        return False
    text = node.text
    if text and text.strip(_WS):
        return False
    for child in node:
        tail = child.tail
        if child.tag not in _BLOCK or (tail and tail.strip(_WS)):
            return False
    return True


# How much of a run's collapsed text is looked at to decide whether it is too short yet for
# RELATED_PREFIX to tell: bounds the work on long runs. A window of spaces and NBSPs with fewer
# non-space characters reads as undecided, which keeps the link (the safe side).
_PREFIX_WINDOW = 64


def _prefix_undecided(text: str) -> bool:
    """No more non-space characters (in the window) than a RELATED_PREFIX match holds."""
    return len("".join(text[:_PREFIX_WINDOW].split())) <= sel.RELATED_PREFIX_MAX_CHARS


def may_lead_related_link(before: list[str], link) -> bool:
    """Can the run of text that holds link, whose text so far is before, still read as an "Also
    Read:" paragraph (sel.RELATED_PREFIX)? Not once the run's text, up to the link's end, holds
    more than the prefix can and does not match it."""
    joined = "".join(before)
    text = collapse(joined)
    if _prefix_undecided(text):  # add the link's text
        text = collapse(joined + link.text_content())
        if _prefix_undecided(text):
            return True  # still undecided: keep the link
    return sel.RELATED_PREFIX.match(text) is not None


def soup_of(body) -> BeautifulSoup:
    """The body subtree as a BeautifulSoup document, holding what walk() reads and no more.

    The soup is built from the lxml subtree through BeautifulSoup's own tree-building
    calls (what its parsers call), so the body is neither serialised nor parsed again:
    half the cost of BeautifulSoup(markup, "lxml") on the development pages. Building a
    soup tag costs ~10 us, so only the tags walk() looks at become soup tags:
    - blocks (paragraph boundaries, headings), less the blocks that hold only blocks
      (holds_only_blocks: 14% of the soup's tags on ../shared's pages);
    - of the links, the first with an href in each run of text between block boundaries,
      the only one whose href walk() can take (an "Also Read:" paragraph's; other links'
      hrefs are never read), and only while the run can still read as one
      (may_lead_related_link).
    This leaves out 35% of the tags (18,632 -> 12,018 on ../shared's 216 pages), with the
    same sections and links, and ~5% of an extraction's time.
    The text of the others (<span>, <em>, the other <a>s, ...) goes to their parent, as
    walk() would read it. Text that is only whitespace next to a block boundary (the
    indentation between tags) is left out: walk() strips it from the ends of its runs
    anyway, and it was a third of the soup's strings.
    """
    soup = BeautifulSoup("", "html.parser")
    start, end, parsed = soup.handle_starttag, soup.handle_endtag, soup.object_was_parsed
    kept, attributes = SOUP_TAGS, sel.SOUP_ATTRIBUTES
    left_out: set = set()  # elements of SOUP_TAGS that are not soup tags (their end is skipped too)
    pending: list[str] = []  # text since the last soup tag began or ended
    after_block = True  # that tag was a block (every soup tag but <a>): a run of text starts here
    linked = False  # the current run of text has its soup link already

    def flush(block: bool) -> None:
        text = "".join(pending)
        pending.clear()
        if text.strip(_WS) or not (after_block or block):
            parsed(NavigableString(text))

    for action, node in etree.iterwalk(body, events=("start", "end")):
        tag = node.tag
        if tag in kept or node is body:
            if action == "start" and node is not body:
                if tag == "a":
                    leave = linked or not node.get("href")
                    if not leave:
                        linked = True  # the run's first link: the only one whose href walk() can take,
                        leave = not may_lead_related_link(pending, node)  # when the run is "Also Read: ..."
                else:
                    leave = holds_only_blocks(node)
                if leave:
                    left_out.add(node)
                    if node.text:
                        pending.append(node.text)
                    continue
            elif node in left_out:
                if node.tail:
                    pending.append(node.tail)
                continue
            block = tag != "a"
            if block:
                linked = False  # walk() starts a new run at every block boundary
            if pending:
                flush(block)
            if action == "start":
                attrs = {}  # a loop, not a comprehension: a comprehension is a function call per tag
                for name in attributes:
                    value = node.get(name)
                    if value is not None:
                        attrs[name] = value
                start(tag, None, None, attrs)
            else:
                end(tag)
            after_block = block
        if action == "start":
            if node.text:
                pending.append(node.text)
        elif node.tail and node is not body:
            pending.append(node.tail)
    if pending:
        flush(True)
    return soup


def walk(root: Tag, out: BodyBuilder) -> None:
    """Inline runs between block boundaries become paragraphs; headings open sections."""
    run: list[str] = []
    hrefs: list[str] = []
    stack: list = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if node is _FLUSH:
            out.paragraph(run, hrefs)
            run, hrefs = [], []
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):
                run.append(str(node))
        elif isinstance(node, Tag):
            name = node.name
            if name in sel.BLOCK_TAGS:
                out.paragraph(run, hrefs)
                run, hrefs = [], []
                if name in _HEADINGS:
                    out.heading(collapse(node.get_text()))
                elif name != "br":
                    stack.append(_FLUSH)
                    stack.extend(reversed(node.contents))
            else:
                if name == "a" and node.get("href"):
                    hrefs.append(node["href"])
                stack.extend(reversed(node.contents))
    out.paragraph(run, hrefs)


def read_sections(body, base_url: str | None, notes: list[str] | None = None,
              ) -> tuple[tuple[Section, ...], tuple[RelatedLink, ...]]:
    """Sections and related links of a pruned body; notes collects what bound_size had to do."""
    done = bound_size(body)
    if notes is not None:
        notes.extend(done)
    out = BodyBuilder(base_url)
    soup = soup_of(body)
    walk(soup, out)
    if soup.contents:
        soup.contents[0].decompose()  # breaks the soup's reference cycles: freed now, not by the collector
    return out.result()
