"""HTML to Article: lxml finds and prunes the article, BeautifulSoup reads its structure.

lxml parses the whole page (fast); only the small pruned body subtree is handed
to BeautifulSoup, whose tree API then reads sections, paragraphs and links.
"""

from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from lxml import etree
from lxml import html as lxml_html

from transforms import selectors as sel
from transforms.article import Article, Category, RelatedLink, Section
from transforms.decode import decode_body
from transforms.pagekind import not_article_reason
from transforms.metadata import Metadata, document_title, language_code, read_metadata
from transforms.text import collapse, is_blank

EXTRACTOR_VERSION = "0.1.0"


class ExtractionError(ValueError):
    """The document could not be read as an article."""


class NoArticleError(ExtractionError):
    """The document parsed, but holds no article (a listing, an error page, an empty body)."""


def parse_html(html: bytes | str, content_type: str | None = None) -> lxml_html.HtmlElement:
    text = decode_body(html, content_type)[0] if isinstance(html, bytes) else html
    if is_blank(text):
        raise NoArticleError("the document is empty")
    try:
        return lxml_html.document_fromstring(text)
    except ValueError:  # a str with an XML encoding declaration
        return lxml_html.document_fromstring(text.encode("utf-8"))
    except etree.ParserError as exc:
        raise ExtractionError(f"not parseable as HTML: {exc}") from exc


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    source_id: str | None = None,
    content_type: str | None = None,
    body_selector: str | None = None,
) -> Article:
    """Extract one article in the seed's format; raises NoArticleError when there is none."""
    tree = parse_html(html, content_type)
    where = url or "the document"
    meta = read_metadata(tree, url)
    if (reason := not_article_reason(tree, meta)) is not None:
        raise NoArticleError(f"{where} is not an article: {reason}")
    _remove(tree.iter(*sel.JUNK_TAGS))
    body, body_rule = _find_body(tree, body_selector)
    if body is None:
        raise NoArticleError(f"no article body found in {where}")
    scope = _article_scope(body)
    headline, headline_rule = _headline(scope, tree, meta)
    categories = _categories(scope, tree, url, meta)
    _prune(body)
    sections, related = _read_body(body, url)
    if not any(s.paragraphs for s in sections):
        raise NoArticleError(f"the article body of {where} has no paragraphs")
    title, title_rule = document_title(meta)
    provenance = dict(meta.provenance, body=body_rule, headline=headline_rule, title=title_rule)
    language = language_code(meta.get("language"))
    if language is None:
        language = _script_language(sections)
        provenance["language"] = "script-heuristic"
    return Article(
        url=url or str(meta.get("canonical_url") or ""),
        canonical_url=meta.get("canonical_url") or url,
        source_id=source_id,
        title=title or headline,
        headline=headline,
        categories=categories,
        sections=sections,
        related=related,
        published_at=meta.get("published_at"),
        updated_at=meta.get("updated_at"),
        authors=tuple(meta.get("authors") or ()),
        language=language,
        provenance=provenance,
    )


def _remove(elements) -> None:
    for el in list(elements):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


def _paragraph_chars(el: lxml_html.HtmlElement) -> int:
    return sum(len(collapse(p.text_content())) for p in el.iter("p"))


def _find_body(tree, body_selector: str | None):
    cascade = ((("profile", body_selector),) if body_selector else ()) + sel.BODY_CASCADE
    for rule, xpath in cascade:
        candidates = [(el, _paragraph_chars(el)) for el in tree.xpath(xpath)]
        candidates = [c for c in candidates if c[1] >= sel.MIN_BODY_CHARS]
        if candidates:
            return max(candidates, key=lambda c: c[1])[0], rule
    # Densest block: the element whose own <p> children carry the most text.
    totals: dict = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        totals[parent] = totals.get(parent, 0) + len(collapse(p.text_content()))
    if totals:
        best, chars = max(totals.items(), key=lambda kv: kv[1])
        if chars >= sel.MIN_BODY_CHARS:
            return best, "densest block"
    return None, None


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


def _categories(scope, tree, url, meta: Metadata) -> tuple[Category, ...]:
    found: dict[tuple[str, str | None], Category] = {}
    for root in (scope, tree):
        for xpath in sel.CATEGORY_LINKS:
            for a in root.xpath(xpath):
                label = collapse(a.text_content())
                href = a.get("href")
                link = urljoin(url, href) if (url and href) else href
                if label:
                    found.setdefault((label, link), Category(label=label, url=link))
        if found:
            return tuple(found.values())
    section = meta.get("section")
    return (Category(label=str(section)),) if section else ()


def _prune(body) -> None:
    doomed = []
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments and processing instructions
        elif el.tag in sel.FURNITURE_TAGS or el.get("hidden") is not None or el.get("aria-hidden") == "true":
            doomed.append(el)
        elif "display:none" in (el.get("style") or "").replace(" ", ""):
            doomed.append(el)
        elif sel.is_boilerplate(f"{el.get('class') or ''} {el.get('id') or ''}"):
            doomed.append(el)
    _remove(doomed)


class _BodyBuilder:
    """Collects sections and related links while the body is walked in order."""

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

    def paragraph(self, pieces: list) -> None:
        text = collapse("".join(p.get_text() if isinstance(p, Tag) else str(p) for p in pieces))
        if is_blank(text):
            return
        prefix = sel.RELATED_PREFIX.match(text)
        links = [a for p in pieces if isinstance(p, Tag)
                 for a in ([p] if p.name == "a" else p.find_all("a")) if a.get("href")]
        if prefix and links:
            href = links[0]["href"]
            url = urljoin(self.base_url, href) if self.base_url else href
            self.related.append(RelatedLink(title=text[prefix.end():], url=url))
            return
        self.sections[-1][1].append(text)

    def result(self) -> tuple[tuple[Section, ...], tuple[RelatedLink, ...]]:
        sections = tuple(Section(h, tuple(ps)) for h, ps in self.sections if h or ps)
        return sections, tuple(self.related)


_BREAKING = list(sel.BLOCK_TAGS | {"br"})


def _walk(el: Tag, out: _BodyBuilder) -> None:
    """Inline runs between block boundaries become paragraphs; headings open sections."""
    run: list = []
    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                run.append(child)
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "br" or child.name in sel.BLOCK_TAGS or child.find(_BREAKING) is not None:
            out.paragraph(run)
            run = []
            if child.name in sel.HEADING_TAGS:
                out.heading(collapse(child.get_text()))
            elif child.name != "br":
                _walk(child, out)
        else:
            run.append(child)
    out.paragraph(run)


def _read_body(body, url: str | None):
    soup = BeautifulSoup(lxml_html.tostring(body, encoding="unicode"), "lxml")
    root = soup.body.find(True) if soup.body else None
    out = _BodyBuilder(url)
    if root is not None:
        _walk(root, out)
    return out.result()


def _script_language(sections: tuple[Section, ...]) -> str | None:
    """Arabic-script majority reads as Urdu on this bilingual site family; else English."""
    text = " ".join(p for s in sections for p in s.paragraphs)
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    return "ur" if arabic / len(letters) > 0.5 else "en"
