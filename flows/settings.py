"""Settings, read once into one object: each default defined here, overridden by the environment,
then by what a command or a flow run is given. Runs log them at their start (Settings.describe)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Literal

from transforms.entities import Lexicon, Matcher, parse_gazetteer
from transforms.sources import SourcesError, parse_sources
from transforms.terms import parse_stopwords
from warehouse.loader import DEFAULT_WAIT_SECONDS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Setting -> the environment variable that overrides its default.
ENVIRONMENT = {
    "db": "NEWSWIRE_DB",
    "sources_file": "NEWSWIRE_SOURCES",
    "timezone": "NEWSWIRE_TIMEZONE",
    "lock_wait_seconds": "NEWSWIRE_LOCK_WAIT_SECONDS",
    "gazetteer": "NEWSWIRE_GAZETTEER",
    "stopwords": "NEWSWIRE_STOPWORDS",  # paths separated by os.pathsep
    "extract_workers": "NEWSWIRE_EXTRACT_WORKERS",
    "dask_address": "NEWSWIRE_DASK_ADDRESS",
}


@dataclass(frozen=True)
class Settings:
    db: str = "data/newswire.duckdb"  # the warehouse file (relative to the working directory)
    sources_file: str = str(SEEDS / "sources.toml")
    timezone: str = "Asia/Karachi"  # of the nightly's 02:00 schedule and its "yesterday"
    lock_wait_seconds: float = DEFAULT_WAIT_SECONDS  # for a warehouse another process holds
    gazetteer: str = str(SEEDS / "gazetteer.toml")
    stopwords: tuple[str, ...] = (str(SEEDS / "stopwords_en.txt"), str(SEEDS / "stopwords_ur.txt"))
    extract_workers: int = os.cpu_count() or 1  # extraction processes; 0 extracts in the calling thread
    # A Dask scheduler ("tcp://host:8786") that runs the per-batch tasks; "" keeps them in this process
    # (threads, with the local extraction pool). The sources file's [runner] table may set it too.
    dask_address: str = ""

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **given) -> "Settings":
        """Defaults, then the environment, then what is given (None means "not given")."""
        env = os.environ if env is None else env
        values: dict = {}
        for f in fields(cls):
            if ENVIRONMENT[f.name] in env and env[ENVIRONMENT[f.name]] != "":
                raw = env[ENVIRONMENT[f.name]]
                values[f.name] = tuple(raw.split(os.pathsep)) if f.name == "stopwords" else type(getattr(cls(), f.name))(raw)
        values.update({k: v for k, v in given.items() if v is not None})
        return replace(cls(), **values)

    def lexicon(self) -> Lexicon:
        """The gazetteer and stop words, read from their files (what mentions and terms are made with)."""
        gazetteer = Path(self.gazetteer)
        return Lexicon(Matcher(parse_gazetteer(gazetteer.read_bytes(), str(gazetteer))),
                       parse_stopwords([Path(p).read_bytes() for p in self.stopwords]))

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in asdict(self).items())


def configured_source_ids(path: str | None = None) -> tuple[str, ...]:
    """The source ids a deployment's form offers; the sample site's id when none can be read."""
    path = path or Settings.load().sources_file
    try:
        return tuple(s.id for s in parse_sources(Path(path).read_text("utf-8"), path))
    except (OSError, SourcesError):
        return ("sample",)


# A choice among the configured ids: the Prefect UI renders it as a multi-select.
SourceId = Literal[configured_source_ids()]  # type: ignore[valid-type]
