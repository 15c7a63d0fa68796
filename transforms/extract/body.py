"""Find the article body in an lxml tree and prune its furniture, in one scoring pass over the page.

The pass walks every element once, bottom-up, and gives each one:
chars (its visible text), links (text inside <a>), good (text of the
paragraph-like runs below it) and bad (text of short or link-heavy runs, and of
blocks whose class names them furniture). The body is then chosen by a cascade:

1. a site profile's XPath (body_selector), taken as given;
2. markup that names the body (itemprop=articleBody, entry-content, ...), when
   it holds at least TRUSTED_BODY_SHARE of the best subtree's paragraph text;
3. the subtree with the highest good - bad.

transforms.extract.prune then drops the furniture left inside the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from transforms.extract import selectors as sel

BLOCK = sel.BLOCK_TAGS
NO_PARAGRAPHS = "no block of paragraph text"
HEADINGS = sel.HEADING_TAGS | {"h1"}
# How far into a block its own heading may come (Sphinx puts an anchor <span> before it).
SECTION_HEADING_CHILDREN = 3


@dataclass(slots=True)
class Stats:
    chars: int = 0  # visible characters in the subtree
    links: int = 0  # of which inside <a>
    good: float = 0.0  # paragraph text, after class weighting
    bad: float = 0.0  # boilerplate text, after class weighting
    raw_good: float = 0.0  # paragraph text, whatever the classes say
    excluded: bool = False  # inside furniture: never the body
    has_h1: bool = False  # holds a headline: a wrapper, not furniture
    inline: int = 0  # characters of the inline run this element belongs to (not yet closed)
    inline_links: int = 0
    block: bool = False  # a block tag: it closes its own inline run


class ClassVerdict(NamedTuple):
    score_furniture: bool  # its text counts against the blocks around it
    prune_furniture: bool  # dropped from the body
    names_body: bool  # one of KNOWN_BODY_CLASSES
    long_furniture: bool  # furniture even when it holds most of the page's text
    embed: bool  # an embedded post or quote: article content, whatever else its name says
    categories: bool  # its class is one of CATEGORY_CONTAINER_CLASSES: a box of category links


# What one class or id token says, as bits; a verdict is read from the OR of its tokens' bits
# (the vocabularies are sets of whole tokens and of words, and no word spans two tokens).
_EXACT, _KNOWN, _EMBED, _SHARE, _BOILER, _CONTENT, _PRUNE, _LONG, _CATEGORIES = (1 << i for i in range(9))
_WORD_VOCABULARIES = ((_EMBED, "EMBED_WORDS"), (_SHARE, "SHARE_WORDS"), (_BOILER, "BOILERPLATE_WORDS"),
                      (_CONTENT, "CONTENT_WORDS"), (_PRUNE, "PRUNE_WORDS"), (_LONG, "LONG_FURNITURE_WORDS"))


def _word_bits() -> dict[str, int]:
    """Each word of the selectors' class vocabularies -> the bits of the vocabularies it is in."""
    bits: dict[str, int] = {}
    for bit, name in _WORD_VOCABULARIES:
        for word in getattr(sel, name):
            bits[word] = bits.get(word, 0) | bit
    return bits


class _ClassVerdicts:
    """Verdicts per class/id pair, cached across pages (sites repeat theirs on every page),
    read from the bits of each token, cached too (themes share theirs across sites: "row",
    "container", "entry-content"); both caches are pure memos, emptied when they reach MAX_CACHED.
    Built from the selectors' vocabularies as they are when it is made."""

    MAX_CACHED = 50_000

    def __init__(self) -> None:
        self.cache: dict[tuple, ClassVerdict] = {}
        self.tokens: dict[str, int] = {}
        self.words = _word_bits()
        self.exact, self.known = sel.BOILERPLATE_CLASSES, sel.KNOWN_BODY_CLASSES
        self.categories = sel.CATEGORY_CONTAINER_CLASSES

    def _token_bits(self, token: str) -> int:
        low = token.lower()
        bits = ((_EXACT if low in self.exact else 0) | (_KNOWN if low in self.known else 0)
                | (_CATEGORIES if token in self.categories else 0))
        words = self.words
        for word in sel.CLASS_WORD.findall(token):
            bits |= words.get(word.lower(), 0)
        return bits

    def __call__(self, cls: str | None, ident: str | None) -> ClassVerdict:
        verdict = self.cache.get((cls, ident))
        if verdict is None:
            if len(self.cache) >= self.MAX_CACHED:
                self.cache.clear()
            if len(self.tokens) >= self.MAX_CACHED:
                self.tokens.clear()
            bits = 0
            tokens = self.tokens
            for names, mask in ((cls, -1), (ident, ~_CATEGORIES)):  # a category box is named by its class
                for token in (names or "").split():
                    b = tokens.get(token)
                    if b is None:
                        b = tokens[token] = self._token_bits(token)
                    bits |= b & mask
            verdict = self.cache[(cls, ident)] = _BY_BITS[bits]
        return verdict


