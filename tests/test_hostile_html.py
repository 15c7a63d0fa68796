"""Hostile pages give an Article or a clear ExtractionError, in bounded time, never another exception."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.extract import ExtractionError, NoArticleError, extract_article
from transforms.extract.parse import MAX_DOCUMENT_BYTES

URL = "https://news.example.com/2024/03/10/story/"
PARA = "<p>" + "Officials said the talks would resume next week after a pause of several months. " * 3 + "</p>"
# Generous for a loaded 2-core CI machine; each case takes under 2 s on a quiet one.
SECONDS = 15


def timed(html, **kw):
    start = time.perf_counter()
    try:
        result = extract_article(html, URL, **kw)
    except ExtractionError as exc:
        result = exc
    assert time.perf_counter() - start < SECONDS
    return result


def test_fifty_thousand_levels_of_nesting():
    result = timed("<html><body>" + "<div>" * 50_000 + PARA + "</div>" * 50_000 + "</body></html>")
    assert isinstance(result, NoArticleError)  # libxml2 stops at 2048 levels: the text is gone, and we say so
    assert "2048 levels" in str(result)


def test_deep_nesting_after_the_article_keeps_the_article():
    html = "<html><body><article><h1>H</h1>" + PARA * 3 + "</article>" + "<div>" * 50_000 + "</body></html>"
    result = timed(html)
    assert "talks would resume" in result.body_text()
    assert "2048 levels" in result.provenance["body"]


@pytest.mark.parametrize("levels, flattened", [(150, False), (199, False), (200, True), (1_000, True)])
def test_a_body_nested_past_the_soup_depth_is_read_as_text_and_says_so(levels, flattened):
    """Subtrees deeper than MAX_SOUP_DEPTH below the body reach the soup as their text: found by
    an XPath first, walked only when there is one."""
    html = ("<html><body><article><h1>H</h1>" + PARA * 3 + "<div>" * levels + "<p>deep words here</p>"
            + "</div>" * levels + "</article></body></html>")
    result = timed(html)
    assert "deep words here" in result.body_text()
    assert ("read as plain text" in result.provenance["body"]) == flattened


def test_deep_inline_nesting_and_unclosed_tags():
    for html in ("<html><body><p>" + "<span>" * 50_000 + "deep text " * 20 + "</p></body></html>",
                 "<html><body>" + "<div><p>text " * 50_000, "<table><tr><td>" * 20_000):
        assert isinstance(timed(html), (ExtractionError, object))


def test_twenty_megabytes_of_text():
    result = timed("<html><body><p>" + "word " * 4_000_000 + "</p></body></html>")
    assert len(result.body_text()) > 19_000_000


def test_twenty_megabytes_of_paragraphs_is_cut_and_says_so():
    html = "<html><body>" + ("<p>" + "A sentence with words in it. " * 7 + "</p>") * 100_000 + "</body></html>"
    result = timed(html)
    assert result.body_text().startswith("A sentence")
    assert "truncated" in result.provenance["body"]


def test_too_many_elements_is_a_clear_error():
    result = timed("<html><body><div>" + "<span>x</span>" * 300_000 + PARA + "</div></body></html>")
    assert isinstance(result, ExtractionError) and "elements" in str(result)


def test_attribute_bomb_is_defused():
    html = "<html><body><div " + " ".join(f'a{i}="{i}"' for i in range(40_000)) + ">" + PARA + "</div></body></html>"
    assert "talks would resume" in timed(html).body_text()


def _bomb(n: int, closed: bool = True) -> str:
    return "<div " + " ".join(f'a{i}="{i}"' for i in range(n)) + (">" if closed else "")


@pytest.mark.parametrize("before, bombs", [
    ("", [_bomb(3_000)]),
    ("<p>" + "x" * 9_990 + "</p>", [_bomb(3_000)]),  # the bomb starts just before the first look-up point
    ("<p>" + "x" * 25_000 + "</p>", [_bomb(3_000), "<p>between</p>", _bomb(5_000)]),  # two, after long text
    ("<script>" + "var a = 1; " * 3_000 + "</script>", [_bomb(1_500, closed=False)]),  # unclosed, at the end
])
def test_every_attribute_bomb_is_found_wherever_it_is(before, bombs):
    """Only tags past LONG_TAG_CHARS are looked at, found by look-ups every LONG_TAG_CHARS
    characters: bombs before, across and after those points are all defused, and nothing else."""
    from transforms.extract.parse import _defuse_long_tags

    text = "<html><body>" + before + "".join(bombs) + "<p>tail</p>"
    defused, count = _defuse_long_tags(text)
    assert count == sum(b.startswith("<div ") for b in bombs)
    assert "a999=" not in defused and defused.endswith("<p>tail</p>") and before in defused
    assert _defuse_long_tags(before + "<p>no bomb</p>") == (before + "<p>no bomb</p>", 0)


def test_too_large_is_refused_before_parsing():
    result = timed(b"<p>" + b"x" * (MAX_DOCUMENT_BYTES + 1))
    assert isinstance(result, ExtractionError) and "too large" in str(result)


@pytest.mark.parametrize("html", [
    b"<html><body><p>\xff\xfe\x00\x01 broken \xc3\x28 bytes " + b"more words in this paragraph " * 5 + b"</p></body></html>",
    "<html><body><p>nul \x00 and \x1b controls, a lone \ud800 surrogate, " + "and words " * 10 + "</p></body></html>",
    bytes(random.Random(4).getrandbits(8) for _ in range(50_000)),
    '<?xml version="1.0" encoding="utf-8"?><html><body>' + PARA + "</body></html>",
    "\ufeff" + PARA,
    "<html><body>" + PARA + "<a href='http://[::1'>bad url</a></body></html>",
])
def test_invalid_bytes_and_characters(html):
    result = timed(html)
    assert isinstance(result, ExtractionError) or result.body_text()


@pytest.mark.parametrize("html", ["", b"", "   \n ", "<html><head><title>t</title></head></html>", "<html></html>",
                                  "<!-- only a comment -->", "<html><body><script>var x = 1;</script></body></html>"])
def test_no_body_at_all(html):
    assert isinstance(timed(html), NoArticleError)


def test_not_html_at_all():
    assert isinstance(timed(12345), ExtractionError)  # type: ignore[arg-type]


def test_bad_profile_selector_is_an_extraction_error():
    assert isinstance(timed(PARA, body_selector="//div[@class="), ExtractionError)


def test_json_ld_bombs():
    deep = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    huge = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"' + "x" * 3_000_000 + '"}</script>'
    for head in (deep, huge):
        assert timed(f"<html><head>{head}</head><body>{PARA}</body></html>").body_text()


_TAGS = st.sampled_from(["div", "p", "span", "a", "h1", "h2", "article", "section", "li", "ul", "br", "table", "td",
                         "script", "style", "nav", "aside", "time", "meta", "b", "i", "figure"])
_PIECES = st.one_of(
    _TAGS.map(lambda t: f"<{t}>"), _TAGS.map(lambda t: f"</{t}>"),
    st.text(max_size=40), st.sampled_from(['<a href="/x">', '<div class="entry-content">', "&nbsp;", "&#0;", "<!--",
                                           '<script type="application/ld+json">{', "<time datetime='2024-99-99'>"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60), st.booleans())
def test_any_soup_of_tags_gives_an_article_or_an_extraction_error(pieces, as_bytes):
    html = "".join(pieces)
    try:
        article = extract_article(html.encode("utf-8", "surrogatepass") if as_bytes else html, URL)
    except ExtractionError:
        return
    assert isinstance(article.to_seed_text(), str)
