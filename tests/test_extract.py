"""Extraction on small inline pages: each test pins one rule of the cascade."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import html as lxml_html

from transforms.article import Article, Category, RelatedLink, Section
from transforms.extract.decode import decode_body
from transforms.extract import NoArticleError, extract_article
from transforms.extract.read import soup_of

URL = "https://news.example.pk/2026/09/14/story/"
FILLER = "Officials in Islamabad said the talks would resume next week after a pause of several months."


def page(content: str, head: str = "", before: str = "", after: str = "") -> str:
    return f"""<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>Doc title – Site</title>
    <meta property="og:site_name" content="Site">{head}</head><body>
    <nav class="menu"><a href="/category/china/" rel="category">چین</a><a href="/about/">About</a></nav>
    <article class="post">{before}<h1 class="entry-title">The headline</h1>
    <div class="entry-content">{content}</div>{after}</article>
    <aside class="sidebar"><h2>Most read</h2><p>{FILLER} Sidebar text must not appear.</p></aside>
    <footer><p>Copyright</p></footer></body></html>"""


def test_sections_paragraphs_and_verbatim_whitespace():
    html = page(f"<p>Lead   paragraph\n  over lines.</p><h2>&nbsp;1. China</h2><p>{FILLER}</p>"
                "<h3><strong>2.Russia&nbsp; and more</strong></h3><p>a.&nbsp; &nbsp;b</p>")
    art = extract_article(html, URL)
    assert art.sections == (
        Section("", ("Lead paragraph over lines.",)),
        Section("\u00a01. China", (FILLER,)),
        Section("2.Russia\u00a0 and more", ("a.\u00a0 \u00a0b",)),
    )
    assert art.headline == "The headline"
    assert art.title == "Doc title"  # site-name suffix removed, og:title absent


def test_h1_before_the_text_is_the_headline_and_after_it_a_section_heading():
    """Medium and documentation pages head their sections with <h1>: inside the body, an
    <h1> with paragraph text before it opens a section; one before any text is a title."""
    html = f"""<html><head><title>T</title></head><body><div class="post">
        <h1>The headline</h1><h1>A kicker in an h1</h1><p>{FILLER}</p>
        <h1>Why it matters</h1><p>{FILLER} Second.</p></div></body></html>"""
    art = extract_article(html, URL)
    assert art.headline == "The headline"
    assert art.sections == (Section("", (FILLER,)), Section("Why it matters", (f"{FILLER} Second.",)))


def test_how_to_steps_three_levels_below_each_other_are_one_body():
    """A how-to's steps: each a block with a short heading and paragraph three levels down; the
    longest step scores best, and its sibling steps are the rest of the article."""
    steps = [FILLER + " " + FILLER, "Insert the plant into the hole you dug in the foam and press it down.",
             "Using floral pins, attach enough moss around the foam to cover all of it.",
             "Gently place the glass over the foam; the glass may push some of the moss upward."]
    tools = "".join(f"<li><a href='/tools/{i}'>Garden tool {i}</a></li>" for i in range(30))
    html = "<html><head><title>How to make a terrarium</title></head><body><div class='col-main'>" + "".join(
        f"<div class='mod step'><h3>Step {i}</h3><div class='stepContent'><div class='content'><p>{text}</p>"
        f"</div></div></div>" for i, text in enumerate(steps, start=1)) + f"<ul>{tools}</ul></div></body></html>"
    body = extract_article(html, URL).body_text()
    assert all(text in body for text in steps)


def test_a_section_id_made_from_its_heading_is_not_a_class_name():
    """Sphinx and table-of-contents plugins give each section the slug of its heading as id:
    "sharing-with-a-single-developer" names the text, not a share bar; a real share bar stays out."""
    sections = "".join(
        f"<div class='section' id='{slug}'><h2>{title}<a class='headerlink' href='#{slug}'>¶</a></h2>"
        f"<p>{FILLER} {title}.</p><p>{FILLER}</p></div>"
        for slug, title in (("sharing-with-a-single-developer", "Sharing with a single developer"),
                            ("comments-and-related-changes", "Comments and related changes")))
    html = (f"<html><head><title>Evolve</title></head><body><div class='document'><h1>Evolve</h1>{sections}"
            "<div class='sharing' id='share-this'><p>Share this page on your favourite network today!</p></div>"
            "</div></body></html>")
    body = extract_article(html, URL).body_text()
    assert "Sharing with a single developer." in body and "Comments and related changes." in body
    assert "favourite network" not in body


def test_a_story_body_split_by_a_link_box_is_read_whole():
    """The lead in story-body-1, the rest in story-body-2, each beside a box of links: both parts."""
    box = "<div class='supplemental'>" + "".join(f"<a href='/s/{i}'>Another story {i}</a>" for i in range(12)) + "</div>"
    lead = f"<p class='story-body-text'>The lead paragraph. {FILLER}</p>" * 2
    rest = f"<p class='story-body-text'>{FILLER} More.</p>" * 10
    html = ("<html><head><title>T</title></head><body><article class='story'><header><h1>Headline</h1>"
            "<a href='/share'>Share</a><a href='/save'>Save</a></header>"
            f"<div class='wrap'><div class='story-body story-body-1'>{lead}</div>{box}</div>"
            f"<div class='wrap'><div class='story-body story-body-2'>{rest}</div>{box}</div>"
            "</article></body></html>")
    body = extract_article(html, URL).body_text()
    assert body.startswith("The lead paragraph.") and body.endswith(f"{FILLER} More.")
    assert "Another story" not in body


def test_linked_section_headings_are_headings_not_link_lists():
    """<h3><a href=shop>Game ($30)</a></h3> then its review: the heading opens a section."""
    games = "".join(f"<h3><a href='https://shop.example.com/{i}'>“Game number {i}” ($20)</a></h3><p>{FILLER}</p>"
                    for i in range(3))
    art = extract_article(page(f"<p>{FILLER} Intro.</p>{games}"), URL)
    assert [s.heading for s in art.sections] == ["", "“Game number 0” ($20)", "“Game number 1” ($20)",
                                                 "“Game number 2” ($20)"]


def test_an_ai2html_chart_is_not_prose():
    chart = ("<div class='ai2html ai2html-box-v5'><div><p>Interest payments on the national debt</p>"
             "<p>$915</p><p>600</p><p>’22</p><p>’26</p></div></div>")
    body = extract_article(page(f"<p>{FILLER}</p>{chart}<p>{FILLER} Again.</p>"), URL).body_text()
    assert body == f"{FILLER}\n{FILLER} Again."


def test_boilerplate_inside_body_is_dropped():
    html = page(
        f"<p>{FILLER}</p>"
        '<div class="code-block code-block-3"><ins class="adsbygoogle"></ins><p>Advertisement</p></div>'
        '<figure class="wp-block-image"><img src="x.jpg"><figcaption>Photo: AFP</figcaption></figure>'
        '<div class="sharedaddy"><h3>Share this:</h3><a>Facebook</a></div>'
        '<div id="jp-relatedposts"><h3>Related</h3><p>Another story</p></div>'
        "<script>var x = 'script text';</script><style>.a{}</style>"
        "<p>Second paragraph stays.</p>"
    )
    body = extract_article(html, URL).body_text()
    assert body == f"{FILLER}\nSecond paragraph stays."
    for junk in ("Advertisement", "AFP", "Share", "Related", "script text", "Sidebar", "Copyright"):
        assert junk not in body


def test_also_read_becomes_related_link_not_body():
    html = page(f'<p>{FILLER}</p><p><strong>Also Read:</strong> <a href="/2026/09/01/other/">چین اور مالدیپ</a></p>'
                "<p>After the link.</p>")
    art = extract_article(html, URL)
    assert art.related == (RelatedLink("چین اور مالدیپ", "https://news.example.pk/2026/09/01/other/"),)
    assert "Also Read" not in art.body_text()
    assert art.to_seed_text().endswith("After the link.\n\nAlso Read: چین اور مالدیپ")


def test_an_also_read_link_is_its_own_runs_first_link_wherever_the_run_starts():
    # The soup keeps only each run's first link (transforms.extract.read.soup_of); a run starts
    # after a <br>, after a block inside a link, and inside wrappers that hold only blocks.
    html = page(f'<p>{FILLER} <a href="/a/">one</a> and <a href="/b/">two</a>.<br>'
                'Also Read: <a href="/2026/09/01/first/">First story</a> <a href="/x/">x</a></p>'
                f'<div>{FILLER} <a href="/card/">Card: <p>{FILLER}</p></a> Also Read: '
                '<a href="/2026/09/02/second/">Second story</a></div>'
                '<div><div><p>Also Read: <a href="/2026/09/03/third/">Third story</a></p></div></div>'
                '<table><tr><td>Also Read: <a href="/2026/09/04/fourth/">Fourth</a></td></tr></table>'
                f'<p>{FILLER}<br><b>Also Re</b><a href="/2026/09/05/fifth/">ad: a fifth story, its prefix split by '
                'markup</a></p>'
                "<p>After the links.</p>")
    art = extract_article(html, URL)
    base = "https://news.example.pk/2026/09/0"
    assert art.related == (RelatedLink("First story x", f"{base}1/first/"),
                           RelatedLink("Second story", f"{base}2/second/"),
                           RelatedLink("Third story", f"{base}3/third/"),
                           RelatedLink("Fourth", f"{base}4/fourth/"),
                           RelatedLink("a fifth story, its prefix split by markup", f"{base}5/fifth/"))
    assert art.sections[0].paragraphs == (f"{FILLER} one and two.", f"{FILLER} Card:", FILLER, FILLER,
                                          "After the links.")


def test_blocks_that_hold_only_blocks_read_as_their_children_and_headings_stay_headings():
    html = page(f"<section><div><p>{FILLER}</p></div>\n<div> <p>Second.</p> </div></section>"
                f"<h2><div>\u00a01. China</div></h2><div><div><p>{FILLER}</p></div></div>")
    art = extract_article(html, URL)
    assert art.sections == (Section("", (FILLER, "Second.")), Section("\u00a01. China", (FILLER,)))


def test_categories_come_from_the_article_not_the_menu():
    cats = ('<span class="cat-links"><a href="/category/china/" rel="category tag">چین</a> '
            '<a href="/category/world/" rel="category tag">دنیا</a></span>')
    art = extract_article(page(f"<p>{FILLER}</p>", before=cats), URL)
    assert art.categories == (
        Category("چین", "https://news.example.pk/category/china/"),
        Category("دنیا", "https://news.example.pk/category/world/"),
    )


@pytest.mark.parametrize("box, links", [
    ("cat-links", '<a href="/category/sport/">Sport</a> <a href="/category/cricket/">Cricket</a>'),
    ("posted-in", '<a href="/category/sport/" rel="category tag">Sport</a>'
                  '<a href="/category/cricket/" rel="tag category">Cricket</a>'),
])
def test_categories_in_the_entry_footer(box, links):
    """WordPress themes put the post's categories in a <footer> inside the article: scoring reads
    no element of a footer one by one, and its category box and rel=category links still count."""
    footer = f'<footer class="entry-footer"><span class="{box}">Posted in {links}</span></footer>'
    art = extract_article(page(f"<p>{FILLER}</p>", after=footer), URL)
    assert art.categories == (Category("Sport", "https://news.example.pk/category/sport/"),
                              Category("Cricket", "https://news.example.pk/category/cricket/"))


def test_br_splits_paragraphs_and_blank_paragraphs_vanish():
    art = extract_article(page(f"<p>{FILLER}<br>Second line.</p><p>&nbsp;</p><div>Loose text in a div.</div>"), URL)
    assert art.sections[0].paragraphs == (FILLER, "Second line.", "Loose text in a div.")


def test_dates_authors_language_and_canonical_from_meta():
    head = ('<link rel="canonical" href="/2026/09/14/story/?utm_source=x">'
            '<meta property="article:published_time" content="2026-09-14T09:30:00+05:00">'
            '<meta property="article:modified_time" content="2026-09-15T10:00:00+05:00">'
            '<meta name="author" content="Ayesha Khan"><meta property="og:title" content="OG title">')
    art = extract_article(page(f"<p>{FILLER}</p>", head=head), URL)
    assert art.published_at.utcoffset() == timedelta(hours=5)
    assert art.published_at.isoformat() == "2026-09-14T09:30:00+05:00"
    assert art.updated_at.isoformat() == "2026-09-15T10:00:00+05:00"
    assert art.authors == ("Ayesha Khan",)
    assert art.language == "en"
    assert art.title == "OG title"
    assert art.provenance["published_at"] == "meta:article:published_time"


def test_json_ld_wins_and_malformed_json_ld_is_ignored():
    head = ('<script type="application/ld+json">{not json</script>'
            '<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle",'
            '"datePublished":"2026-09-14T04:30:00Z","author":[{"name":"A"},{"name":"B"}]}]}</script>'
            '<meta property="article:published_time" content="2020-01-01T00:00:00+00:00">')
    art = extract_article(page(f"<p>{FILLER}</p>", head=head), URL)
    assert art.published_at.isoformat() == "2026-09-14T04:30:00+00:00"
    assert art.provenance["published_at"] == "json-ld"
    assert art.authors == ("A", "B")


def test_urdu_page_language_without_lang_attribute():
    html = ("<html><body><article><h1>چین اور روس</h1><div class='entry-content'>"
            "<p>چین اور روس کے درمیان تعلقات میں اضافہ ہوا ہے اور دونوں ممالک نے نئے معاہدوں پر دستخط کیے۔</p>"
            "<p>شمالی کوریا نے بھی اس پیش رفت کا خیرمقدم کیا ہے۔</p></div></article></body></html>")
    art = extract_article(html, URL)
    assert art.language == "ur"
    assert art.provenance["language"] == "script-heuristic"
    assert art.headline == "چین اور روس"


@pytest.mark.parametrize("html", [
    "", "   ", "<html><body><nav><a href='/a'>A</a></nav></body></html>",
    "<html><body><ul><li><a href='/2026/09/01/a/'>Headline one</a></li></ul></body></html>",
])
def test_pages_without_an_article_raise(html):
    with pytest.raises(NoArticleError):
        extract_article(html, URL)


def test_bytes_declared_utf8_but_written_in_cp1252_decode_correctly():
    body = ("<html><head><meta charset='utf-8'></head><body><p>Caf\u00e9 \u201cquoted\u201d "
            "na\u00efve r\u00e9sum\u00e9 costs \u20ac5 in the caf\u00e9 near the station.</p></body></html>").encode("cp1252")
    text, how = decode_body(body, "text/html; charset=utf-8")
    assert "Caf\u00e9 \u201cquoted\u201d" in text
    assert how.startswith("detected:")


def test_seed_text_layout_has_no_trailing_newline():
    art = Article(url=URL, title="T", headline="H", categories=(Category("چین"), Category("دنیا")),
                  sections=(Section("1. A", ("p1", "p2")),), related=(RelatedLink("R"),))
    assert art.to_seed_text() == "T\n\nH\n\nچین دنیا\n\n1. A\n\np1\n\np2\n\nAlso Read: R"


def test_naive_datetimes_are_refused_by_the_record():
    from datetime import datetime

    with pytest.raises(ValueError, match="time-zone aware"):
        Article(url=URL, title="T", headline="H", published_at=datetime(2026, 1, 1))


def test_the_body_soup_holds_only_the_tags_walk_reads():
    body = lxml_html.fromstring(
        f'<div><div><p>{FILLER} <a href="/a/">one</a> <a href="/b/">two</a></p></div>'
        '<p><a href="/c/">Also Read:</a> the story <a href="/d/">d</a></p>'
        '<p>Short <a href="/e/">e</a></p><h2><div>Heading</div></h2></div>')
    soup = soup_of(body)
    assert [t.name for t in soup.find_all(True)] == ["div", "p", "p", "a", "p", "a", "h2", "div"]
    assert [a["href"] for a in soup.find_all("a")] == ["/c/", "/e/"]  # the long paragraph's links cannot be read