def _verdict(bits: int) -> ClassVerdict:
    exact, known = bool(bits & _EXACT), bool(bits & _KNOWN)
    embed = bool(bits & _EMBED and not bits & _SHARE)
    score_bad = exact or bool(bits & _BOILER and not bits & _CONTENT)
    prune_bad = exact or bool(bits & _PRUNE)
    return ClassVerdict(score_bad and not known and not embed, prune_bad and not known and not embed, known,
                        bool(bits & _LONG), embed, bool(bits & _CATEGORIES))


_BY_BITS = [_verdict(bits) for bits in range(1 << 9)]


VERDICTS = _ClassVerdicts()
_SLUG_WORDS = re.compile(r"[^\W_]+")
# Elements of a closed furniture block that may be category boxes (the scoring pass does not
# read the classes inside those blocks): their class has "cat", checked token by token. Reached
# through the class attributes (the same elements, in document order): libxml2 then tests no
# predicate on the elements without a class.
_CATEGORY_CANDIDATES = etree.XPath("descendant-or-self::*/@class[contains(., 'cat')]/..")


def names_its_heading(el, ident: str) -> bool:
    """Is the id the slug of el's own heading (el itself, or a heading among its first children)?
    Such an id is a section anchor made from the heading's text ("sharing-with-a-single-developer"
    in Sphinx, static site generators and table-of-contents plugins): it names the text, not the
    block's role, so its words are not read as class words."""
    heading = el if el.tag in HEADINGS else next((c for c in el[:SECTION_HEADING_CHILDREN] if c.tag in HEADINGS), None)
    if heading is None:
        return False
    words = _SLUG_WORDS.findall(ident.lower())
    return bool(words) and words == _SLUG_WORDS.findall(heading.text_content().lower())


def element_verdict(el, verdicts: _ClassVerdicts = VERDICTS) -> ClassVerdict:
    """The verdict on el's class and id, the id left out when it names el's heading."""
    cls, ident = el.get("class"), el.get("id")
    verdict = verdicts(cls, ident)
    if ident and (verdict.score_furniture or verdict.prune_furniture) and names_its_heading(el, ident):
        return verdicts(cls, None)
    return verdict


@dataclass
class ScoredPage:
    root: object
    stats: dict
    known: list  # (rule, element) for elements that name themselves the body, in document order
    furniture: list  # elements whose class marks them as furniture (for scoring)
    verdicts: _ClassVerdicts
    scale: float = 1.0  # the length thresholds' multiplier this page was scored with
    not_content: list = field(default_factory=list)  # the body's siblings gather_siblings() judged furniture
    # Met on the way, for transforms.extract's categories (the pass sees every element of <body>):
    category_links: list = field(default_factory=list)  # <a rel="... category ...">, in document order
    category_boxes: set = field(default_factory=set)  # elements whose class is a category container

    def score(self, el) -> float:
        s = self.stats[el]
        return float("-inf") if s.excluded else s.good - s.bad


