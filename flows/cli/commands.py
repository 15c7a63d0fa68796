"""The `newswire` command: ingest, extract, sql, trends, search, recompute, check, backfill, serve, status."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path



def _quiet_prefect_defaults(verbose: bool = False) -> None:
    """Offline-friendly Prefect settings, unless the user chose otherwise. Prefect's INFO lines reach
    the terminal only with -v (the runs' logs in Prefect keep them); warnings and errors always do."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


# How long the pre-flight check waits for another newswire run's load before leaving the
# warehouse to the run's own (bounded) waits: long enough for a new file's migrations.
PREFLIGHT_LOCK_SECONDS = 30.0


class CliError(Exception):
    """A one-line message for the user; exit status 2."""


def _warehouse(db: str):
    """What --db names: a DuckDB file, or a lake (`ducklake:...`, with the [warehouse] settings' data path
    and S3 keys); the configured lake when --db was left at its default and [warehouse] url is set."""
    import dataclasses

    from flows.settings import Settings

    settings = Settings.load()
    if str(db).startswith("ducklake:"):
        target = Settings.load(warehouse=str(db)).target()
        return target if settings.warehouse == str(db) else dataclasses.replace(target, data_path=None)
    if settings.warehouse and db == settings.db:
        return settings.target()
    return db


def _missing(db) -> bool:
    """A warehouse file that does not exist (a lake is asked for when it is opened)."""
    from warehouse.lake import is_lake_url

    return not is_lake_url(db) and not Path(db).is_file()


def _check_sources(path: str, ids: list[str] | None) -> None:
    from transforms.sources import SourcesError, parse_crawler, parse_sources, select_sources

    file = Path(path)
    if not file.is_file():
        raise CliError(f"sources file {path} not found; pass an existing TOML file (see seeds/sources.toml)")
    try:
        text = file.read_text("utf-8")
        select_sources(parse_sources(text, path), ids, path)
        parse_crawler(text, path)
    except (SourcesError, UnicodeDecodeError) as exc:
        raise CliError(str(exc)) from exc


def _check_warehouse(db: str) -> None:
    """Open (creating and migrating) the warehouse before any fetching, so a bad path fails fast."""
    from warehouse.loader import writer_lock
    from warehouse.db import connect
    from warehouse.errors import WarehouseCorrupt, WarehouseError, WarehouseLocked

    from warehouse.lake import is_lake_url

    if is_lake_url(_warehouse(db)):  # a lake: no lock to take; opening it migrates it
        try:
            connect(_warehouse(db)).close()
        except WarehouseError as exc:
            raise CliError(str(exc)) from exc
        return

    def under_lock() -> None:
        with writer_lock(db, PREFLIGHT_LOCK_SECONDS) as locked:
            if locked:
                connect(db).close()

    try:
        if not Path(db).exists():
            # A new file is created (and migrated) under the newswire writer lock, so two runs
            # started together never create one at once.
            under_lock()
        else:
            try:
                connect(db).close()
            except WarehouseCorrupt:
                # Not a database yet, or no longer? If newswire runs use this file, one may be
                # creating it this instant: look again once it has finished.
                if not Path(f"{db}.writer.lock").exists():
                    raise
                under_lock()
    except WarehouseLocked:
        # Not bad input: another run is loading (a nightly and a backfill started together) or a DuckDB
        # shell has the file open. The run takes its turn: it waits, and keeps its batches staged if the
        # file stays locked (see "Writers and readers" in the README).
        return
    except WarehouseError as exc:
        # The subclasses (locked, corrupt, ...) say what to do; a plain open failure does not.
        hint = "; pass --db with a writable path" if type(exc) is WarehouseError else ""
        raise CliError(f"{exc}{hint}") from exc
    except (OSError, PermissionError) as exc:
        raise CliError(f"warehouse {db}: {exc}; pass --db with a writable path") from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults(args.verbose)
    if args.demo == bool(args.sources_file):
        raise CliError("give exactly one of --demo or --sources-file FILE")
    if args.sources_file:
        _check_sources(args.sources_file, args.source_ids)  # before the warehouse is created
    _check_warehouse(args.db)
    from flows.cli.demo_site import demo_sources_toml, serve_site
    from flows.cli.progress import live_progress
    from flows.ingest import ingest

    if args.demo:
        with serve_site() as origin, tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "demo_sources.toml"
            sources.write_text(demo_sources_toml(origin), "utf-8")
            print(f"serving the sample site at {origin}")
            with live_progress():
                summary = ingest(str(sources), args.db, max_pages_per_source=args.max_pages_per_source,
                                 refetch=args.refetch, label="manual", dask_address=args.dask)
    else:
        with live_progress():
            summary = ingest(args.sources_file, args.db, source_ids=args.source_ids or None,
                             max_pages_per_source=args.max_pages_per_source,
                             refetch=args.refetch, label="manual", dask_address=args.dask)
    _print_summary(summary)
    # Non-zero only when nothing could be read at all: every feed, sitemap and listing failed.
    nothing_read = not summary.get("discovered") and not summary.get("unchanged_documents")
    return 1 if nothing_read and summary.get("failures") else 0


def _print_summary(s: dict) -> None:
    print()
    print(f"discovered {s.get('discovered', 0)} article URLs ({s.get('skipped_known', 0)} already stored)")
    print(f"fetched {s.get('pages_fetched', 0)} pages, extracted {s.get('articles_extracted', 0)} articles: "
          f"{s.get('inserted', 0)} new, {s.get('updated', 0)} updated, {s.get('unchanged', 0)} unchanged")
    failures = s.get("failures") or {}
    print(f"failures: {sum(failures.values())}" + "".join(f"\n  {n} x {why}" for why, n in failures.items()))
    print(f"warehouse: {s['db']}")
    for line in s.get("recovered") or []:
        print(f"recovered: {line}")
    if s.get("crashed_runs"):
        print(f"earlier runs found killed, marked Crashed in Prefect: {', '.join(s['crashed_runs'])}")
    if s.get("staged_pending"):
        print(f"note: {s['warehouse_message']}")
    print("next: uv run newswire sql \"SELECT published_day, headline FROM articles ORDER BY 1 DESC LIMIT 10\""
          f" --db {s['db']}")


def cmd_extract(args: argparse.Namespace) -> int:
    from transforms.extract import ExtractionError, extract_article

    target = args.target
    if target.startswith(("http://", "https://")):
        from flows.crawl.fetch import Fetcher

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
    from warehouse.db import connect
    from warehouse.errors import WarehouseError
    from warehouse.query import format_table, run_sql

    if _missing(args.db):
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


def cmd_trends(args: argparse.Namespace) -> int:
    from flows.cli.charts import CHART_SUFFIXES, format_trends, series_of, title_of, write_chart
    from flows.settings import Settings
    from transforms.entities import GazetteerError
    from transforms.search_query import QuerySyntaxError
    from warehouse.db import connect
    from warehouse.errors import WarehouseError
    from warehouse.recompute import stored_lexicon_digest
    from warehouse.search import check_query, query_trend
    from warehouse.trends import day_range, resolve_names, trend

    if not args.entities and not args.query:
        raise CliError("give entity names, --query 'a search query', or both")
    if args.plot and Path(args.plot).suffix.lower() not in CHART_SUFFIXES:
        raise CliError(f"--plot {args.plot}: the file name must end in .png or .html")
    try:
        for query in args.query:
            check_query(query)
    except QuerySyntaxError as exc:
        raise CliError(f"--query: {exc}") from exc
    if _missing(args.db):
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    try:
        con = connect(args.db, read_only=True)
        try:
            found, unknown = resolve_names(con, args.entities)
            if unknown:
                raise CliError(f"unknown entit{'y' if len(unknown) == 1 else 'ies'} "
                               f"{', '.join(map(repr, unknown))}; names, ids and aliases of seeds/gazetteer.toml "
                               f"work (list them: newswire sql \"SELECT entity_id, name FROM entities\")")
            first, last = day_range(con, args.source)
            start, end = args.start or first, args.end or last
            if start is None or end is None:
                raise CliError("the warehouse holds no dated articles" + (f" of source {args.source}" if args.source else ""))
            if start > end:
                raise CliError(f"--from {start} is after --to {end}")
            ids = list(dict.fromkeys(entity_id for entity_id, _ in found.values()))
            frame = trend(con, ids, args.grain, start, end, args.source, dedupe=args.dedupe) if ids else None
            queries = (query_trend(con, args.query, args.grain, start, end, args.source, dedupe=args.dedupe)
                       if args.query else None)
            stale = bool(ids) and stored_lexicon_digest(con) != Settings.load().lexicon().digest
        finally:
            con.close()
    except (WarehouseError, GazetteerError) as exc:
        raise CliError(str(exc)) from exc
    series = (series_of(frame, order=ids) if frame is not None else []) + (
        series_of(queries.rename({"query": "entity"}).with_columns(entity_id="entity", mentions=None),
                  order=args.query) if queries is not None else [])
    totals = (frame if frame is not None else queries).unique("period").sort("period")["total_articles"].to_list()
    title = title_of([s.entity for s in series], args.grain, start, end, args.source)
    if args.dedupe:
        title += " (each story once: near-copies left out)"
    print(format_trends(series, totals, title))
    if stale:
        print("note: the gazetteer or a stop-word list changed since these mentions were computed; "
              f"run `newswire recompute --db {args.db}`", file=sys.stderr)
    if args.plot:
        print(f"chart: {write_chart(series, args.plot, title, args.grain)}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from transforms.search_query import QuerySyntaxError
    from warehouse.db import connect
    from warehouse.errors import WarehouseError
    from warehouse.search import check_query, kwic, search
    from warehouse.search_index import index_state

    try:
        check_query(args.query)
    except QuerySyntaxError as exc:
        raise CliError(str(exc)) from exc
    if _missing(args.db):
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    where = {"start": args.start, "end": args.end, "source": args.source, "lang": args.lang, "top_n": args.limit}
    try:
        con = connect(args.db, read_only=True)
        try:
            note = index_state(con)
            if args.context is None:
                rows = search(con, args.query, **where).to_dicts()
            else:
                rows = kwic(con, args.query, context=args.context, **where).to_dicts()
        finally:
            con.close()
    except WarehouseError as exc:
        raise CliError(str(exc)) from exc
    if note:
        print(f"note: {note}; run `newswire recompute --db {args.db}` to build it", file=sys.stderr)
    if not rows:
        print(f"no article matches {args.query!r}")
    elif args.context is None:
        for rank, r in enumerate(rows, 1):
            print(f"{rank:>3}. {r['day']}  {r['source']}  score {r['score']:.2f}  {r['headline']}\n"
                  f"     {r['snippet']}\n     {r['url']}")
    else:
        width = max(len(r["left"]) for r in rows)
        for r in rows:
            print(f"{r['left']:>{width}} «{r['match']}» {r['right']}   ({r['day']} {r['source']})")
    return 0


def cmd_recompute(args: argparse.Namespace) -> int:
    from flows.settings import Settings
    from transforms.entities import GazetteerError
    from warehouse.db import connect
    from warehouse.errors import WarehouseError
    from warehouse.recompute import recompute

    if _missing(args.db):
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    try:
        con = connect(args.db)
        try:
            report = recompute(con, Settings.load().lexicon())
        finally:
            con.close()
    except (WarehouseError, GazetteerError) as exc:
        raise CliError(str(exc)) from exc
    print(f"recomputed {report.articles} articles: {report.mentions} entity mention rows, "
          f"{report.terms} term rows; daily aggregates rebuilt (lexicon {report.lexicon_digest[:12]})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from warehouse.loader import DEFAULT_WAIT_SECONDS, lock_for
    from flows.settings import Settings
    from transforms.entities import GazetteerError
    from warehouse.check import check, repair
    from warehouse.db import connect
    from warehouse.errors import WarehouseError

    if _missing(args.db):
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    if args.start and args.end and args.start > args.end:
        raise CliError(f"--from {args.start} is after --to {args.end}")
    # Runs load under this lock; a check between two loads of a run sees no load half-done.
    with lock_for(args.db, DEFAULT_WAIT_SECONDS) as locked:
        if not locked:
            raise CliError(f"warehouse {args.db}: a newswire run kept it for {DEFAULT_WAIT_SECONDS:.0f} s; "
                           "run the check again when it has finished")
        try:
            con = connect(args.db)
            try:
                if args.repair:
                    fixed = repair(con, Settings.load().lexicon(), args.start, args.end)
                    left = check(con, args.start, args.end)
                else:
                    fixed, left = [], check(con, args.start, args.end)
            finally:
                con.close()
        except (WarehouseError, GazetteerError) as exc:
            raise CliError(str(exc)) from exc
    for violation in fixed:
        print(f"repaired {violation.line()}")
    for violation in left:
        print(violation.line())
    scope = f" (aggregates and partitions from {args.start or 'the first day'} to {args.end or 'the last'})" \
        if args.start or args.end else ""
    if not left:
        print(f"warehouse {args.db}: every invariant holds{scope}")
    elif not args.repair:
        print(f"warehouse {args.db}: {len(left)} invariant(s) violated{scope}; "
              f"`newswire check --repair --db {args.db}` fixes what the warehouse itself can")
    return 1 if left else 0


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from exc


def cmd_backfill(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults(args.verbose)
    from datetime import datetime, timezone

    from transforms.days import BackfillError, days_between

    try:  # before Prefect is imported (2-5 s), so bad dates fail at once
        days_between(args.start, args.end, datetime.now(timezone.utc).date())
    except BackfillError as exc:
        raise CliError(str(exc)) from exc
    _check_sources(args.sources_file, args.source_ids)
    _check_warehouse(args.db)
    from flows.backfill import PartitionsFailed, backfill
    from flows.cli.progress import live_progress

    with live_progress():
        state = backfill(args.start, end=args.end, source_ids=args.source_ids or [], mode=args.mode,
                         only_missing=not args.all, max_pages_total=args.max_pages_total or 0,
                         sources_file=args.sources_file, db=args.db, dask_address=args.dask,
                         return_state=True)
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, PartitionsFailed):
        summary = summary.summary
    elif not isinstance(summary, dict):  # refused before any work: the state's message says why
        raise CliError(state.message or str(summary))
    _print_summary(summary)
    print(f"partitions: {summary.get('partitions_complete', 0)} complete, {summary.get('partitions_failed', 0)} "
          f"failed, {summary.get('partitions_skipped', 0)} skipped (already complete)")
    return 0 if not summary.get("partitions_failed") else 1


def cmd_status(args: argparse.Namespace) -> int:
    from flows.cli.status import print_status
    from warehouse.db import connect
    from warehouse.errors import WarehouseError

    if not Path(args.db).is_file():
        raise CliError(f"warehouse {args.db} does not exist; run `newswire ingest` first or pass --db PATH")
    if args.days < 1:
        raise CliError(f"--days {args.days}: give 1 or more")
    try:
        con = connect(args.db, read_only=True)
        try:
            print_status(con, args.days)
        finally:
            con.close()
    except WarehouseError as exc:
        raise CliError(str(exc)) from exc
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _quiet_prefect_defaults(verbose=True)  # serve's terminal is its log
    if args.demo:
        # Beside the warehouse, kept: the deployments' runs read it for as long as serve runs.
        args.sources_file = str(Path(args.db).resolve().parent / "demo-sources.toml")
    else:
        _check_sources(args.sources_file, None)
    _check_warehouse(args.db)
    from flows.cli.serve import serve_forever

    return serve_forever(args.sources_file, args.db, args.timezone, host=args.host, port=args.port,
                         demo=args.demo)


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line like every other error (not the usage, then the error)."""

    def error(self, message: str):
        self.exit(2, f"newswire: error: {message} (see `{self.prog} --help`)\n")


class _Renamed(argparse.Action):
    """An old spelling of a flag, accepted for one release with a note saying the new one."""

    def __init__(self, option_strings, dest, new: str, **kwargs):
        self.new = new
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"newswire: note: {option_string} is now {self.new}; the old spelling goes in the next release",
              file=sys.stderr)
        setattr(namespace, self.dest, values)


def build_parser() -> argparse.ArgumentParser:
    from flows.settings import Settings

    settings = Settings.load()
    parser = _Parser(prog="newswire", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                     epilog="example:\n  uv run newswire ingest --demo && uv run newswire serve --demo\n"
                            "  uv run newswire <command> --help   (each shows an example)")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, example: str, **kwargs):
        """A subcommand whose --help ends with an example."""
        return sub.add_parser(name, formatter_class=argparse.RawDescriptionHelpFormatter,
                              epilog="example:\n  uv run " + example.replace("\n  newswire", "\n  uv run newswire"),
                              **kwargs)

    def verbose_arg(p) -> None:
        p.add_argument("-v", "--verbose", action="store_true", help="also show Prefect's INFO log lines")

    def db_arg(p) -> None:
        p.add_argument("--db", default=settings.db, help=f"DuckDB file (default $NEWSWIRE_DB or {Settings.db})")

    def sources_file_arg(p, default: str | None) -> None:
        help_ = "sources TOML file (see README)" + (
            " (default $NEWSWIRE_SOURCES or seeds/sources.toml)"
            if default else "")
        p.add_argument("--sources-file", dest="sources_file", default=default, metavar="FILE", help=help_)
        p.add_argument("--sources", dest="sources_file", action=_Renamed, new="--sources-file", metavar="FILE",
                       help=argparse.SUPPRESS)

    def dask_arg(p) -> None:
        p.add_argument("--dask", metavar="ADDRESS", default=None,
                       help="fetch and extract the batches on this Dask scheduler's workers, tcp://host:8786 "
                            "(default $NEWSWIRE_DASK_ADDRESS, else the sources file's [runner] dask_address, "
                            "else this machine)")

    def source_id_arg(p) -> None:
        p.add_argument("--source", dest="source_ids", action="append", metavar="ID",
                       help="only this source id (repeatable)")

    p = add("ingest", 'newswire ingest --demo\n  newswire ingest --sources-file seeds/sources.toml --source dawn --max-pages-per-source 20', help="discover, fetch, extract and load articles")
    p.add_argument("--demo", action="store_true", help="serve the bundled sample site on 127.0.0.1 and ingest it")
    sources_file_arg(p, None)
    source_id_arg(p)
    db_arg(p)
    p.add_argument("--max-pages-per-source", dest="max_pages_per_source", type=int, metavar="N",
                   help="fetch at most N article pages of each source")
    p.add_argument("--max-pages", dest="max_pages_per_source", type=int, action=_Renamed, new="--max-pages-per-source",
                   help=argparse.SUPPRESS)
    p.add_argument("--refetch", action="store_true", help="fetch articles again even if already stored")
    verbose_arg(p)
    dask_arg(p)
    p.set_defaults(func=cmd_ingest)

    p = add("extract", 'newswire extract page.html --url https://example.com/2026/08/01/story/ --format json', help="extract one article from an HTML file or URL")
    p.add_argument("target", metavar="FILE_OR_URL")
    p.add_argument("--format", choices=("seed", "json", "body"), default="seed")
    p.add_argument("--url", help="the page's URL, to resolve relative links of a local file")
    p.set_defaults(func=cmd_extract)

    p = add("sql", 'newswire sql "SELECT published_day, headline FROM articles ORDER BY 1 DESC LIMIT 10"', help="run ad-hoc SQL on the warehouse and print a table")
    p.add_argument("query")
    db_arg(p)
    p.add_argument("--max-rows", type=int, default=50)
    p.set_defaults(func=cmd_sql)

    from warehouse.trends import GRAINS

    p = add("trends", 'newswire trends china "north korea" --grain week --plot trends.png', help="how often entities are mentioned per period, with sparklines and a chart")
    p.add_argument("entities", nargs="*", metavar="ENTITY", help='entity id, name or alias: china "north korea" Putin')
    p.add_argument("--query", action="append", default=[], metavar="QUERY",
                   help="also the share of articles matching a search query (repeatable): --query '\"north korea\" AND missile'")
    p.add_argument("--grain", choices=GRAINS, default="week", help="period length (default week, ISO weeks)")
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                   help="first day (default: the first day with articles)")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                   help="last day, inclusive (default: the last day with articles)")
    p.add_argument("--source", metavar="ID", help="only articles of this source id")
    p.add_argument("--plot", metavar="FILE", help="also write a chart: FILE.png or FILE.html")
    p.add_argument("--dedupe", action="store_true",
                   help="count each story once: near-copies of another source's article are left out")
    db_arg(p)
    p.set_defaults(func=cmd_trends)

    p = add("search", 'newswire search \'"north korea" AND missile\' --context 8 --from 2026-08-01', help="full-text search: the best-matching articles, or each match in context")
    p.add_argument("query", help='words, "exact phrases", AND / OR / NOT (or -word), ( ), prefix*')
    p.add_argument("--context", type=int, metavar="N", help="print each match with N words either side (keywords in context)")
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD", help="first publication day")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="last publication day, inclusive")
    p.add_argument("--source", metavar="ID", help="only articles of this source id")
    p.add_argument("--lang", metavar="CODE", help="only articles in this language (en, ur, ...)")
    p.add_argument("--limit", type=int, default=20, help="articles shown (default 20)")
    db_arg(p)
    p.set_defaults(func=cmd_search)

    p = add("recompute", 'newswire recompute --db data/newswire.duckdb', help="recompute entity mentions and terms after editing the gazetteer or stop words")
    db_arg(p)
    p.set_defaults(func=cmd_recompute)

    p = add("check", 'newswire check --from 2026-08-01 --to 2026-08-31 --repair', help="verify the warehouse's invariants (and --repair what it can)")
    p.add_argument("--repair", action="store_true",
                   help="fix what can be fixed from the warehouse itself, in one transaction, and say what changed")
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                   help="check the daily aggregates and partitions from this day (default: all days)")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help="... up to this day, inclusive")
    db_arg(p)
    p.set_defaults(func=cmd_check)

    p = add("backfill", 'newswire backfill --from 2026-08-01 --to 2026-08-31 --mode fetch\n  newswire backfill --from 2026-08-01 --to 2026-08-07 --mode reextract --all', help="fill the (day x source) partitions of a date range")
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    sources_file_arg(p, settings.sources_file)
    source_id_arg(p)
    p.add_argument("--mode", choices=("fetch", "reextract"), default="fetch",
                   help="fetch: from the sites; reextract: from the raw archive, no network")
    p.add_argument("--all", action="store_true", help="redo complete partitions too (default: only missing ones)")
    p.add_argument("--max-pages-total", dest="max_pages_total", type=int, metavar="N",
                   help="fetch at most N article pages in all, over every partition")
    p.add_argument("--max-pages", dest="max_pages_total", type=int, action=_Renamed, new="--max-pages-total",
                   help=argparse.SUPPRESS)
    db_arg(p)
    verbose_arg(p)
    dask_arg(p)
    p.set_defaults(func=cmd_backfill)

    p = add("serve", 'newswire serve --demo        # the sample site and both deployments; open the printed URL', help="serve the nightly and backfill deployments on a local Prefect server")
    p.add_argument("--demo", action="store_true",
                   help="also serve the bundled sample site, and the deployments against it (writes "
                        "demo-sources.toml beside the warehouse)")
    sources_file_arg(p, settings.sources_file)
    db_arg(p)
    p.add_argument("--timezone", default=settings.timezone,
                   help=f"time zone of the 02:00 nightly schedule (default $NEWSWIRE_TIMEZONE or {Settings.timezone})")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=4200)
    p.set_defaults(func=cmd_serve)

    p = add("status", 'newswire status --days 14', help="the partition grid (days x sources, by status) and the last runs")
    p.add_argument("--days", type=int, default=14, metavar="N", help="the last N days with partitions (default 14)")
    db_arg(p)
    p.set_defaults(func=cmd_status)

    p = add("warehouse", 'newswire warehouse migrate --to "ducklake:postgres:dbname=lake host=127.0.0.1" '
            '--data-path s3://news/lake/\n  newswire warehouse analyst > lake.sql && duckdb -init lake.sql',
            help="manage the warehouse: copy a single file into a DuckLake")
    wsub = p.add_subparsers(dest="action", required=True)
    w = wsub.add_parser("migrate", help="copy the single-file warehouse (--db) into a new, empty DuckLake",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog='example:\n  uv run newswire warehouse migrate --db data/newswire.duckdb '
                               '--to "ducklake:postgres:dbname=lake host=127.0.0.1" --data-path /srv/lake/')
    w.add_argument("--to", dest="to", required=True, metavar="URL",
                   help="the lake's catalog: 'ducklake:postgres:dbname=... host=... port=...'")
    w.add_argument("--data-path", dest="data_path", metavar="PATH",
                   help="where its data files go: a folder or s3://bucket/prefix/ (default [warehouse] data_path)")
    w.add_argument("--db", default=settings.db, help=f"the DuckDB file to copy (default $NEWSWIRE_DB or {Settings.db})")
    w.set_defaults(func=cmd_warehouse_migrate)
    w = wsub.add_parser("analyst", help="print SQL that attaches the configured lake in your own duckdb CLI "
                                        "(duckdb -init FILE): extensions offline, ATTACH, USE, the macros")
    w.add_argument("--db", default=settings.db, help=argparse.SUPPRESS)
    w.set_defaults(func=cmd_warehouse_analyst)
    return parser


def cmd_warehouse_analyst(args: argparse.Namespace) -> int:
    from warehouse.lake import analyst_preamble, is_lake_url

    if not is_lake_url(args.db):
        raise CliError("no lake is configured: set [warehouse] url (or NEWSWIRE_WAREHOUSE); a single-file "
                       f"warehouse opens as it is: duckdb {args.db}")
    print(analyst_preamble(args.db), end="")
    return 0


def cmd_warehouse_migrate(args: argparse.Namespace) -> int:

    from flows.settings import Settings
    from warehouse.copy import copy_into_lake
    from warehouse.errors import WarehouseError
    from warehouse.lake import is_lake_url

    if is_lake_url(args.db):
        raise CliError(f"--db {args.db} is a lake; `warehouse migrate` copies a DuckDB file into one")
    if not args.to.startswith("ducklake:"):
        raise CliError(f"--to {args.to!r} is not a DuckLake URL; give 'ducklake:postgres:dbname=... host=... port=...'")
    target = Settings.load(warehouse=args.to, warehouse_data_path=args.data_path).target()
    if not target.data_path:
        raise CliError("--data-path (or [warehouse] data_path) is needed: where the lake's data files go")
    try:
        report = copy_into_lake(args.db, target)
    except WarehouseError as exc:
        raise CliError(str(exc)) from exc
    print(report.summary(args.db, target))
    print(f"use it: set [warehouse] url = \"{args.to}\" (or NEWSWIRE_WAREHOUSE) and data_path = \"{target.data_path}\"")
    return 0


# Commands that open the warehouse themselves; ingest, backfill and serve hand --db to their flows,
# which read the [warehouse] setting in their own process (flows/settings.py).
_OPENS_WAREHOUSE = ("sql", "trends", "search", "recompute", "check", "warehouse")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in _OPENS_WAREHOUSE:
        args.db = _warehouse(args.db)
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
