"""Pure transforms: bytes in, records out (no HTTP, database, environment or Prefect imports)."""

from __future__ import annotations

__all__ = ["extract_article"]


def __getattr__(name: str):
    # Lazy, so `import transforms.urls` does not load lxml, BeautifulSoup and the extractor.
    if name == "extract_article":
        from transforms.extract import extract_article

        return extract_article
    raise AttributeError(f"module 'transforms' has no attribute {name!r}")
