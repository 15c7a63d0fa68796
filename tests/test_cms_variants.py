"""The seed article in the markup of two other CMSes renders back to the seed text, byte for byte."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import SEEDS
from transforms.extract import extract_article

SEED_TEXT = (SEEDS / "000_47ab98f876fbbd8c.txt").read_text("utf-8")
VARIANTS = {
    # A newsroom CMS: JSON-LD NewsArticle, schema.org microdata (itemprop=articleBody,
    # headline, author, datePublished), <h3> subheads, inline related box, newsletter box.
    "newsroom_jsonld_microdata.html": "https://news.example.pk/world/china/2023/12/04/china-keep-its-distance-48213",
    # Another WordPress theme (GeneratePress): entry-content, categories in the entry
    # footer, AddToAny share bar, in-article AdSense block, comments and widgets.
    "wordpress_generatepress.html":
        "https://dailypakurdu.example.com/china-keep-its-distance-as-russia-and-north-korea-have-strong-ties/",
}
PUBLISHED = datetime(2023, 12, 4, 9, 12, 33, tzinfo=timezone(timedelta(hours=5)))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_renders_to_the_seed_text(name):
    article = extract_article((SEEDS / "variants" / name).read_bytes(), VARIANTS[name])
    assert article.to_seed_text() == SEED_TEXT


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_metadata(name):
    article = extract_article((SEEDS / "variants" / name).read_bytes(), VARIANTS[name])
    assert article.published_at == PUBLISHED
    assert article.published_at.utcoffset() is not None
    assert article.authors == ("Ayesha Khan",)
    assert article.language == "en"
    assert [c.label for c in article.categories] == ["چین", "سیاست", "دنیا"]
    assert article.related[0].url.endswith(("china-maldives-infrastructure-ties-48160",
                                            "china-maldives-infrastructure-ties/"))
    for furniture in ("Advertisement", "Share this", "Most read", "Recent Posts", "Sign up", "Leave a Comment",
                      "Putin and Kim hold talks", "Kim Jong Un and Vladimir Putin in September", "cookies"):
        assert furniture not in article.body_text()


def test_json_ld_variant_says_where_its_fields_came_from():
    name = "newsroom_jsonld_microdata.html"
    article = extract_article((SEEDS / "variants" / name).read_bytes(), VARIANTS[name])
    assert article.provenance["published_at"] == "json-ld"
    assert article.provenance["authors"] == "json-ld"
    assert article.provenance["body"] == "schema.org articleBody"
    assert article.provenance["title"] == "title (site name removed)"


def test_a_brief_of_one_line_paragraphs_in_a_wordpress_theme():
    lines = [f"Station {n}: turnout above forty percent." for n in range(1, 9)]  # under 50 characters
    html = ("<html lang='en'><body><nav class='main-navigation'><a href='/'>Home</a><a href='/world/'>World</a></nav>"
            "<article class='post'><h1 class='entry-title'>Turnout, station by station</h1><div class='entry-content'>"
            + "".join(f"<p>{line}</p>" for line in lines) + "</div></article><aside class='widget-area'><p>"
            + "Daily Pak Urdu News brings you news and analysis from Pakistan and around the world. " * 2
            + "</p></aside></body></html>")
    article = extract_article(html, "https://news.example.pk/2024/02/08/turnout/")
    assert article.sections[0].paragraphs == tuple(lines)
    assert article.provenance["body"].endswith("(short paragraphs)")
