"""HTML to Article: lxml parses, scores and prunes the page; BeautifulSoup reads the small body it keeps.

    parse (parse)  ->  metadata cascade (metadata)  ->  what kind of page? (pagekind)
    ->  strip scripts and embeds  ->  score every block, choose the body (body; length
        thresholds scaled for Chinese, Japanese, Korean by language.density_scale)
    ->  headline, categories  ->  prune the body (prune)  ->  sections and links (read)
    ->  is the main text enough for its kind? (pagekind; if not, the body is looked for again,
        without the teaser penalty, before the page is refused)  ->  language (language)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from transforms.extract import selectors as sel
from transforms.article import Article, Category
from transforms.extract.body import find_body
from transforms.extract.parse import ExtractionError, NoArticleError, parse_document, parse_html, strip_junk
from transforms.extract.prune import prune
from transforms.extract.read import read_sections
from transforms.extract.language import density_scale, identify_language
from transforms.extract.metadata import Metadata, document_title, read_metadata
from transforms.extract.pagekind import judge, weigh_text
from transforms.extract.text import collapse

__all__ = ["EXTRACTOR_VERSION", "ExtractionError", "NoArticleError", "extract_article", "parse_html"]

EXTRACTOR_VERSION = "0.4.0"
_SLUG_WORDS = re.compile(r"[^\W_]+")


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    source_id: str | None = None,
    content_type: str | None = None,
    body_selector: str | None = None,
) -> Article:
    """Extract one article in the seed's format; raises NoArticleError when there is none.

    Any input gives an Article or an ExtractionError (NoArticleError included):
    the libraries' own errors on malformed input are wrapped here, in one place.
    """
    where = url or "the document"
    try:
        return _extract(html, url, where, source_id, content_type, body_selector)
    except ExtractionError:
        raise
    except (ValueError, TypeError, UnicodeError, RecursionError, MemoryError, etree.LxmlError) as exc:
        raise ExtractionError(f"{where} could not be read ({type(exc).__name__}: {exc})") from exc


def _extract(html, url, where, source_id, content_type, body_selector) -> Article:
    parsed = parse_document(html, content_type)
    tree = parsed.root
    meta = read_metadata(tree, url)
    kind = judge(tree, meta, url)
    if kind.refused:
        raise NoArticleError(f"{where} is not an article: {kind.kind} page ({kind.reason})")
    density = density_scale(f"{meta.get('document_title') or ''} {meta.get('description') or ''}",
                            meta.get("language"))
    read = _read_article(parsed, url, where, meta, body_selector, density)
    weighed = weigh_text(kind, len(read.text), density)
    if weighed.refused and kind.min_text:
        # Readability's second try, before a page is refused as short: score it again from a
        # fresh parse without the teaser penalty (Readability has none), whose cost a list of
        # short features or sections, each with its "Learn more about ..." link, can pay with
        # most of the page's main text. Taken when it reads more text than the first try.
        try:
            again = _read_article(parse_document(html, content_type), url, where, meta, body_selector, density,
                                  teasers=False)
        except NoArticleError:
            again = read
        if len(again.text) > len(read.text):
            read, weighed = again, weigh_text(kind, len(again.text), density)
            read.provenance["body"] += " (second try, without the teaser penalty)"
    if weighed.refused:
        raise NoArticleError(f"{where} is not an article: {weighed.kind} ({weighed.reason})")
    kind = weighed
    title, title_rule = document_title(meta)
    language, language_rule = identify_language(read.text, meta.get("language"), meta.provenance.get("language"))
    provenance = dict(meta.provenance, body=read.provenance["body"], headline=read.provenance["headline"],
                      title=title_rule, language=language_rule, categories=read.provenance["categories"])
    return Article(
        url=url or str(meta.get("canonical_url") or ""),
        canonical_url=meta.get("canonical_url") or url,
        source_id=source_id,
        title=title or read.headline,
        headline=read.headline,
        categories=read.categories,
        sections=read.sections,
        related=read.related,
        published_at=meta.get("published_at"),
        updated_at=meta.get("updated_at"),
        authors=tuple(meta.get("authors") or ()),
        keywords=tuple(meta.get("keywords") or ()),
        language=language,
        page_kind=kind.kind,
        page_kind_reason=kind.reason,
        provenance=provenance,
    )


@dataclass
class _Read:
    """What one reading of the page's body gave."""

    headline: str
    categories: tuple[Category, ...]
    sections: tuple
    related: tuple
    text: str  # the paragraphs, joined: what the page's kind is weighed on
    provenance: dict[str, str]


