#!/usr/bin/env python3
"""Generate seeds/sample_site/: an offline copy of a WordPress-style bilingual (English/Urdu) news site.

Also writes seeds/sample_site_expected/: per article the exact `Article.to_seed_text()` output
({slug}.txt) and index.json with every field an extractor should recover. Article texts and
sentence pools live in seeds/sample_articles.json; everything else (dates, paragraphing, themes,
markup quirks) comes from fixed-seed RNGs, so rerunning rewrites byte-identical files.

Standard library only. Run: uv run python seeds/make_sample_site.py
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE_DIR = HERE / "sample_site"
EXPECTED_DIR = HERE / "sample_site_expected"
SEED_FILE = HERE / "000_47ab98f876fbbd8c.txt"
BASE = "http://sample-site.invalid"  # flows/cli/demo_site.py swaps this origin for its own
PKT = timezone(timedelta(hours=5))  # Asia/Karachi
START, SPAN_DAYS = datetime(2026, 8, 1, tzinfo=PKT), 85  # 2026-08-01 .. 2026-10-25
SEED = 20261025
NBSP = "\u00a0"
THEMES = ("classic", "newspaper", "magazine", "jnews")
UR_MONTHS = "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر".split()
IMAGES = [f"/wp-content/uploads/2026/placeholder-{n}.svg" for n in range(1, 5)]
CAPTIONS = ["Photo: AFP", "File photo: Reuters", "Photo: AP", "تصویر: اے ایف پی"]

DATA = json.loads((HERE / "sample_articles.json").read_text(encoding="utf-8"))
SITE = DATA["site"]["name"]
CATS = dict(DATA["categories"])  # slug -> Urdu label, in menu order
AUTHORS = {a["slug"]: a for a in DATA["authors"]}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", "")).strip("-")


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def kv(name: str, value: str) -> str:
    """An HTML attribute with its leading space, for the `extra` arguments below."""
    return f' {name}="{attr(value)}"'


def iso(dt: datetime) -> str:
    return dt.isoformat()


def date_text(dt: datetime, lang: str) -> str:
    return f"{dt.day} {UR_MONTHS[dt.month - 1]} {dt.year}" if lang == "ur" else f"{dt:%B} {dt.day}, {dt.year}"


def ordered_sample(rng: random.Random, pool: list, k: int) -> list:
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), k))]


# ---------------------------------------------------------------- article texts

def paragraph_groups(rng: random.Random, pool: list[str]) -> list[list[str]]:
    """1-4 paragraphs of 2-5 sentences, drawn in pool order from one section's sentence pool."""
    count = rng.randint(1, max(1, min(4, len(pool) // 2)))
    sizes = [2] * count
    for _ in range(rng.randint(0, len(pool) - 2 * count)):
        room = [i for i, s in enumerate(sizes) if s < 5]
        if room:
            sizes[rng.choice(room)] += 1
    sentences, groups = ordered_sample(rng, pool, sum(sizes)), []
    for size in sizes:
        groups.append(sentences[:size])
        sentences = sentences[size:]
    return groups


def compose(spec: dict, topic: dict, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Sections as (heading, paragraphs); heading "" for an unheaded lead."""
    if "sections" in spec:  # fixed text (the seed article)
        return [(s["heading"], list(s["paragraphs"])) for s in spec["sections"]]
    raw: list[tuple[str, list[list[str]]]] = []
    leads = rng.choices([0, 1, 2], weights=[4, 4, 2])[0]
    if leads == 2 and len(topic["lead"]) < 4:
        leads = 1
    if leads:
        take = min(len(topic["lead"]), rng.randint(2 * leads, 2 * leads + 1))
        sentences = ordered_sample(rng, topic["lead"], take)
        raw.append(("", [sentences[:2], sentences[2:]] if leads == 2 else [sentences]))
    chosen = ordered_sample(rng, topic["sections"], rng.randint(2, min(6, len(topic["sections"]))))
    style = rng.choice(["N. X", "N.X", "mixed", "plain"])
    for number, section in enumerate(chosen, 1):
        heading = rng.choice(section["heading"])
        fmt = rng.choice(["N. X", "N.X"]) if style == "mixed" else style
        heading = {"N. X": f"{number}. {heading}", "N.X": f"{number}.{heading}"}.get(fmt, heading)
        raw.append((heading, paragraph_groups(rng, section["sentences"])))
    sections = []
    for heading, groups in raw:
        paragraphs = []
        for group in groups:
            if len(group) > 1 and rng.random() < 0.15:  # the seed's "principle.\xa0 \xa0However"
                cut = rng.randrange(1, len(group))
                text = " ".join(group[:cut]) + NBSP + " " + NBSP + " ".join(group[cut:])
            else:
                text = " ".join(group)
            paragraphs.append(text + NBSP if rng.random() < 0.05 else text)
        sections.append((heading, paragraphs))
    headed = [i for i, (h, _) in enumerate(sections) if h]
    if rng.random() < 0.3:  # the seed's "\xa01. China"
        h, p = sections[headed[0]]
        sections[headed[0]] = (NBSP + h, p)
    if rng.random() < 0.25:  # the seed's "2. Russia\xa0 and North Korea Agreement"
        i = rng.choice(headed)
        h, p = sections[i]
        spaces = [m.start() for m in re.finditer(" ", h)]
        if spaces:
            at = rng.choice(spaces)
            sections[i] = (h[:at] + NBSP + h[at:], p)
    return sections


def make_title(headline: str, lang: str, rng: random.Random) -> str:
    """The document title: mostly the headline, sometimes with the seed's casing/period drift."""
    if rng.random() < 0.65:
        return headline
    if lang == "ur":
        return headline[:-1] if headline.endswith("۔") else headline + "۔"
    words = headline.split(" ")
    capitals = [i for i, w in enumerate(words) if i and w[:1].isupper()]
    if capitals and rng.random() < 0.6:
        for i in rng.sample(capitals, min(len(capitals), rng.randint(1, 2))):
            words[i] = words[i].lower()
        title = " ".join(words)
        return title + "." if rng.random() < 0.6 or title == headline else title
    return headline + "."


def build_articles() -> list[dict]:
    rng = random.Random(SEED)
    specs = DATA["articles"]
    offsets = [rng.randint(1, SPAN_DAYS) for s in specs if "published" not in s]
    offsets[rng.randrange(len(offsets))] = SPAN_DAYS
    offsets_iter = iter(offsets)
    articles = []
    for spec in specs:
        topic = DATA["topics"][spec["topic"]]
        lang = topic["language"]
        slug = spec.get("slug") or slugify(spec["headline"])
        r = random.Random(f"{SEED}:text:{slug}")
        if "published" in spec:
            published = datetime.fromisoformat(spec["published"]).replace(tzinfo=PKT)
        else:
            published = (START + timedelta(days=next(offsets_iter))).replace(hour=r.randint(7, 22), minute=r.randrange(60))
        updated = None
        if "sections" not in spec and r.random() < 0.2:
            updated = published + timedelta(hours=r.randint(2, 54), minutes=r.randrange(1, 60))
        candidates = [a for a in DATA["authors"] if lang in a["languages"]]
        articles.append({
            "slug": slug, "lang": lang, "topic": spec["topic"], "headline": spec["headline"],
            "title": spec.get("title") or make_title(spec["headline"], lang, r),
            "categories": spec["categories"], "sections": compose(spec, topic, r),
            "published": published, "updated": updated,
            "author": AUTHORS[spec["author"]] if "author" in spec else r.choice(candidates),
            "tags": ordered_sample(r, topic["tags"], r.randint(2, min(4, len(topic["tags"])))),
            "related_spec": spec.get("related"),
        })
    articles.sort(key=lambda a: (a["published"], a["slug"]))
    by_slug = {a["slug"]: a for a in articles}
    assert len(by_slug) == len(articles), "duplicate slugs"
    for a, post_id in zip(articles, sorted(rng.sample(range(1200, 9800), len(articles)))):
        a["id"], a["path"] = post_id, f"/{a['published']:%Y/%m/%d}/{a['slug']}/"
        a["url"] = BASE + a["path"]
    for a in articles:
        r = random.Random(f"{SEED}:related:{a['slug']}")
        if a["related_spec"] is not None:
            a["related"] = [by_slug[s] for s in a["related_spec"]]
            continue
        chosen: list[dict] = []
        for _ in range(r.choices([0, 1, 2], weights=[3, 5, 2])[0]):
            roll = r.random()
            others = [b for b in articles if b is not a and all(b is not c for c in chosen)]
            if roll < 0.4:  # Urdu titles are common in the seed's "Also Read" links
                pool = [b for b in others if b["lang"] == "ur"]
            else:
                pool = [b for b in others if b["topic"] == a["topic"]] if roll < 0.75 else others
            pool = pool or others
            chosen.append(r.choice(pool))
        a["related"] = chosen
    return articles


def seed_text(a: dict) -> str:
    """Exactly what transforms.article.Article.to_seed_text() renders for this article."""
    blocks = [a["title"], a["headline"], " ".join(CATS[c] for c in a["categories"])]
    for heading, paragraphs in a["sections"]:
        blocks.extend(([heading] if heading else []) + paragraphs)
    blocks.extend(f"Also Read: {b['headline']}" for b in a["related"])
    return "\n\n".join(blocks)


def excerpt(a: dict, words: int = 26) -> str:
    parts = a["sections"][0][1][0].replace(NBSP, " ").split()
    return " ".join(parts[:words]) + (" […]" if len(parts) > words else "")


# ---------------------------------------------------------------- markup helpers

class Markup:
    """One page's random markup choices: NBSP as entity or raw, absolute or root-relative links."""

    def __init__(self, key: str):
        self.r = random.Random(f"{SEED}:markup:{key}")

    def text(self, s: str) -> str:
        parts = html.escape(s, quote=False).split(NBSP)
        return parts[0] + "".join(("&nbsp;" if self.r.random() < 0.5 else NBSP) + p for p in parts[1:])

    def href(self, path: str) -> str:
        return BASE + path if self.r.random() < 0.4 else path

    def link(self, path: str, label: str, extra: str = "") -> str:
        return f'<a href="{self.href(path)}"{extra}>{self.text(label)}</a>'

    def para(self, text: str, targets: list[str]) -> str:
        """A <p> whose collapsed text is `text`: maybe an inline <a>/<strong>/<em>, maybe wrapped lines."""
        words, r = text.split(" "), self.r
        wrap = None
        if len(words) > 8 and r.random() < 0.4:
            start = r.randrange(1, len(words) - 4)
            wrap = (start, start + r.randint(1, 3), r.choice(["strong", "em", "a", "a"]))
        pieces, i = [], 0
        while i < len(words):
            if wrap and i == wrap[0]:
                inner, tag = " ".join(self.text(w) for w in words[i:wrap[1]]), wrap[2]
                pieces.append(f'<a href="{self.href(r.choice(targets))}">{inner}</a>' if tag == "a" else f"<{tag}>{inner}</{tag}>")
                i = wrap[1]
            else:
                pieces.append(self.text(words[i]))
                i += 1
        lines = r.random() < 0.3
        body = pieces[0] + "".join(("\n" if lines and r.random() < 0.12 else " ") + p for p in pieces[1:])
        return f"<p>\n{body}\n</p>" if lines and r.random() < 0.3 else f"<p>{body}</p>"

    def heading(self, text: str, tag: str, strong: bool) -> str:
        inner = f"<strong>{self.text(text)}</strong>" if strong else self.text(text)
        ident = f' id="h-{slugify(text)}"' if self.r.random() < 0.3 and slugify(text) else ""
        cls = ' class="wp-block-heading"' if self.r.random() < 0.5 else ""
        return f"<{tag}{cls}{ident}>{inner}</{tag}>"


def ad_block(n: int) -> str:
    return (f'<div class="code-block code-block-{n}" style="margin: 8px auto; text-align: center; display: block; clear: both;">\n'
            f'<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" data-ad-slot="{4410 + n}" '
            'data-ad-format="auto" data-full-width-responsive="true"></ins>\n'
            "<script>\n     (adsbygoogle = window.adsbygoogle || []).push({});\n</script></div>")


def share_bar(path: str) -> str:
    buttons = "".join(f'<li class="share-{k}"><a rel="nofollow noopener noreferrer" class="share-{k} sd-button" href="{path}?share={k}" '
                      f'target="_blank"><span>{label}</span></a></li>' for k, label in
                      (("facebook", "Facebook"), ("twitter", "Twitter"), ("jetpack-whatsapp", "WhatsApp")))
    return ('<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">'
            f'<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>{buttons}</ul></div></div></div>')


def cat_links(a: dict, m: Markup, sep: str) -> str:
    return sep.join(m.link(f"/category/{c}/", CATS[c], ' rel="category tag"') for c in a["categories"])


def byline(a: dict, m: Markup, extra: str = "") -> str:
    return f'<span class="author vcard"{extra}>{m.link("/author/%s/" % a["author"]["slug"], a["author"]["name"], kv("class", "url fn n"))}</span>'


def time_el(dt: datetime, lang: str, cls: str, extra: str = "") -> str:
    return f'<time class="{cls}" datetime="{iso(dt)}"{extra}>{date_text(dt, lang)}</time>'


def tags_html(a: dict, m: Markup, cls: str) -> str:
    links = " ".join(m.link(f"/tag/{slugify(t)}/", t, ' rel="tag"') for t in a["tags"])
    return f'<div class="{cls}"><span class="tags-title">Tags:</span> {links}</div>'


def content_html(a: dict, m: Markup) -> str:
    """The body container's inside: headings, paragraphs, plus ads, figure, share bar and related links."""
    r = m.r
    tag, strong = r.choice(["h2", "h3"]), r.random() < 0.4
    targets = [f"/category/{c}/" for c in a["categories"]] + [f"/tag/{slugify(t)}/" for t in a["tags"]] + [b["path"] for b in a["related"]]
    blocks = []
    for heading, paragraphs in a["sections"]:
        if heading:
            blocks.append(("h", m.heading(heading, tag, strong)))
        blocks.extend(("p", m.para(p, targets)) for p in paragraphs)
    after: dict[int, list[str]] = {i: [] for i in range(-1, len(blocks))}
    mid = [i for i, (kind, _) in enumerate(blocks) if kind == "p" and i < len(blocks) - 1]
    label = "یہ بھی پڑھیں:" if a["lang"] == "ur" and r.random() < 0.5 else "Also Read:"
    spaced = r.random() < 0.3
    related = [f'<p><strong>{label}{" </strong>" if spaced else "</strong> "}{m.link(b["path"], b["headline"])}</p>' for b in a["related"]]
    mode = r.choice(["end", "end", "mid", "split"])
    if related and mid and mode != "end":
        at = r.choice(mid)
        moved = related[:1] if mode == "split" and len(related) == 2 else related
        after[at].extend(moved)
        related = related[len(moved):]
    for n in range(r.randint(0, 3)):
        if mid:
            after[r.choice(mid)].append(ad_block(n + 2))
    if r.random() < 0.5:
        caption = CAPTIONS[3] if a["lang"] == "ur" and r.random() < 0.5 else r.choice(CAPTIONS[:3])
        figure = (f'<figure class="wp-block-image size-large"><img decoding="async" loading="lazy" width="800" height="450" '
                  f'src="{m.href(IMAGES[a["id"] % 4])}" alt="{attr(a["headline"])}" class="wp-image-{a["id"] + 1}">'
                  f'<figcaption class="wp-element-caption">{m.text(caption)}</figcaption></figure>')
        after[r.choice([-1, next(i for i, (k, _) in enumerate(blocks) if k == "p")])].insert(0, figure)
    out = after[-1][:]
    for i, (_, block) in enumerate(blocks):
        out.append(block)
        out.extend(after[i])
    out.extend(related)
    if r.random() < 0.4:
        out.append(share_bar(a["path"]))
    return "\n".join(out)


# ---------------------------------------------------------------- article themes

def theme_classic(a: dict, m: Markup, body: str, show_meta: bool) -> str:
    updated = time_el(a["updated"], a["lang"], "updated") if a["updated"] else ""
    meta = (f'<div class="entry-meta"><span class="posted-on">Posted on <a href="{m.href(a["path"])}" rel="bookmark">'
            f'{time_el(a["published"], a["lang"], "entry-date published")}{updated}</a></span>'
            f'<span class="byline"> by {byline(a, m)}</span></div>') if show_meta else ""
    classes = " ".join(f"category-{c}" for c in a["categories"])
    tags = tags_html(a, m, "tags-links") if m.r.random() < 0.5 else ""
    return (f'<article id="post-{a["id"]}" class="post-{a["id"]} post type-post status-publish format-standard hentry {classes}">\n'
            f'<header class="entry-header">\n<span class="cat-links">{cat_links(a, m, ", ")}</span>\n'
            f'<h1 class="entry-title">{m.text(a["headline"])}</h1>\n{meta}\n</header>\n'
            f'<div class="entry-content">\n{body}\n</div>\n<footer class="entry-footer">{tags}</footer>\n</article>')


def theme_newspaper(a: dict, m: Markup, body: str, show_meta: bool) -> str:
    meta = (f'<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> {byline(a, m)}'
            f'<div class="td-author-line"> - </div></div><span class="td-post-date">'
            f'{time_el(a["published"], a["lang"], "entry-date published td-module-date")}</span>'
            f'<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{a["id"]}">{a["id"] % 977 + 40}</span></div></div>'
            ) if show_meta else ""
    sharing = "".join(f'<a class="td-social-sharing-button td-social-{k.lower()}" href="#share-{k.lower()}"><span>{k}</span></a>'
                      for k in ("Facebook", "Twitter", "WhatsApp"))
    tags = ('<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>'
            + "".join(f"<li>{m.link('/tag/%s/' % slugify(t), t)}</li>" for t in a["tags"]) + "</ul></div></footer>") if m.r.random() < 0.5 else ""
    return (f'<article id="post-{a["id"]}" class="post-{a["id"]} post type-post status-publish" itemscope itemtype="https://schema.org/Article">\n'
            f'<div class="td-post-header">\n<div class="td-category">{cat_links(a, m, " ")}</div>\n'
            f'<header class="td-post-title">\n<h1 class="entry-title">{m.text(a["headline"])}</h1>\n{meta}\n</header>\n</div>\n'
            f'<div class="td-post-sharing-top"><div class="td-post-sharing-classic">{sharing}</div></div>\n'
            f'<div class="td-post-content tagdiv-type">\n{body}\n</div>\n{tags}\n</article>')


def theme_magazine(a: dict, m: Markup, body: str, show_meta: bool) -> str:
    modified = f'<meta itemprop="dateModified" content="{iso(a["updated"])}">' if a["updated"] else ""
    meta = (f'<div class="post-meta">{byline(a, m, kv("itemprop", "author"))}<span class="sep"> | </span>'
            f'{time_el(a["published"], a["lang"], "entry-date published", kv("itemprop", "datePublished"))}{modified}</div>') if show_meta else ""
    tags = tags_html(a, m, "post-tags") if m.r.random() < 0.5 else ""
    return (f'<article id="post-{a["id"]}" class="single-post post-{a["id"]} post" itemscope itemtype="https://schema.org/NewsArticle">\n'
            f'<h1 class="post-title" itemprop="headline">{m.text(a["headline"])}</h1>\n{meta}\n'
            f'<div class="post-body" itemprop="articleBody">\n{body}\n</div>\n'
            f'<div class="post-categories"><span class="cat-label">Filed under:</span> {cat_links(a, m, ", ")}</div>\n{tags}\n</article>')


def theme_jnews(a: dict, m: Markup, body: str, show_meta: bool) -> str:
    meta = (f'<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1">'
            f'<div class="jeg_meta_author"><span class="meta_text">by</span> {byline(a, m)}</div>'
            f'<div class="jeg_meta_date"><a href="{m.href(a["path"])}">{time_el(a["published"], a["lang"], "entry-date published")}</a></div>'
            f'</div></div>') if show_meta else ""
    tags = tags_html(a, m, "jeg_post_tags") if m.r.random() < 0.5 else ""
    return (f'<article id="post-{a["id"]}" class="jeg_post post-{a["id"]} post type-post">\n'
            f'<div class="entry-header">\n<h1 class="jeg_post_title">{m.text(a["headline"])}</h1>\n{meta}\n</div>\n'
            f'<div class="entry-content no-share">\n<div class="content-inner">\n{body}\n</div>\n</div>\n'
            f'<div class="jeg_post_category"><span>Categories:</span> {cat_links(a, m, " ")}</div>\n{tags}\n</article>')


THEME_RENDERERS = {"classic": theme_classic, "newspaper": theme_newspaper, "magazine": theme_magazine, "jnews": theme_jnews}


def comments_html(a: dict, m: Markup, count: int, element: str) -> str:
    r, items = m.r, []
    pool = DATA["comments"][a["lang"]] + (DATA["comments"]["en"][:3] if a["lang"] == "ur" else [])
    for k in range(count):
        cid, when = a["id"] * 10 + k, a["published"] + timedelta(hours=r.randint(1, 40), minutes=r.randrange(60))
        paragraphs = "\n".join(f"<p>{m.text(p)}</p>" for p in r.choice(pool))
        items.append(f'<li id="comment-{cid}" class="comment even thread-even depth-1">\n<{element} id="div-comment-{cid}" class="comment-body">\n'
                     f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{m.text(r.choice(DATA["commenters"]))}</b> '
                     f'<span class="says">says:</span></div><div class="comment-metadata"><a href="{m.href(a["path"])}#comment-{cid}">'
                     f'<time datetime="{iso(when)}">{date_text(when, "en")} at {when:%I:%M %p}</time></a></div></footer>\n'
                     f'<div class="comment-content">\n{paragraphs}\n</div>\n<div class="reply"><a rel="nofollow" class="comment-reply-link" '
                     f'href="#respond">Reply</a></div>\n</{element}>\n</li>')
    title = "One thought" if count == 1 else f"{count} thoughts"
    listing = (f'<h2 class="comments-title">{title} on “{m.text(a["headline"])}”</h2>\n<ol class="comment-list">\n'
               + "\n".join(items) + "\n</ol>\n") if count else ""
    return (f'<div id="comments" class="comments-area">\n{listing}<div id="respond" class="comment-respond">'
            '<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php" method="post" id="commentform">'
            '<p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" rows="6"></textarea></p>'
            '<p class="comment-form-author"><label for="author">Name</label><input id="author" name="author" type="text"></p>'
            f'<p class="form-submit"><input type="submit" class="submit" value="Post Comment"><input type="hidden" name="comment_post_ID" value="{a["id"]}"></p>'
            "</form></div>\n</div>")


def post_navigation(a: dict, arts: list[dict], m: Markup) -> str:
    i = arts.index(a)
    links = []
    if i > 0:
        links.append(f'<div class="nav-previous"><a href="{m.href(arts[i - 1]["path"])}" rel="prev"><span class="meta-nav">Previous Post</span> '
                     f'<span class="post-title">{m.text(arts[i - 1]["headline"])}</span></a></div>')
    if i + 1 < len(arts):
        links.append(f'<div class="nav-next"><a href="{m.href(arts[i + 1]["path"])}" rel="next"><span class="meta-nav">Next Post</span> '
                     f'<span class="post-title">{m.text(arts[i + 1]["headline"])}</span></a></div>')
    return f'<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">{"".join(links)}</div></nav>'


def json_ld(a: dict, m: Markup) -> str:
    org = {"@type": "Organization", "@id": f"{BASE}/#organization", "name": SITE, "url": f"{BASE}/",
           "logo": {"@type": "ImageObject", "url": f"{BASE}/wp-content/uploads/2026/logo.svg"}}
    article = {"@type": "NewsArticle", "headline": a["headline"], "datePublished": iso(a["published"])}
    if a["updated"]:
        article["dateModified"] = iso(a["updated"])
    article |= {"author": {"@type": "Person", "name": a["author"]["name"], "url": f"{BASE}/author/{a['author']['slug']}/"},
                "articleSection": [CATS[c] for c in a["categories"]], "keywords": a["tags"],
                "inLanguage": "ur" if a["lang"] == "ur" else "en-US", "image": BASE + IMAGES[a["id"] % 4]}
    if m.r.random() < 0.5:
        data = {"@context": "https://schema.org", **article, "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]}, "publisher": org}
    else:
        page = {"@type": "WebPage", "@id": a["url"], "url": a["url"], "name": f"{a['title']} – {SITE}", "isPartOf": {"@id": f"{BASE}/#website"}}
        data = {"@context": "https://schema.org", "@graph": [
            {**article, "@id": a["url"] + "#article", "isPartOf": {"@id": a["url"]}, "mainEntityOfPage": {"@id": a["url"]},
             "publisher": {"@id": f"{BASE}/#organization"}}, page,
            {"@type": "WebSite", "@id": f"{BASE}/#website", "url": f"{BASE}/", "name": SITE, "inLanguage": "ur"}, org]}
    text = json.dumps(data, ensure_ascii=False, indent=None if m.r.random() < 0.5 else 1).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


# ---------------------------------------------------------------- page chrome

def chrome(m: Markup, arts: list[dict], *, lang: str, theme: str, doc_title: str, desc: str, path: str, og_type: str,
           og_title: str, head_extra: list[str], body_class: str, main: str, current: dict | None = None) -> str:
    r = m.r
    locale, ur = ("ur_PK", True) if lang == "ur" else ("en_US", False)
    head = ['<meta charset="UTF-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{m.text(doc_title)}</title>", f'<meta name="description" content="{attr(desc)}">',
            '<meta name="robots" content="index, follow, max-image-preview:large">', f'<link rel="canonical" href="{BASE}{path}">',
            f'<meta property="og:locale" content="{locale}">', f'<meta property="og:type" content="{og_type}">',
            f'<meta property="og:title" content="{attr(og_title)}">', f'<meta property="og:description" content="{attr(desc)}">',
            f'<meta property="og:url" content="{BASE}{path}">', f'<meta property="og:site_name" content="{attr(SITE)}">', *head_extra,
            '<meta name="twitter:card" content="summary_large_image">',
            f'<link rel="alternate" type="application/rss+xml" title="{attr(SITE)} &raquo; Feed" href="{BASE}/feed.xml">',
            f"<link rel='stylesheet' id='{theme}-style-css' href='/wp-content/themes/{theme}/style.css?ver=6.6.2' media='all' />",
            f'<style id="{theme}-inline-css">:root{{--accent:#b5121b}}.entry-title,.post-title{{font-size:2rem}}'
            ".rtl .entry-content,.rtl .post-body{font-family:'Jameel Noori Nastaleeq',serif;line-height:2.2}</style>",
            "<script>window.dataLayer = window.dataLayer || [];\nfunction gtag(){dataLayer.push(arguments);}\n"
            "gtag('js', new Date());\ngtag('config', 'G-SAMPLE0000');</script>"]
    cat_items = [f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">{m.link(f"/category/{c}/", label)}</li>' for c, label in CATS.items()]
    nav = (f'<nav id="site-navigation" class="main-navigation" aria-label="Primary"><ul id="primary-menu" class="menu">\n'
           f'<li class="menu-item menu-item-home">{m.link("/", "صفحہ اول" if ur else "Home")}</li>\n' + "\n".join(cat_items[:8])
           + '\n<li class="menu-item menu-item-has-children"><a href="#">More</a><ul class="sub-menu">' + "".join(cat_items[8:]) + "</ul></li>\n"
           f'<li class="menu-item">{m.link("/about/", "About Us")}</li>\n</ul></nav>')
    newest = sorted(arts, key=lambda a: a["published"], reverse=True)
    ticker = "".join(f"<li>{m.link(a['path'], a['headline'])}</li>" for a in newest[:6])
    others = [a for a in arts if a is not current]
    most_read = "".join(f"<li>{m.link(a['path'], a['headline'])}</li>" for a in r.sample(others, 5))
    latest = "".join(f'<li>{m.link(a["path"], a["headline"])} <span class="post-date">{date_text(a["published"], "en")}</span></li>'
                     for a in [a for a in newest if a is not current][:5])
    popular = sorted(all_tags(arts), key=lambda t: -sum(t in a["tags"] for a in arts))[:15]
    cloud = " ".join(m.link(f"/tag/{slugify(t)}/", t, ' class="tag-cloud-link"') for t in sorted(popular, key=str.lower))
    sidebar = ('<aside id="secondary" class="widget-area sidebar">\n'
               '<section class="widget widget_search"><form role="search" method="get" class="search-form" action="/">'
               '<input type="search" class="search-field" name="s" placeholder="Search …"><button type="submit">Search</button></form></section>\n'
               f'<section class="widget widget_popular"><h2 class="widget-title">{"سب سے زیادہ پڑھی گئی" if ur else "Most Read"}</h2><ul>{most_read}</ul></section>\n'
               f'<section class="widget widget_recent_entries"><h2 class="widget-title">Latest</h2><ul>{latest}</ul></section>\n'
               '<section class="widget widget_newsletter"><h3 class="widget-title">Newsletter</h3><p>Get the day’s top stories in your inbox every morning.</p>'
               '<form class="newsletter-form" action="/" method="post"><input type="email" name="email" placeholder="Your email">'
               '<button type="submit">Subscribe</button></form></section>\n'
               f'<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>\n'
               f'<section class="widget widget_custom_html"><div class="ad-box"><span class="ad-label">Advertisement</span>{ad_block(9)}</div></section>\n'
               "</aside>")
    footer_cats = "".join(f"<li>{m.link(f'/category/{c}/', label)}</li>" for c, label in CATS.items())
    footer = ('<footer id="colophon" class="site-footer">\n<div class="footer-widgets">'
              f'<div class="footer-col"><h4>About</h4><p>{m.text(DATA["site"]["tagline"])}</p></div>'
              f'<div class="footer-col"><h4>Categories</h4><ul>{footer_cats}</ul></div>'
              f'<div class="footer-col"><h4>Links</h4><ul><li>{m.link("/about/", "About Us")}</li><li>{m.link("/feed.xml", "RSS Feed")}</li>'
              f'<li>{m.link("/sitemap_index.xml", "Sitemap")}</li></ul></div></div>\n'
              f'<div class="site-info">© 2026 {m.text(SITE)}. All rights reserved.</div>\n</footer>')
    html_open = '<html lang="ur" dir="rtl">' if ur else '<html lang="en-US">'
    today = "ہفتہ، 25 اکتوبر 2026" if ur else "Sunday, October 25, 2026"
    return (f"<!DOCTYPE html>\n{html_open}\n<head>\n" + "\n".join(head) + "\n</head>\n"
            f'<body class="{body_class}{" rtl" if ur else ""}">\n<div id="page" class="site">\n'
            '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
            f'<div class="top-bar"><span class="top-date">{today}</span> <span class="lang-switch">{m.link("/", "اردو")} | {m.link("/", "English")}</span></div>\n'
            f'<header id="masthead" class="site-header">\n<div class="site-branding"><p class="site-title">{m.link("/", SITE, kv("rel", "home"))}</p>'
            f'<p class="site-description">{m.text(DATA["site"]["tagline_ur"])}</p></div>\n{nav}\n</header>\n'
            f'<div class="breaking-news-ticker"><span class="ticker-title">{"تازہ ترین" if ur else "Breaking News"}</span><ul class="ticker-list">{ticker}</ul></div>\n'
            f'<div id="content" class="site-content"><div class="container">\n{main}\n{sidebar}\n</div></div>\n{footer}\n</div>\n'
            f'<script src="/wp-content/themes/{theme}/js/theme.js?ver=1.4.2" id="{theme}-script-js"></script>\n'
            '<script>var sampleSite = {"ajaxurl":"\\/wp-admin\\/admin-ajax.php","lazy":true};</script>\n</body>\n</html>\n')


def all_tags(arts: list[dict]) -> list[str]:
    return sorted({t for a in arts for t in a["tags"]}, key=str.lower)


def article_page(a: dict, arts: list[dict]) -> str:
    m = Markup(a["slug"])
    r = m.r
    theme = THEMES[r.randrange(4)]
    show_meta = r.random() < 0.88
    body = THEME_RENDERERS[theme](a, m, content_html(a, m), show_meta)
    comments = comments_html(a, m, r.choice([0, 0, 1, 2, 3]), "article" if theme == "classic" else "div")
    nav = post_navigation(a, arts, m) if theme in ("classic", "magazine") else ""
    if theme == "magazine":
        main = f'<main id="primary" class="site-main">\n{body}\n{nav}\n{comments}\n</main>'
    else:
        crumbs = (f'<div class="td-crumb-container"><div class="entry-crumbs">{m.link("/", "Home", kv("class", "entry-crumb"))} » '
                  f'{m.link("/category/%s/" % a["categories"][0], CATS[a["categories"][0]], kv("class", "entry-crumb"))} » '
                  f'<span class="td-bred-no-url-last">{m.text(a["headline"])}</span></div></div>\n') if theme == "newspaper" else ""
        main = f'<div id="primary" class="content-area"><div id="main" class="site-main">\n{crumbs}{body}\n{nav}\n{comments}\n</div></div>'
    extra = [f'<meta property="article:section" content="{attr(CATS[a["categories"][0]])}">',
             *(f'<meta property="article:tag" content="{attr(t)}">' for t in a["tags"]),
             f'<meta property="article:published_time" content="{iso(a["published"])}">']
    if a["updated"]:
        extra.append(f'<meta property="article:modified_time" content="{iso(a["updated"])}">')
        if r.random() < 0.5:
            extra.append(f'<meta property="og:updated_time" content="{iso(a["updated"])}">')
    extra += [f'<meta property="og:image" content="{BASE}{IMAGES[a["id"] % 4]}">', f'<meta name="author" content="{attr(a["author"]["name"])}">']
    if r.random() < 0.5:
        extra.append(json_ld(a, m))
    sep = " – " if r.random() < 0.8 else " | "
    return chrome(m, arts, lang=a["lang"], theme=theme, doc_title=a["title"] + sep + SITE, desc=excerpt(a, 24), path=a["path"],
                  og_type="article", og_title=a["title"], head_extra=extra, current=a, main=main,
                  body_class=f"post-template-default single single-post postid-{a['id']} single-format-standard theme-{theme}")


# ---------------------------------------------------------------- listings, feeds, sitemaps

def card(a: dict, m: Markup) -> str:
    lang = ' lang="ur" dir="rtl"' if a["lang"] == "ur" else ""
    more = "مزید پڑھیں" if a["lang"] == "ur" else "Read more"
    return (f'<article class="post-{a["id"]} post type-post excerpt-card"{lang}>\n<h2 class="entry-title">{m.link(a["path"], a["headline"], kv("rel", "bookmark"))}</h2>\n'
            f'<div class="entry-meta">{time_el(a["published"], a["lang"], "entry-date published")} <span class="byline">{m.text(a["author"]["name"])}</span> '
            f'<span class="cat-links">{cat_links(a, m, ", ")}</span></div>\n<div class="entry-summary"><p>{m.text(excerpt(a))}</p></div>\n'
            f'{m.link(a["path"], more, kv("class", "more-link"))}\n</article>')


def listing(pages: dict, arts: list[dict], heading: str, base_path: str, items: list[dict], per_page: int) -> None:
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)]

    def path_of(k: int) -> str:
        return base_path if k == 1 else f"{base_path}page/{k}/"

    for n, chunk in enumerate(chunks, 1):
        path, m, total = path_of(n), Markup(path_of(n)), len(chunks)
        rel = ([f'<link rel="prev" href="{BASE}{path_of(n - 1)}">'] if n > 1 else []) + \
              ([f'<link rel="next" href="{BASE}{path_of(n + 1)}">'] if n < total else [])
        numbers = [f'<a class="prev page-numbers" href="{m.href(path_of(n - 1))}">« Previous</a>'] if n > 1 else []
        numbers += [f'<span aria-current="page" class="page-numbers current">{k}</span>' if k == n else
                    f'<a class="page-numbers" href="{m.href(path_of(k))}">{k}</a>' for k in range(1, total + 1)]
        numbers += [f'<a class="next page-numbers" href="{m.href(path_of(n + 1))}">Next »</a>'] if n < total else []
        pagination = f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{" ".join(numbers)}</div></nav>' if total > 1 else ""
        cards = "\n".join(card(a, m) for a in chunk)
        main = (f'<div id="primary" class="content-area archive">\n<header class="page-header"><h1 class="page-title">{m.text(heading)}</h1></header>\n'
                f'{cards}\n{pagination}\n</div>')
        title = heading + (f" – Page {n} of {total}" if n > 1 else "")
        pages[path] = chrome(m, arts, lang="en", theme="classic", doc_title=f"{title} – {SITE}", desc=f"{heading}: latest news from {SITE}.",
                             path=path, og_type="website", og_title=title, head_extra=rel, body_class="archive", main=main)


def rss(arts: list[dict]) -> str:
    items = []
    for a in sorted(arts, key=lambda a: a["published"], reverse=True)[:20]:
        cats = "".join(f"\n\t\t<category><![CDATA[{CATS[c]}]]></category>" for c in a["categories"])
        items.append(f"\t<item>\n\t\t<title>{html.escape(a['headline'], quote=False)}</title>\n\t\t<link>{a['url']}</link>\n"
                     f"\t\t<dc:creator><![CDATA[{a['author']['name']}]]></dc:creator>\n\t\t<pubDate>{format_datetime(a['published'])}</pubDate>{cats}\n"
                     f"\t\t<guid isPermaLink=\"false\">{BASE}/?p={a['id']}</guid>\n\t\t<description><![CDATA[{excerpt(a, 40)}]]></description>\n\t</item>")
    newest = max(a["updated"] or a["published"] for a in arts)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"\t<title>{SITE}</title>\n\t<atom:link href=\"{BASE}/feed.xml\" rel=\"self\" type=\"application/rss+xml\" />\n\t<link>{BASE}/</link>\n"
            f"\t<description>{DATA['site']['tagline']}</description>\n\t<lastBuildDate>{format_datetime(newest)}</lastBuildDate>\n"
            "\t<language>ur</language>\n" + "\n".join(items) + "\n</channel>\n</rss>\n")


def urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(f"\t<url>\n\t\t<loc>{loc}</loc>\n\t\t<lastmod>{iso(mod)}</lastmod>\n\t</url>\n" for loc, mod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'


def sitemaps(arts: list[dict]) -> dict[str, str]:
    files, index = {}, []
    newest = max(a["updated"] or a["published"] for a in arts)
    files["/sitemap-pages.xml"] = urlset([(f"{BASE}/", newest), (f"{BASE}/about/", START)])
    index.append(("/sitemap-pages.xml", newest))
    for month in sorted({f"{a['published']:%Y-%m}" for a in arts}):
        group = [a for a in arts if f"{a['published']:%Y-%m}" == month]
        files[f"/sitemap-posts-{month}.xml"] = urlset([(a["url"], a["updated"] or a["published"]) for a in group])
        index.append((f"/sitemap-posts-{month}.xml", max(a["updated"] or a["published"] for a in group)))
    body = "".join(f"\t<sitemap>\n\t\t<loc>{BASE}{p}</loc>\n\t\t<lastmod>{iso(mod)}</lastmod>\n\t</sitemap>\n" for p, mod in index)
    files["/sitemap_index.xml"] = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</sitemapindex>\n'
    return files


def static_files() -> dict[str, str]:
    files = {"/robots.txt": f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {BASE}/sitemap_index.xml\n"}
    for theme in THEMES:
        files[f"/wp-content/themes/{theme}/style.css"] = f"/* {theme} theme (sample) */\nbody{{margin:0;font-family:sans-serif}}\n.rtl{{direction:rtl}}\n"
        files[f"/wp-content/themes/{theme}/js/theme.js"] = "document.documentElement.classList.add('js');\n"
    for n, (path, colour) in enumerate(zip(IMAGES + ["/wp-content/uploads/2026/logo.svg"], ["#8aa", "#a98", "#9a8", "#889", "#b5121b"])):
        files[path] = f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450"><rect width="800" height="450" fill="{colour}"/></svg>\n'
    return files


def home_and_about(pages: dict, arts: list[dict]) -> None:
    m = Markup("home")
    newest = sorted(arts, key=lambda a: a["published"], reverse=True)
    main = ('<div id="primary" class="content-area home">\n<h2 class="section-title">Latest News</h2>\n'
            + "\n".join(card(a, m) for a in newest[:15]) + f'\n<p class="more-news">{m.link("/2026/10/", "More news »")}</p>\n</div>')
    pages["/"] = chrome(m, arts, lang="en", theme="classic", doc_title=f"{SITE} – {DATA['site']['tagline']}", desc=DATA["site"]["tagline"],
                        path="/", og_type="website", og_title=SITE, head_extra=[], body_class="home blog", main=main)
    m = Markup("about")
    main = ('<div id="primary" class="content-area"><div id="main" class="site-main">\n<article id="post-2" class="post-2 page type-page status-publish">\n'
            '<header class="entry-header"><h1 class="entry-title">About Us</h1></header>\n<div class="entry-content">\n'
            f"<p>{SITE} is an independent bilingual news website covering Pakistan, the region and the world in Urdu and English.</p>\n"
            "<p>Our small team of reporters and editors works from Islamabad, Lahore and Karachi. We publish news, analysis and explainers "
            "on politics, the economy, technology, sport and the environment.</p>\n"
            "<p>To contact the newsroom, write to the editor at the address printed in our print edition. We welcome corrections and tips from readers.</p>\n"
            "</div>\n</article>\n</div></div>")
    pages["/about/"] = chrome(m, arts, lang="en", theme="classic", doc_title=f"About Us – {SITE}", desc=f"About {SITE}.", path="/about/",
                              og_type="website", og_title="About Us", head_extra=[], body_class="page-template-default page", main=main)


def expected_record(a: dict) -> dict:
    return {"url": a["url"], "path": a["path"], "slug": a["slug"], "title": a["title"], "headline": a["headline"],
            "language": a["lang"], "published_at": iso(a["published"]), "updated_at": iso(a["updated"]) if a["updated"] else None,
            "authors": [a["author"]["name"]],
            "categories": [{"label": CATS[c], "slug": c, "url": f"{BASE}/category/{c}/"} for c in a["categories"]],
            "sections": [{"heading": h, "paragraphs": p} for h, p in a["sections"]],
            "related": [{"title": b["headline"], "url": b["url"]} for b in a["related"]]}


def main() -> None:
    arts = build_articles()
    seed = next(a for a in arts if a["slug"] == "china-keep-its-distance-as-russia-and-north-korea-have-strong-ties")
    if SEED_FILE.is_file():
        assert seed_text(seed) == SEED_FILE.read_text(encoding="utf-8"), "seed article no longer matches the seed file"
    pages: dict[str, str] = {a["path"]: article_page(a, arts) for a in arts}
    home_and_about(pages, arts)
    newest = sorted(arts, key=lambda a: a["published"], reverse=True)
    for slug, label in CATS.items():
        listing(pages, arts, f"Category: {label}", f"/category/{slug}/", [a for a in newest if slug in a["categories"]], 6)
    for month in sorted({f"{a['published']:%Y/%m}" for a in arts}):
        items = [a for a in newest if f"{a['published']:%Y/%m}" == month]
        listing(pages, arts, f"Month: {items[0]['published']:%B %Y}", f"/{month}/", items, 10)
    for day in sorted({f"{a['published']:%Y/%m/%d}" for a in arts}):
        items = [a for a in newest if f"{a['published']:%Y/%m/%d}" == day]
        listing(pages, arts, f"Day: {items[0]['published']:%B} {items[0]['published'].day}, 2026", f"/{day}/", items, 10)
    for author in DATA["authors"]:
        listing(pages, arts, f"Author: {author['name']}", f"/author/{author['slug']}/", [a for a in newest if a["author"] is author], 10)
    for tag in all_tags(arts):
        listing(pages, arts, f"Tag: {tag}", f"/tag/{slugify(tag)}/", [a for a in newest if tag in a["tags"]], 10)
    files = {p + "index.html": text for p, text in pages.items()}
    files |= sitemaps(arts) | static_files() | {"/feed.xml": rss(arts)}

    shutil.rmtree(SITE_DIR, ignore_errors=True)
    shutil.rmtree(EXPECTED_DIR, ignore_errors=True)
    for rel, text in sorted(files.items()):
        target = SITE_DIR / rel.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    EXPECTED_DIR.mkdir(parents=True)
    for a in arts:
        (EXPECTED_DIR / f"{a['slug']}.txt").write_text(seed_text(a), encoding="utf-8", newline="\n")
    index = json.dumps([expected_record(a) for a in arts], ensure_ascii=False, indent=2)
    (EXPECTED_DIR / "index.json").write_text(index + "\n", encoding="utf-8", newline="\n")

    days = (arts[-1]["published"].date() - arts[0]["published"].date()).days
    print(f"{len(arts)} articles ({sum(a['lang'] == 'ur' for a in arts)} Urdu), "
          f"{arts[0]['published']:%Y-%m-%d}..{arts[-1]['published']:%Y-%m-%d} ({days} days), "
          f"{sum(1 for a in arts if a['updated'])} modified; {len(files)} site files -> {SITE_DIR}")


if __name__ == "__main__":
    main()
