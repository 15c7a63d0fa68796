"""Sources to crawl, read from TOML text into typed records (the file is read by flows)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from transforms.urls import BadUrl, canonicalise

SOURCES_FORMAT_HELP = (
    'each [[sources]] entry needs id = "..." and at least one of feeds, sitemaps, listings '
    "(lists of absolute http(s) URLs); see README.md, section 'Sources file'"
)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    date_archives: tuple[str, ...] = ()  # day archive URL templates: "https://x.pk/{yyyy}/{mm}/{dd}/"
    listing_depth: int = 2  # "next" pages followed per listing
    article_pattern: str | None = None  # regex a listing link must match to count as an article
    body_selector: str | None = None  # XPath of the article body, when the generic cascade fails
    requests_per_second: float = 1.0
    max_in_flight: int = 2
    max_pages: int | None = None


@dataclass(frozen=True, slots=True)
class Crawler:
    """The optional [crawler] table: settings of every fetch, whatever the source."""

    user_agent: str | None = None  # None: newswire's own, naming the project and a contact URL
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    attempts: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    obey_robots: bool = True
    archive_dir: str | None = None  # None: "archive" beside the warehouse file
    # Host names sent to a fixed address, like curl --resolve: {"news.example": "127.0.0.1:8080"}.
    # URLs, Host headers and everything stored keep the name, so a site served locally (the demo,
    # a staging copy) has the same stable URLs whatever port serves it today.
    resolve: tuple[tuple[str, str, int], ...] = ()


def _load(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{origin}: not valid TOML ({exc}); fix the syntax at that line") from exc


def parse_crawler(text: str, origin: str) -> Crawler:
    table = _load(text, origin).get("crawler", {})
    if not isinstance(table, dict):
        raise SourcesError(f"{origin}: [crawler] must be a table of settings")
    known = set(Crawler.__slots__)
    unknown = sorted(set(table) - known)
    if unknown:
        raise SourcesError(f"{origin}: [crawler] has unknown setting(s) {', '.join(unknown)}; "
                           f"known: {', '.join(sorted(known))}")
    defaults = Crawler()
    resolve = _resolve_map(table.pop("resolve", {}), origin)
    try:
        return Crawler(resolve=resolve, **{k: type(getattr(defaults, k))(v) if getattr(defaults, k) is not None
                                           else str(v) for k, v in table.items()})
    except (TypeError, ValueError) as exc:
        raise SourcesError(f"{origin}: [crawler]: {exc}") from exc


def parse_runner(text: str, origin: str) -> str | None:
    """The optional [runner] table's dask_address ("tcp://host:8786"): where the per-batch tasks run."""
    table = _load(text, origin).get("runner", {})
    help_ = '[runner] takes dask_address = "tcp://host:8786" (a Dask scheduler), nothing else'
    if not isinstance(table, dict) or set(table) - {"dask_address"}:
        raise SourcesError(f"{origin}: {help_}")
    address = table.get("dask_address")
    if address is not None and (not isinstance(address, str) or "://" not in address):
        raise SourcesError(f"{origin}: [runner] dask_address = {address!r} is not a scheduler address; {help_}")
    return address or None


def _resolve_map(value: object, origin: str) -> tuple[tuple[str, str, int], ...]:
    help_ = 'resolve = { "news.example" = "127.0.0.1:8080" } (host name = "address:port")'
    if not isinstance(value, dict):
        raise SourcesError(f"{origin}: [crawler] {help_}")
    out = []
    for host, target in value.items():
        address, _, port = str(target).rpartition(":")
        if not address or not port.isdigit() or not 0 < int(port) < 65536:
            raise SourcesError(f"{origin}: [crawler] resolve: {host} = {target!r} is not address:port; {help_}")
        out.append((host.lower(), address.strip("[]"), int(port)))
    return tuple(out)


def parse_sources(text: str, origin: str) -> list[Source]:
    data = _load(text, origin)
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{origin}: no [[sources]] entries; {SOURCES_FORMAT_HELP}")
    sources, seen = [], set()
    for n, entry in enumerate(entries, 1):
        where = f"{origin}: source #{n}"
        sid = entry.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            raise SourcesError(f"{where}: id must be lower-case letters, digits, '-' or '_'; {SOURCES_FORMAT_HELP}")
        if sid in seen:
            raise SourcesError(f"{where}: id {sid!r} is used twice; give each source its own id")
        seen.add(sid)
        urls = {}
        for key in ("feeds", "sitemaps", "listings"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
                raise SourcesError(f"{where} ({sid}): {key} must be a list of URL strings")
            try:
                urls[key] = tuple(canonicalise(u) for u in value)
            except BadUrl as exc:
                raise SourcesError(f"{where} ({sid}): {key}: {exc}") from exc
        if not any(urls.values()):
            raise SourcesError(f"{where} ({sid}): nothing to crawl; {SOURCES_FORMAT_HELP}")
        pattern = entry.get("article_pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourcesError(f"{where} ({sid}): article_pattern is not a valid regex: {exc}") from exc
        try:
            sources.append(Source(
                id=sid, name=str(entry.get("name", sid)), **urls,
                date_archives=_templates(entry.get("date_archives", []), where, sid),
                listing_depth=int(entry.get("listing_depth", 2)),
                article_pattern=pattern, body_selector=entry.get("body_selector"),
                requests_per_second=float(entry.get("requests_per_second", 1.0)),
                max_in_flight=int(entry.get("max_in_flight", 2)),
                max_pages=int(entry["max_pages"]) if "max_pages" in entry else None,
            ))
        except (TypeError, ValueError) as exc:
            raise SourcesError(f"{where} ({sid}): a numeric setting is not a number: {exc}") from exc
    return sources


def _templates(value: object, where: str, sid: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) and "{dd}" in t for t in value):
        raise SourcesError(f"{where} ({sid}): date_archives must be a list of URL templates with "
                           "{yyyy}, {mm} and {dd}, e.g. \"https://example.com/{yyyy}/{mm}/{dd}/\"")
    return tuple(value)


def date_archive_url(template: str, day) -> str:
    return template.format(yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}")


def select_sources(sources: list[Source], ids: list[str] | None, origin: str) -> list[Source]:
    if not ids:
        return sources
    known = {s.id for s in sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SourcesError(f"{origin}: unknown source id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [s for s in sources if s.id in ids]