def _read_article(parsed, url, where, meta: Metadata, body_selector, density, teasers: bool = True) -> _Read:
    """Find, prune and read the body of a parsed page (which this changes), with its headline and categories."""
    tree = parsed.root
    try:
        page, body, body_rule = find_body(tree, strip_junk(tree), body_selector, density, teasers)
    except etree.XPathError as exc:
        raise ExtractionError(f"body_selector {body_selector!r} is not a valid XPath: {exc}") from exc
    if body is None:
        deep = " (it nests deeper than 2048 levels; parsing stopped there)" if parsed.too_deep else ""
        raise NoArticleError(f"no article body found in {where}: {body_rule}{deep}")
    scope = _article_scope(body)
    headline, headline_rule = _headline(scope, tree, meta)
    categories, categories_rule = _categories(scope, tree, page, url, meta)
    prune(body, page)
    notes: list[str] = []
    sections, related = read_sections(body, url, notes)
    if not any(s.paragraphs for s in sections):
        raise NoArticleError(f"the article body of {where} has no paragraphs")
    if parsed.too_deep:
        notes.insert(0, "document truncated at 2048 levels of nesting")
    if notes:
        body_rule += f" ({'; '.join(notes)})"
    return _Read(headline, categories, sections, related, "\n".join(p for s in sections for p in s.paragraphs),
                 {"body": body_rule, "headline": headline_rule, "categories": categories_rule})


def _article_scope(body):
    """The smallest ancestor of the body that also holds the headline."""
    node = body
    while node is not None:
        if node.tag == "article" or node.find(".//h1") is not None:
            return node
        node = node.getparent()
    return body.getroottree().getroot()


def _headline(scope, tree, meta: Metadata) -> tuple[str, str]:
    for rule, root in (("h1 in article", scope), ("first h1", tree)):
        for h1 in root.iter("h1"):
            text = collapse(h1.text_content())
            if text:
                return text, rule
    for name in ("headline", "title", "document_title"):
        if meta.get(name):
            return str(meta.get(name)), f"{meta.provenance[name]} (no h1)"
    return "", "none"


def _category_links(root, page):
    """Category links under root: rel="category" links first, then links at most
    CATEGORY_BOX_HOPS levels below an element whose class is a category container (both
    met by the scoring pass, page); most pages have no such box, and then no link's
    ancestors are looked at."""
    by_rel, boxes = page.category_links, page.category_boxes
    if not boxes:
        return by_rel
    taken, in_box = set(by_rel), []
    for a in root.iter("a"):
        node, hops = a.getparent(), 0
        while node is not None and hops < sel.CATEGORY_BOX_HOPS:
            if node in boxes:
                if a not in taken:
                    in_box.append(a)
                break
            node, hops = node.getparent(), hops + 1
    return by_rel + in_box


def _within(el, scope) -> bool:
    return scope is el or any(a is scope for a in el.iterancestors())


def _links_by_text(scope, tree, labels) -> dict[str, str]:
    """{label, case-blind: href} for the labels that are a link's whole text, links in the article first."""
    wanted = {label.casefold() for label in labels}
    longest = max(map(len, wanted), default=0)
    anywhere: dict[str, str] = {}
    in_article: dict[str, str] = {}
    for a in tree.iter("a"):
        href = a.get("href")
        text = (a.text if not len(a) else a.text_content()) if href else None
        if text and len(text) <= 2 * longest + 200:  # a label (and its markup's whitespace), not a story
            key = collapse(text).casefold()
            if key in wanted:
                anywhere.setdefault(key, href)
                if key not in in_article and _within(a, scope):
                    in_article[key] = href
    return anywhere | in_article


def _absolute(url: str | None, href: str | None) -> str | None:
    try:
        return urljoin(url, href) if (url and href) else href
    except ValueError:  # an unparseable href costs the link, not the page
        return None


def _slug(text: str) -> str:
    return "-".join(_SLUG_WORDS.findall(text.casefold()))


def _url_slug(url: str | None) -> str | None:
    """The last segment of a category URL's path, as a slug ("/category/world/" -> "world")."""
    try:
        segments = [s for s in urlsplit(url).path.split("/") if s] if url else []
    except ValueError:  # an unparseable href ("http://[") matches nothing
        return None
    return _slug(unquote(segments[-1])) if segments else None


def _categories(scope, tree, page, url, meta: Metadata) -> tuple[tuple[Category, ...], str]:
    """Categories from every source, each once, in this order: category links (in the article,
    else anywhere on the page), then the sections the metadata names (JSON-LD articleSection,
    article:section tags), each with the URL of a link of the same name if any.

    A named section is the category of a link when its name is the link's label or its URL's
    last segment: "World" in JSON-LD is the link "دنیا" to /world, which the page shows.
    """
    found: dict[str, Category] = {}
    sources: list[str] = []
    links = _category_links(tree, page)  # the article's own are preferred
    in_scope = [a for a in links if _within(a, scope)]
    for where, chosen in (("category links in the article", in_scope), ("category links", links)):
        for a in chosen:
            label = collapse(a.text_content())
            if label:
                found.setdefault(label.casefold(), Category(label=label, url=_absolute(url, a.get("href"))))
        if found:
            sources.append(where)
            break
    known = set(found) | {_url_slug(c.url) for c in found.values()}
    named = [label for label in dict.fromkeys(meta.get("sections") or ())
             if label.casefold() not in known and _slug(label) not in known]
    links = _links_by_text(scope, tree, named) if named else {}
    for label in named:
        found[label.casefold()] = Category(label=label, url=_absolute(url, links.get(label.casefold())))
    if named:
        sources.append(meta.provenance["sections"])
    return tuple(found.values()), " + ".join(sources) or "none"
