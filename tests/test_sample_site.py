"""Every sample-site article page extracts to its golden seed text, whatever its theme."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import SEEDS
from transforms.extract import extract_article

EXPECTED = SEEDS / "sample_site_expected"
INDEX = json.loads((EXPECTED / "index.json").read_text("utf-8"))
PLACEHOLDER = "http://sample-site.invalid"


def test_sample_site_meets_its_brief():
    assert len(INDEX) >= 40
    assert sum(1 for a in INDEX if a["language"] == "ur") >= 5
    days = sorted(datetime.fromisoformat(a["published_at"]) for a in INDEX)
    assert (days[-1] - days[0]).days >= 60
    for name in ("index.html", "feed.xml", "sitemap_index.xml", "robots.txt"):
        assert (SEEDS / "sample_site" / name).is_file()


@pytest.mark.parametrize("entry", INDEX, ids=[a["slug"] for a in INDEX])
def test_sample_article_extracts_to_golden_text(entry):
    html = (SEEDS / "sample_site" / entry["path"].strip("/") / "index.html").read_bytes()
    article = extract_article(html, entry["url"])
    assert article.to_seed_text() == (EXPECTED / f"{entry['slug']}.txt").read_text("utf-8")
    assert article.language == entry["language"]
    assert article.published_at == datetime.fromisoformat(entry["published_at"])
    assert [c.url for c in article.categories] == [c["url"] for c in entry["categories"]]
    assert [r.url for r in article.related] == [r["url"] for r in entry["related"]]
    assert list(article.authors) == entry["authors"]


def test_listing_archive_and_static_pages_are_not_articles():
    from transforms.extract import NoArticleError

    articles = {a["path"].strip("/") for a in INDEX}
    others = [p for p in (SEEDS / "sample_site").rglob("index.html")
              if str(p.parent.relative_to(SEEDS / "sample_site")) not in articles]
    assert len(others) >= 20  # home, category pages, date archives, author and tag pages, about
    for page in others:
        with pytest.raises(NoArticleError):
            extract_article(page.read_bytes(), f"{PLACEHOLDER}/{page.parent.relative_to(SEEDS / 'sample_site')}/")
