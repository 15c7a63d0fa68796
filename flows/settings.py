"""Settings read once from the environment, for deployments and their parameter forms."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from transforms.sources import SourcesError, parse_sources

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = os.environ.get("NEWSWIRE_DB", "data/newswire.duckdb")
DEFAULT_SOURCES = os.environ.get("NEWSWIRE_SOURCES", str(ROOT / "seeds" / "sources.toml"))
DEFAULT_TIMEZONE = os.environ.get("NEWSWIRE_TIMEZONE", "Asia/Karachi")


def configured_source_ids(path: str = DEFAULT_SOURCES) -> tuple[str, ...]:
    """The source ids a deployment's form offers; the sample site's id when none can be read."""
    try:
        return tuple(s.id for s in parse_sources(Path(path).read_text("utf-8"), path))
    except (OSError, SourcesError):
        return ("sample",)


# A choice among the configured ids: the Prefect UI renders it as a multi-select.
SourceId = Literal[configured_source_ids()]  # type: ignore[valid-type]
