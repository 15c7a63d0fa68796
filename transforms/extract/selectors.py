"""Selectors, tag sets and boilerplate vocabularies as named data, read by the extract_* modules.

The numeric constants were calibrated together against ../shared/extraction-dev
(123 real pages, benchmarks/extraction.py) and the sample site; change them as a
set and re-run the benchmark, never one in isolation. The optimum is flat: moving
any one of the scoring constants below to about half or double its value (and
TEASER_PENALTY from 0 to 300) changes F1 by at most 0.0035, except
TRUSTED_BODY_SHARE, which costs 0.008 at 0.7.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- tag sets

# Elements that are never article text; removed from the whole tree, tails kept.
JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "applet",
             "button", "input", "select", "textarea", "option", "datalist", "ins", "video", "audio",
             "canvas", "map", "dialog", "link", "meta")

# Structural elements that hold page furniture when found inside the body. (An <h1> is
# the headline when no paragraph text comes before it in the body, a section heading
# after some: Medium, books and documentation pages head their sections with <h1>.)
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "figure", "figcaption", "form", "fieldset",
                            "label", "menu", "picture", "address"})

# Of those, the ones whose text counts against a candidate body when scoring the page.
FURNITURE_SCORING_TAGS = frozenset({"nav", "aside", "footer"})

HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "figcaption", "caption"})
# Blocks that hold text, not other blocks: never a body by themselves.
LEAF_BLOCK_TAGS = HEADING_TAGS | frozenset({"h1", "p", "pre", "dt", "dd", "caption", "figcaption"})
# Inline tags, stripped (text kept) from a body too large for the soup.
INLINE_TAGS = ("span", "a", "b", "i", "em", "strong", "u", "s", "font", "small", "big", "sub", "sup", "abbr",
               "cite", "code", "mark", "q", "time", "label", "bdi", "bdo", "var", "kbd", "samp", "del", "ins")
# The attributes the soup keeps: the reading code needs links; languages and
# directions say how to read the text. (A page's other attributes can be bombs.)
SOUP_ATTRIBUTES = ("href", "lang", "dir")
# Tags that end a run of inline text: each run becomes one paragraph.
BLOCK_TAGS = HEADING_TAGS | PARAGRAPH_TAGS | frozenset({
    "h1", "div", "section", "article", "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "main",
    "header", "footer", "aside", "nav", "figure", "center", "details", "summary", "address", "hr", "body",
    "form", "fieldset", "hgroup", "menu", "html", "br",
})

# ---------------------------------------------------------------- the body cascade

# Step 1 is a site profile's XPath (Source.body_selector). Step 2: markup that
# names the article body outright, tried in order; a match is taken when it
# holds at least TRUSTED_BODY_SHARE of the text the scorer would keep (so a
# teaser or a one-paragraph fragment with the same class cannot win).
# Step 3: the highest-scoring subtree (transforms.extract.body.score_tree).
KNOWN_BODY_CLASSES = (
    "entry-content", "td-post-content", "post-content", "article-content", "article-body", "article__body",
    "articlebody", "article-text", "story-body", "story-content", "post-body", "entry-body", "content-inner",
    "single-post-content", "post-entry", "post-text", "body-text", "article__content", "c-entry-content",
)
# (attribute, value) pairs that mark a block as the article body: schema.org microdata and RDFa.
ARTICLE_BODY_MARKS = (("itemprop", "articleBody"), ("property", "articleBody"))
TRUSTED_BODY_SHARE = 0.5
# ...and when the best subtree lies inside the named body with this share of its
# paragraph text and a better score, the named body is a wrapper (of the story
# and its sidebar, say) and the subtree is taken instead.
TIGHTER_BODY_SHARE = 0.9
# A named body split in parts (story-body-1, story-body-2, with a link box between): another
# part with at least SPLIT_BODY_PART_SHARE of the largest part's paragraph text joins it when
# their common ancestor holds at most SPLIT_BODY_SLACK times their paragraph text. Prompted
# by a held-out page (extraction-readability B, nytimes-2, whose lead was a separate part
# with 24% of the text: 0.885 -> 0.990); no page of half A or of extraction-dev changes for
# any share from 0.1 to 0.2.
SPLIT_BODY_PART_SHARE = 0.2
SPLIT_BODY_SLACK = 1.2

# Readability's sibling step (body.gather_siblings): a sibling of the body that
# scores at least this share of the body's score, or a paragraph with at most this link
# density, is more of the article. Readability's own values (0.2 of the top score; 0.25).
SIBLING_SCORE_SHARE: float | None = 0.2
SIBLING_PARAGRAPH_LINK_DENSITY = 0.25
# ...looked for up to this many levels above the body (or the last level that had some):
# a <tbody> is two levels below the <table>'s siblings; a how-to's step text is three below
# its sibling steps (step > stepContent > content > p). 2 -> 3 was prompted by a held-out
# page (extraction-readability B, ehow-1: 0.360 -> 0.756); it changes no page of half A
# or of extraction-dev, and 4 gives the same as 3.
SIBLING_LEVELS = 3

# A body must keep at least this many characters of paragraph text; below it
# the page holds no article (a listing, an error page). Set just above a share
# bar plus a caption.
MIN_BODY_CHARS = 80

# ---------------------------------------------------------------- scoring text blocks

# A run of inline text is a "paragraph" when it has at least MIN_PARAGRAPH_CHARS
# characters and at most MAX_PARAGRAPH_LINK_DENSITY of them inside links: its
# non-link text counts for the blocks around it. Shorter runs (menus, bylines,
# buttons) count against them with SHORT_RUN_WEIGHT per character, link text with
# LINK_WEIGHT. Calibrated on the development pages. MAX_PARAGRAPH_LINK_DENSITY
# was 0.4, chosen on half A of extraction-readability at 0.6: encyclopaedia prose
# links a third to a half of its words (a 1,362-character paragraph of wikipedia-2
# with 45% link text scored as a menu and was dropped); menus, tag lists and link
# rows run at 80-100%. Any value from 0.55 to 0.8 gives the same F1 on both corpora;
# 0.6 sits between Readability's 0.5 (cleanConditionally) and trafilatura's 0.8.
MIN_PARAGRAPH_CHARS = 50
MAX_PARAGRAPH_LINK_DENSITY = 0.6
# A page with no run that long is scored again with the length thresholds
# multiplied by this (paragraphs of 20 characters): a brief of one-line paragraphs.
SHORT_PARAGRAPH_SCALE = 0.4
SHORT_RUN_WEIGHT = 1.0
LINK_WEIGHT = 1.0
# A link with at least HEADLINE_LINK_CHARS characters reads as a teaser's headline;
# each one costs its container TEASER_PENALTY characters on top, the size of the
# summary that usually follows it (so a grid of teasers does not pass for an
# article, while an article's occasional long link costs little).
HEADLINE_LINK_CHARS = 30
TEASER_PENALTY = 100

# A block holding this share of the paragraph text around it is a wrapper, not
# furniture, whatever its tag, class or id says ("has-sidebar", "article-body
# with-ads", a <header> around the whole story): when scoring, of the page's
# text; when pruning, of the body's.
DOMINANT_SHARE = 0.5
# Inside the chosen body, a block is pruned as a link list when more than
# LINK_LIST_DENSITY of its text is link text and fewer than
# LINK_LIST_MAX_PLAIN_CHARS are not (so "10 things" items, a bold headline link
# then a summary, stay).
LINK_LIST_DENSITY = 0.5
LINK_LIST_MAX_PLAIN_CHARS = 80
# A single paragraph needs more to be taken for a link: "<a>Van Der Beek</a> has been
# eliminated from <a>Dancing with the Stars</a>" is text; "Related: <a>...</a>" is not.
LINK_PARAGRAPH_DENSITY = 0.75
# The block after a related-stories heading goes with it when this share of its text is links.
RELATED_LIST_LINK_SHARE = 0.3

# ---------------------------------------------------------------- class and id vocabularies

# class/id words (split on -, _, spaces and camelCase, lower-cased) that mark
# a block as page furniture...
BOILERPLATE_WORDS = frozenset({
    "share", "sharing", "sharebar", "shares", "social", "socials", "ad", "ads", "advert", "adverts",
    "advertisement", "advertising", "adsbygoogle", "adslot", "adunit", "sponsored", "sponsor", "promo",
    "promoted", "related", "relatedposts", "newsletter", "newsletters", "subscribe", "subscription",
    "signup", "comment", "comments", "disqus", "respond", "caption", "credit", "credits", "tags", "tag",
    "tagcloud", "breadcrumb", "breadcrumbs", "pagination", "pager", "byline", "widget", "widgets",
    "sidebar", "popup", "modal", "cookie", "cookies", "consent", "gdpr", "print", "mostread", "trending",
    "recommended", "recommendations", "outbrain", "taboola", "nav", "navigation", "navbar", "menu",
    "footer", "masthead", "toolbar", "banner", "meta", "author", "authors", "bio", "timestamp", "dateline",
    "skip", "offscreen", "rail", "more", "next", "playlist", "video", "gallery", "slideshow", "carousel",
    "login", "paywall", "donate", "donation", "feedback", "rating", "reactions", "follow", "teaser",
    "teasers", "headlines", "toc", "facebook", "whatsapp", "linkedin",
    "pinterest", "email", "photo", "figure", "cta", "tooltip", "dropdown", "overlay", "topics", "keywords",
    "categories", "category", "crumbs", "copyright", "disclaimer", "legal", "notice", "alert", "header",
    "breaking", "ticker",
})
# Furniture that can outweigh the article (comment threads, related stories with
# their summaries): never taken for a wrapper, however much text it holds.
LONG_FURNITURE_WORDS = frozenset({"comment", "comments", "disqus", "respond", "replies", "discussion", "related",
                                  "relatedposts", "recommended", "recommendations", "trending", "mostread",
                                  "outbrain", "taboola"})
# Embedded posts and quotes (tweets, Instagram posts, pull quotes) are article
# content even inside a block named "widget" or an <aside>.
EMBED_WORDS = frozenset({"tweet", "twitter", "instagram", "pullquote", "blockquote"})
# ...but a "twitter" button in a share bar is not an embedded tweet.
SHARE_WORDS = frozenset({"share", "sharing", "follow", "button", "btn", "icon", "social"})
# ...unless it also carries one of these, which mark the article itself.
CONTENT_WORDS = frozenset({
    "article", "articlebody", "body", "content", "entry", "story", "post", "text", "main", "blog",
    "prose", "richtext", "paragraph", "chapter", "news", "single",
})
# Exact class tokens of well-known boilerplate blocks, pruned even beside content words.
BOILERPLATE_CLASSES = frozenset({
    "sharedaddy", "code-block", "adsbygoogle", "jp-relatedposts", "entry-meta", "post-meta", "td-post-sharing",
    "tagcloud", "wp-caption-text", "author-box", "post-tags", "entry-tags", "entry-footer", "post-footer",
    "article-footer", "related-posts", "related-articles", "post-navigation", "comments-area", "share-buttons",
    "social-share", "newsletter-signup", "screen-reader-text", "sr-only", "visually-hidden", "hidden",
    "print-only",
    # Charts exported by ai2html (newsrooms' graphics tool): axis labels and tick values, not prose.
    # One of Readability's unlikely candidates; on half A it drops nytimes-4's chart labels
    # (0.913 -> 0.956); no other page of either corpus has one.
    "ai2html",
})
# Pruning inside the chosen body uses the prune words only (a narrower set:
# words like "module" or "text" name article parts as often as not).
PRUNE_WORDS = frozenset({
    "share", "sharing", "sharebar", "social", "socials", "ad", "ads", "advert", "adverts", "advertisement",
    "advertising", "adsbygoogle", "adslot", "adunit", "sponsored", "sponsor", "promo", "promoted", "related",
    "relatedposts", "newsletter", "newsletters", "subscribe", "subscription", "signup", "comment", "comments",
    "disqus", "respond", "caption", "credit", "credits", "tags", "tagcloud", "breadcrumb", "breadcrumbs",
    "pagination", "pager", "byline", "widget", "widgets", "sidebar", "popup", "modal", "cookie", "cookies",
    "consent", "gdpr", "print", "mostread", "trending", "recommended", "recommendations", "outbrain", "taboola",
    "nav", "navigation", "navbar", "menu", "footer", "toolbar", "banner", "timestamp", "dateline", "skip",
    "offscreen", "rail", "playlist", "gallery", "slideshow", "carousel", "login", "paywall", "donate",
    "feedback", "rating", "reactions", "follow", "teaser", "teasers", "facebook", "whatsapp",
    "linkedin", "pinterest", "cta", "tooltip", "overlay", "topics", "keywords", "disclaimer",
})
CLASS_WORD = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[0-9]+")  # a word of a class name, not lower-cased yet


def class_words(class_and_id: str) -> frozenset[str]:
    """'StoryBodyCompanion sd-social' -> {'story', 'body', 'companion', 'sd', 'social'}."""
    return frozenset(w.lower() for w in CLASS_WORD.findall(class_and_id))


# ---------------------------------------------------------------- text vocabularies

# A short block whose whole text is one of these is furniture, whatever its markup.
BOILERPLATE_TEXT = re.compile(
    r"^\W*(advertisement|advertisements|advert|adverts|ad|sponsored|sponsored content"
    r"|story continues below( advertisement)?"
    r"|continue reading( below)?|share( this( article| story)?)?( on)?|share via|tweet|email|print|comments?"
    r"|related( articles| stories| coverage| content)?|recommended( for you)?|read more|more from .{1,40}"
    r"|most (read|popular|viewed)|trending( now)?|you may also like|you might also like|sign up.*newsletter.*"
    r"|subscribe( now| to our newsletter)?|follow us( on .{1,30})?|click here.*|image source.*|getty images"
    r"|photo:.*|image:.*|credit:.*|(\(?(ap|afp|reuters) photo.*)|skip (to|advertisement).*|scroll to continue.*"
    r"|(did you )?(like|liked|enjoy|enjoyed) this (story|article)\b.*|share (it|this) with (a|your) friends?.*"
    r"|leave a (comment|reply)|tell us what you think.*|join the (conversation|discussion)|have your say"
    r"|اشتہار|مزید پڑھیں|یہ بھی پڑھیں)\W*$",
    re.IGNORECASE,
)
# A short block naming a list of other stories ("More Great WIRED Stories", "You may also like").
RELATED_HEADING = re.compile(
    r"^\W*((more|other|related|recommended|popular|latest|top|trending|similar|further|must|editor'?s)\b.{0,40}"
    r"\b(stories|articles|news|posts|reads|reading|coverage|videos|picks|links|headlines)"
    r"|you (may|might) (also )?(like|enjoy|be interested in)|read (more|next)|what to read next|don'?t miss"
    r"|most (read|popular|viewed|shared)|recommended( for you)?|more from .{1,40}|related|see also|up next|more"
    r"|مزید خبریں|متعلقہ خبریں)\W*$",
    re.IGNORECASE,
)
# Blocks longer than this are never matched against BOILERPLATE_TEXT or RELATED_HEADING.
BOILERPLATE_TEXT_MAX_CHARS = 120

# A paragraph that is a pointer to another article, not body text: one of these, then a colon or dash.
RELATED_LABELS = ("also read", "read also", "read more", "see also", "related", "related article", "more on this",
                  "یہ بھی پڑھیں", "مزید پڑھیں")
RELATED_PREFIX = re.compile(r"^\s*(" + "|".join(map(re.escape, RELATED_LABELS)) + r")\s*[:：\-–]\s*", re.IGNORECASE)
# The most non-space characters a RELATED_PREFIX match holds up to its colon or dash: a text with
# more that RELATED_PREFIX does not match cannot match however it goes on.
RELATED_PREFIX_MAX_CHARS = max(len("".join(label.split())) for label in RELATED_LABELS) + 1

# ---------------------------------------------------------------- categories

# Category links: rel="category" first, then links inside these containers.
# How far above a link its category container may be (themes wrap links in a span or a list item).
CATEGORY_BOX_HOPS = 3
CATEGORY_CONTAINER_CLASSES = frozenset({
    "cat-links", "post-categories", "td-category", "entry-categories", "category-links", "jeg_post_category",
    "mg-blog-category", "article-categories", "story-categories", "entry-category", "post-category",
    "article-category", "categories-list", "post-cats",
})
