"""How flow parameters appear in the Prefect UI's Custom run form: titles, descriptions, hidden settings,
and the source ids a deployment offers (read when serving or deploying, never at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

# The longest backfill the form accepts: a year (a leap one). Longer ranges are several runs.
MAX_DAYS = 366

# A setting that is not the operator's choice (which file, which warehouse, how long to wait for a
# lock): kept out of the form's JSON schema; the deployment passes it (deployments/prefect.yaml).
Hidden = SkipJsonSchema


def form(title: str, description: str, default: Any = ...) -> Any:
    """A parameter's default with the title and description the form shows.

    Prefect 3.9 titles every schema property with the parameter's name whatever Field(title=) says,
    but merges json_schema_extra last (prefect/_internal/pydantic/v2_schema.py), so the title goes
    there too."""
    return Field(default, title=title, description=description, json_schema_extra={"title": title})


def offer_sources(schema: dict, sources_file: str | Path) -> dict:
    """The deployment's parameter schema with `source_ids` offering exactly the ids of sources_file
    (a multi-select in the form). Raises SourcesError when the file cannot be read as sources."""
    from transforms.sources import parse_sources

    ids = [s.id for s in parse_sources(Path(sources_file).read_text("utf-8"), str(sources_file))]
    schema = {**schema, "properties": dict(schema.get("properties") or {})}
    field = schema["properties"].get("source_ids")
    if field is not None:
        kept = {k: v for k, v in field.items() if k not in ("anyOf", "type", "items")}
        if kept.get("default") is None:  # `None` (every source) is an empty choice in a multi-select
            kept["default"] = []
        schema["properties"]["source_ids"] = {**kept, "type": "array", "uniqueItems": True,
                                              "items": {"type": "string", "enum": ids},
                                              "description": f"{field.get('description', '')} "
                                                             f"Offered: the sources of {Path(sources_file).name}."}
    return schema