def score_tree(root, elements: list | None = None, scale: float = 1.0, teasers: bool = True) -> ScoredPage:
    """Stats for every element under <body>, in one bottom-up pass (the hot loop of the extractor).

    elements: the elements of <body> in document order, when the caller has them already.
    scale: multiplies the length thresholds (paragraph, headline link, teaser), for scripts
    that say more per character (transforms.extract.language.density_scale) or short-paragraph pages.
    teasers: charge TEASER_PENALTY per headline-long link (off for find_body's second try).
    """
    body = root.find("body")
    body = body if body is not None else root
    if elements is None:
        elements = list(body.iter(etree.Element))
    verdicts = VERDICTS
    closed = _closed_furniture(elements, verdicts)
    if closed:
        elements = _without_insides(elements, closed)
        closed = set(closed)
    cached = verdicts.cache.get
    stats: dict = {}
    get = stats.get
    known: list = []
    marked: list = []
    furniture: list = []
    rel_links: list = []  # <a rel="category">, last first until the end
    boxes: set = set()
    block, scoring_furniture = BLOCK, sel.FURNITURE_SCORING_TAGS
    headline_chars, teaser_penalty = sel.HEADLINE_LINK_CHARS * scale, sel.TEASER_PENALTY * scale * teasers
    min_chars = sel.MIN_PARAGRAPH_CHARS * scale
    short_w, link_w, max_density = sel.SHORT_RUN_WEIGHT, sel.LINK_WEIGHT, sel.MAX_PARAGRAPH_LINK_DENSITY
    new = Stats.__new__
    (mark1, value1), (mark2, value2) = sel.ARTICLE_BODY_MARKS
    for el in reversed(elements):  # every descendant before its ancestors
        if el in closed:
            inside: list = []
            stats[el] = _summary(el, headline_chars, teaser_penalty, inside)
            rel_links.extend(reversed(inside))
            boxes.update(x for x in _CATEGORY_CANDIDATES(el) if verdicts(x.get("class"), None).categories)
            if el.get(mark1) == value1 or el.get(mark2) == value2:
                marked.append(el)
            continue
        tag = el.tag
        text = el.text
        chars = inline = len(text.strip()) if text else 0
        links = inline_links = 0
        good = bad = raw_good = 0.0
        has_h1 = False
        if len(el):
            for child in el:
                tail = child.tail
                if tail:
                    tail = len(tail.strip())
                    chars += tail
                    inline += tail
                c = get(child)
                if c is None:
                    continue
                chars += c.chars
                links += c.links
                good += c.good
                bad += c.bad
                raw_good += c.raw_good
                if c.has_h1:
                    has_h1 = True
                if not c.block:
                    inline += c.inline
                    inline_links += c.inline_links
        elif not chars:
            continue  # an empty leaf (<img>, <br>, an icon): nothing to count; its tail is its parent's
        if tag == "a":  # everything under a link is link text, even a teaser's summary
            links, inline_links = chars, inline
            bad += good
            good = 0.0
            if chars >= headline_chars:  # a headline: a teaser's summary goes with it
                bad += teaser_penalty
            rel = el.get("rel")
            if rel and "category" in rel.split():
                rel_links.append(el)
        s = new(Stats)  # fields set below: a dataclass __init__ call was a tenth of this loop
        if tag in block:
            # A block closes its inline run: the run is paragraph text (good) when long and not
            # link-dense, furniture (bad) when short; its link text is bad either way. Headings count neither.
            if inline and tag not in HEADINGS:
                if inline >= min_chars and inline_links <= max_density * inline:
                    good += inline - inline_links
                    raw_good += inline - inline_links
                    bad += link_w * inline_links
                else:
                    bad += short_w * (inline - inline_links) + link_w * inline_links
            s.inline = s.inline_links = 0
            s.block = True
            if tag == "h1" and chars:
                has_h1 = True
        else:
            s.inline, s.inline_links, s.block = inline, inline_links, False
        s.chars, s.links, s.good, s.bad, s.raw_good = chars, links, good, bad, raw_good
        s.excluded, s.has_h1 = False, has_h1
        stats[el] = s
        if s.block and (el.get(mark1) == value1 or el.get(mark2) == value2):
            marked.append(el)  # schema.org says this block is the body (an XPath over the page cost more)
        cls, ident = el.get("class"), el.get("id")
        if tag in scoring_furniture:
            furniture.append(el)
            if cls and verdicts(cls, None).categories:
                boxes.add(el)
        elif cls or ident:
            verdict = cached((cls, ident)) or verdicts(cls, ident)
            if verdict.score_furniture and ident and names_its_heading(el, ident):
                verdict = verdicts(cls, None)
            if verdict.score_furniture:
                furniture.append(el)
            if verdict.names_body:
                known.append(("known body class", el))
            if verdict.categories:
                boxes.add(el)
    known.reverse()
    known[:0] = [("schema.org articleBody", el) for el in reversed(marked)]
    rel_links.reverse()
    page = ScoredPage(body, stats, known, furniture, verdicts, scale, category_links=rel_links, category_boxes=boxes)
    _weigh_furniture(page)
    return page


def _closed_furniture(elements, verdicts) -> list:
    """The outermost <nav>, <aside> and <footer> elements (embedded posts aside), in document
    order: never the body, all their text against the blocks around them, so not scored
    element by element. (Filtering the list of elements is 5 times faster than body.iter(tags).)"""
    found: list = []
    tags = sel.FURNITURE_SCORING_TAGS
    for el in [x for x in elements if x.tag in tags]:
        cls, ident = el.get("class"), el.get("id")
        if (cls or ident) and verdicts(cls, ident).embed:
            continue
        if not found or not any(a in found for a in el.iterancestors(*sel.FURNITURE_SCORING_TAGS)):
            found.append(el)
    return found


