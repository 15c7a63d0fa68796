"""The Article record: one news article in the seed's format, verbatim text kept."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

# Rendered before each related link; the seed's own label.
RELATED_LABEL = "Also Read:"
# Blocks of the seed layout are separated by one blank line.
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Category:
    label: str  # as the page shows it, in its own script ("چین")
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    heading: str  # verbatim, NBSPs included (" 1. China"); "" for an unheaded lead
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RelatedLink:
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    url: str
    title: str  # the document title (seed line 1)
    headline: str  # the visible H1 (seed line 2)
    canonical_url: str | None = None
    source_id: str | None = None
    categories: tuple[Category, ...] = ()
    sections: tuple[Section, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    published_at: datetime | None = None  # time-zone aware when set
    updated_at: datetime | None = None
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # the page's own tags and keywords (JSON-LD, meta tags), in order
    language: str | None = None
    # What kind of page it is (transforms.extract.pagekind.STORED_KINDS: "article" or "page") and why.
    page_kind: str = "article"
    page_kind_reason: str | None = None
    # Where each metadata field came from ("published_at": "meta:article:published_time").
    provenance: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("published_at", "updated_at"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"Article.{name} must be time-zone aware, got {value!r}")

    def to_seed_text(self) -> str:
        """Render in exactly the seed's layout: blocks split by one blank line, no trailing newline."""
        blocks: list[str] = [self.title, self.headline]
        if self.categories:
            blocks.append(" ".join(c.label for c in self.categories))
        for section in self.sections:
            if section.heading:
                blocks.append(section.heading)
            blocks.extend(section.paragraphs)
        blocks.extend(f"{RELATED_LABEL} {link.title}" for link in self.related)
        return BLOCK_SEPARATOR.join(blocks)

    def body_text(self) -> str:
        """Headings and paragraphs joined by newlines: the article body without metadata."""
        lines: list[str] = []
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            lines.extend(section.paragraphs)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("published_at", "updated_at"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @property
    def word_count(self) -> int:
        return len(self.body_text().split())
