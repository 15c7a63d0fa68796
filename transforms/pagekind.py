"""Is this page an article at all? Listings, home pages and static pages say no in their markup."""

from __future__ import annotations

from lxml import html as lxml_html

from transforms.metadata import Metadata

# og:type values that site generators give pages that are not articles.
NON_ARTICLE_OG_TYPES = frozenset({"website", "profile", "book", "product", "video.other", "music.song"})
# A listing shows several teasers of similar size; an article page has one
# <article> that dominates (comments and related teasers being much shorter).
# Calibrated on the sample site's home, category and archive pages (6-15 teasers,
# largest under 25% of the total) against its article pages (the post over 70%).
MIN_TEASERS = 3
DOMINANT_SHARE = 0.5


def not_article_reason(tree: lxml_html.HtmlElement, meta: Metadata) -> str | None:
    """A short reason when the page is not an article, else None. Runs before any pruning."""
    og_type = (tree.xpath("string(//meta[@property='og:type']/@content)") or "").strip().lower()
    # A date read off a <time> element may belong to a teaser; only head metadata vouches for the page.
    dated_in_head = str(meta.provenance.get("published_at", "")).startswith(("json-ld", "meta:"))
    if og_type in NON_ARTICLE_OG_TYPES and not dated_in_head:
        return f"og:type is {og_type!r} and no article date in its metadata"
    sizes = sorted((len(el.text_content()) for el in tree.iter("article")), reverse=True)
    if len(sizes) >= MIN_TEASERS and sum(sizes) and sizes[0] / sum(sizes) < DOMINANT_SHARE:
        return f"a listing of {len(sizes)} teasers, none of them dominant"
    return None