def _without_insides(elements: list, closed: list) -> list:
    """elements (in document order) without the descendants of the closed ones (in document order)."""
    kept, start = [], 0
    for el in closed:
        i = elements.index(el, start)
        kept += elements[start:i + 1]
        start = i + 1 + sum(1 for _ in el.iterdescendants(etree.Element))
    return kept + elements[start:]


def _visible(el) -> int:
    text = el.text_content() if len(el) else el.text  # a link's text is mostly all its text
    return len(" ".join(text.split())) if text else 0


def _summary(el, headline_chars: float, teaser_penalty: float, category_links: list) -> Stats:
    """Stats of a closed furniture block, read off its text (whitespace runs as one character):
    every character counts against it and the blocks around it (as scoring it would, less its
    headings), none as paragraph text, each teaser headline link TEASER_PENALTY more. Its
    rel="category" links are added to category_links, in document order."""
    chars = _visible(el)
    links = teasers = 0
    for a in el.iter("a"):
        n = _visible(a)
        links += n
        teasers += n >= headline_chars
        rel = a.get("rel")
        if rel and "category" in rel.split():
            category_links.append(a)
    has_h1 = any(_visible(h) for h in el.iter("h1"))
    return Stats(chars, links, 0.0, chars + teasers * teaser_penalty, 0.0, True, has_h1, 0, 0, True)


def _weigh_furniture(page: ScoredPage) -> None:
    """Furniture blocks: their paragraph text counts as boilerplate for them and their
    ancestors, and nothing inside them can be the body.

    A block that holds an <h1> or DOMINANT_SHARE of the page's paragraph text is a
    wrapper misnamed ("has-sidebar", "widget-wrap", "with-right-rail") and is left
    alone, unless it is a <nav>, <aside> or <footer> or its name is one of
    LONG_FURNITURE_WORDS (comments, related stories: furniture that can outweigh
    the article).
    """
    stats = page.stats
    total = stats[page.root].raw_good if page.root in stats else 0.0
    for el in reversed(page.furniture):  # document order: outer blocks first
        s = stats[el]
        if s.excluded:
            continue
        strong = el.tag in sel.FURNITURE_SCORING_TAGS or element_verdict(el, page.verdicts).long_furniture
        if not strong and (s.has_h1 or s.raw_good >= sel.DOMINANT_SHARE * total):
            continue
        for inner in el.iter():
            if inner in stats:
                stats[inner].excluded = True
        moved = s.good
        node = el
        while node is not None and node in stats:
            n = stats[node]
            n.good -= moved
            n.bad += moved
            node = node.getparent()


def find_body(tree, elements: list, body_selector: str | None, density: float = 1.0, teasers: bool = True):
    """(page, body or None, rule): score the page and choose its body; when no block of
    the page is long enough to count as a paragraph, score it again with thresholds
    cut to SHORT_PARAGRAPH_SCALE (a news brief of one-line paragraphs), still asking
    for MIN_BODY_CHARS of them. teasers=False scores without TEASER_PENALTY."""
    page = score_tree(tree, elements, density, teasers)
    body, rule = choose_body(page, tree, body_selector)
    if body is None and rule == NO_PARAGRAPHS:
        short = score_tree(tree, elements, density * sel.SHORT_PARAGRAPH_SCALE, teasers)
        short_body, short_rule = choose_body(short, tree, body_selector, min_body=sel.MIN_BODY_CHARS * density)
        if short_body is not None:
            return short, short_body, f"{short_rule} (short paragraphs)"
    return page, body, rule


