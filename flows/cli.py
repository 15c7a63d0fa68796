"""The `newswire` command: ingest, extract, sql."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

DEFAULT_DB = "data/newswire.duckdb"
DEMO_SOURCE_ID = "sample"


def _quiet_prefect_defaults() -> None:
    """Offline-friendly Prefect settings, unless the user chose otherwise."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


class CliError(Exception):
    """A one-line message for the user; exit status 2."""


def demo_sources_toml(origin: str) -> str:
    return f"""# The bundled sample site, served by `newswire ingest --demo` at {origin}
[[sources]]
id = "{DEMO_SOURCE_ID}"
name = "Daily Pak Urdu News (offline sample)"
feeds = ["{origin}/feed.xml"]
sitemaps = ["{origin}/sitemap_index.xml"]
listings = ["{origin}/"]
# The demo server is local; politeness delays would only slow the demo down.
requests_per_second = 0
max_in_flight = 4
"""


def _check_sources(path: str, ids: list[str] | None) -> None:
    from transforms.sources import SourcesError, parse_sources, select_sources

    file = Path(path)
    if not file.is_file():
        raise CliError(f"sources file {path} not found; pass an existing TOML file (see seeds/sources.toml)")
    try:
        select_sources(parse_sources(file.read_text("utf-8"), path), ids, path)
    except (SourcesError, UnicodeDecodeError) as exc:
        raise CliError(str(exc)) from exc


def _check_warehouse(db: str) -> None:
    """Open (creating and migrating) the warehouse before any fetching, so a bad path fails fast."""
    from warehouse.db import WarehouseError, connect

    try:
        connect(db).close()
    except WarehouseError as exc:
        raise CliError(str(exc)) from exc
    except (OSError, PermissionError) as exc:
        raise CliError(f"warehouse {db}: {exc}; pass --db with a writable path") from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults()
    if args.demo == bool(args.sources):
        raise CliError("give exactly one of --demo or --sources FILE")
    _check_warehouse(args.db)
    from flows.demo_site import serve_site
    from flows.ingest import ingest

    if args.demo:
        with serve_site() as origin, tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "demo_sources.toml"
            sources.write_text(demo_sources_toml(origin), "utf-8")
            print(f"serving the sample site at {origin}")
            summary = ingest(str(sources), args.db, None, args.max_pages, args.refetch)
    else:
        _check_sources(args.sources, args.source)
        summary = ingest(args.sources, args.db, args.source or None, args.max_pages, args.refetch)
    _print_summary(summary)
    return 0 if summary.get("articles_extracted", 0) or not summary.get("failures") else 1


def _print_summary(s: dict) -> None:
    print()
    print(f"discovered {s.get('discovered', 0)} article URLs ({s.get('skipped_known', 0)} already stored)")
    print(f"fetched {s.get('pages_fetched', 0)} pages, extracted {s.get('articles_extracted', 0)} articles: "
          f"{s.get('inserted', 0)} new, {s.get('updated', 0)} updated, {s.get('unchanged', 0)} unchanged")
    failures = s.get("failures") or {}
    print(f"failures: {sum(failures.values())}" + "".join(f"\n  {n} x {why}" for why, n in failures.items()))
    print(f"warehouse: {s['db']}")
    print("next: uv run newswire sql \"SELECT published_day, headline FROM articles ORDER BY 1 DESC LIMIT 10\""
          f" --db {s['db']}")


def cmd_extract(args: argparse.Namespace) -> int:
    from transforms.extract import ExtractionError, extract_article

    target = args.target
    if target.startswith(("http://", "https://")):
        from flows.fetch import Fetcher

        fetcher = Fetcher()
        result = fetcher.get(target)
        fetcher.close()
        if not result.ok:
            raise CliError(f"{target}: fetch failed ({result.outcome.value}: {result.reason})")
        body, url, ctype = result.body, result.final_url, result.content_type
    else:
        path = Path(target)
        if not path.is_file():
            raise CliError(f"{target}: no such file; give an HTML file or an http(s) URL")
        body, url, ctype = path.read_bytes(), args.url, None
    try:
        article = extract_article(body, url, content_type=ctype)
    except ExtractionError as exc:
        raise CliError(f"{target}: {exc}; is this an article page?") from exc
    text = {"seed": article.to_seed_text, "json": article.to_json, "body": article.body_text}[args.format]()
    sys.stdout.write(text if args.format == "seed" else text + "\n")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.db import WarehouseError, connect
    from warehouse.query import format_table, run_sql

    if not Path(args.db).is_file():
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    try:
        con = connect(args.db, read_only=True)
        try:
            print(format_table(run_sql(con, args.query), max_rows=args.max_rows))
        finally:
            con.close()
    except WarehouseError as exc:
        raise CliError(str(exc)) from exc
    return 0


def build_parser() -> argparse.ArgumentParser:
    db_default = os.environ.get("NEWSWIRE_DB", DEFAULT_DB)
    parser = argparse.ArgumentParser(prog="newswire", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="discover, fetch, extract and load articles")
    p.add_argument("--demo", action="store_true", help="serve the bundled sample site on 127.0.0.1 and ingest it")
    p.add_argument("--sources", metavar="FILE", help="sources TOML file (see README)")
    p.add_argument("--source", action="append", metavar="ID", help="only this source id (repeatable)")
    p.add_argument("--db", default=db_default, help=f"DuckDB file (default $NEWSWIRE_DB or {DEFAULT_DB})")
    p.add_argument("--max-pages", type=int, help="fetch at most this many article pages per source")
    p.add_argument("--refetch", action="store_true", help="fetch articles again even if already stored")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="extract one article from an HTML file or URL")
    p.add_argument("target", metavar="FILE_OR_URL")
    p.add_argument("--format", choices=("seed", "json", "body"), default="seed")
    p.add_argument("--url", help="the page's URL, to resolve relative links of a local file")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("sql", help="run ad-hoc SQL on the warehouse and print a table")
    p.add_argument("query")
    p.add_argument("--db", default=db_default, help=f"DuckDB file (default $NEWSWIRE_DB or {DEFAULT_DB})")
    p.add_argument("--max-rows", type=int, default=50)
    p.set_defaults(func=cmd_sql)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"newswire: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newswire: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