def choose_body(page: ScoredPage, tree, body_selector: str | None = None, min_body: float | None = None):
    """(element, rule) by the cascade in the module docstring, or (None, reason)."""
    if body_selector:
        found = [el for el in tree.xpath(body_selector) if isinstance(el, etree._Element) and el in page.stats]
        if found:
            return max(found, key=lambda el: page.stats[el].chars), "profile"
        body, rule = choose_body(page, tree, min_body=min_body)
        return body, rule if body is None else f"{rule} (the profile's body_selector matched no text)"
    if not page.stats:
        return None, "no text in the page"
    best = _best(page.stats)
    if page.stats[best].excluded:
        return None, "all text is in furniture"
    best_good = page.stats[best].good
    if best_good < (sel.MIN_BODY_CHARS * page.scale if min_body is None else min_body):
        return None, NO_PARAGRAPHS
    densest = "densest subtree"
    if best.tag in sel.LEAF_BLOCK_TAGS and best.getparent() in page.stats:
        # One paragraph outscoring its container means the others are short, not
        # absent: "He declined to comment." belongs to the article too.
        best, densest = best.getparent(), "densest subtree (a paragraph's container)"
    for rule in ("schema.org articleBody", "known body class"):
        candidates = [el for r, el in page.known if r == rule and not page.stats[el].excluded]
        if candidates:
            top = max(candidates, key=lambda el: page.stats[el].good)
            if page.stats[top].good >= sel.TRUSTED_BODY_SHARE * best_good:
                body = _join_split_body(page, top, candidates)
                if _inside(best, body) and page.stats[best].good >= sel.TIGHTER_BODY_SHARE * page.stats[body].good \
                        and page.score(best) > page.score(body):
                    return best, f"{densest} inside the {rule}"
                return body, rule
    if sel.SIBLING_SCORE_SHARE is not None:
        gathered = gather_siblings(page, best)
        if gathered is not best:
            return gathered, f"{densest} and its sibling paragraphs"
    return best, densest


def _best(stats: dict):
    """The element with the highest score (the first in stats' order among equals), as
    max(stats, key=page.score) would give it without a call per element."""
    best, top = None, None
    for el, s in stats.items():
        score = float("-inf") if s.excluded else s.good - s.bad
        if best is None or score > top:
            best, top = el, score
    return best


def gather_siblings(page: ScoredPage, best):
    """Readability's sibling step: a body whose siblings are paragraphs too is one part of
    the article (Wikipedia's text between infoboxes and tables; a story whose paragraphs
    sit beside an embed). Going up from the body, a level has more of the article when a
    sibling holds paragraph text and scores at least SIBLING_SCORE_SHARE of the body's
    score, or is a paragraph with few links; the body climbs to the highest such level
    within SIBLING_LEVELS levels of the last, and the siblings passed on the way that
    score below zero (an infobox, a table header, a link list) are marked in
    page.not_content for pruning. Headings and other siblings stay for prune() to judge."""
    stats, ref = page.stats, page.score(best)
    if ref <= 0:
        return best
    body, level, dropped, pending, idle = best, best, [], [], 0
    while idle < sel.SIBLING_LEVELS:
        parent = level.getparent()
        if parent is None or parent.tag in ("body", "html") or parent not in stats or stats[parent].excluded:
            break
        content = False
        for sibling in parent:
            s = stats.get(sibling)
            if sibling is level or s is None or not s.chars:
                continue
            if not s.excluded and s.good > 0 and (page.score(sibling) >= sel.SIBLING_SCORE_SHARE * ref or (
                    sibling.tag in sel.LEAF_BLOCK_TAGS and s.links <= sel.SIBLING_PARAGRAPH_LINK_DENSITY * s.chars)):
                content = True
            elif page.score(sibling) < 0 and sibling.tag not in HEADINGS:
                pending.append(sibling)
        level = parent
        if content:
            body, idle = parent, 0
            dropped += pending
            pending = []
        else:
            idle += 1
    page.not_content.extend(dropped)
    return body


def _inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _join_split_body(page: ScoredPage, body, candidates):
    """A body cut into several containers of the same name (ads, pull quotes or link boxes
    between them): climb to their common ancestor while that scores better than the part, or
    while it holds little paragraph text besides the parts (at most SPLIT_BODY_SLACK times
    theirs; what lies between them is left to prune()), a part holding at least
    SPLIT_BODY_PART_SHARE of the largest one's paragraph text."""
    stats = page.stats
    largest = stats[body].good
    for other in sorted(candidates, key=lambda el: -stats[el].good):
        if stats[other].good <= 0:
            break
        ancestors = set(body.iterancestors())
        if other is body or other in ancestors:
            continue
        common = next((a for a in other.iterancestors() if a in ancestors), None)
        if common is None or body in set(other.iterancestors()) or common not in stats:
            continue
        if page.score(common) > page.score(body) or (
                stats[other].good >= sel.SPLIT_BODY_PART_SHARE * largest
                and stats[common].good <= sel.SPLIT_BODY_SLACK * (stats[body].good + stats[other].good)):
            body = common
    return body
