"""The warehouse on DuckLake: a catalog in PostgreSQL, Parquet data files in a folder or an S3 bucket.

A lake session is an in-memory DuckDB that loads the DuckLake, postgres_scanner and httpfs extensions
from the wheels of the `scale` dependency group (DuckDB cannot download extensions here), creates an
S3 secret when the data files are on S3, attaches the catalog as `wh` and makes it the default, so
that every schema file, statement and macro names its tables as it does on a single file.

DuckLake holds tables but not macros faithfully (DuckDB 1.5.5's DuckLake stores a macro's
`:= NULL` default as the string 'NULL', so trend(..., source := NULL) would match no source):
the macros of the schema files are created as TEMP macros in each session instead
(session_macros), from the same files, and analysts `.read` warehouse/lake_macros.sql, which
analyst_macros_sql() writes from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

import duckdb

from warehouse.errors import WarehouseError

CATALOG = "wh"  # the name the lake is attached under in every session
_EXTENSIONS = {  # extension -> the package of the `scale` group that carries it
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}
_MACRO = re.compile(r"^\s*(CREATE\s+(?:OR\s+REPLACE\s+)?MACRO|DROP\s+MACRO)\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)",
                    re.IGNORECASE)


@dataclass(frozen=True)
class LakeTarget:
    """Where a lake is: its catalog URL (`ducklake:postgres:dbname=... host=... port=...`), where its
    data files go, the S3 endpoint and keys when they go to S3, and the local folder this machine stages
    batches in. The data path is recorded in the catalog when the lake is created; later sessions may
    leave it out."""

    url: str
    data_path: str | None = None
    staging: str = "data/staging/lake"
    s3_endpoint: str | None = None  # host:port of an S3-compatible server; None = AWS
    s3_key_id: str | None = None
    s3_secret: str | None = field(default=None, repr=False)
    s3_region: str = "us-east-1"
    s3_use_ssl: bool = True
    s3_url_style: str = "path"

    def __str__(self) -> str:
        return self.url  # what messages name (never the keys)


def is_lake_url(target: object) -> bool:
    return isinstance(target, LakeTarget) or str(target).startswith("ducklake:")


def as_lake(target: object) -> LakeTarget:
    return target if isinstance(target, LakeTarget) else LakeTarget(str(target))


def extension_paths() -> dict[str, str]:
    """extension -> its .duckdb_extension file inside the installed wheel."""
    paths = {}
    for name, package in _EXTENSIONS.items():
        try:
            root = resources.files(package) / "extensions"
        except ModuleNotFoundError as exc:
            raise WarehouseError(
                f"the DuckLake warehouse needs the {package.replace('_', '-')} wheel; install the scale "
                f"dependency group (uv sync --group scale)") from exc
        found = [f for version in root.iterdir() for f in version.iterdir() if f.name == f"{name}.duckdb_extension"]
        if not found:
            raise WarehouseError(f"{package} carries no {name}.duckdb_extension; reinstall it (uv sync --reinstall)")
        paths[name] = str(found[0])
    return paths


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def s3_secret_sql(target: LakeTarget) -> str | None:
    """The S3 secret a session (or an analyst's CLI) needs for the lake's data files; None without S3."""
    if target.s3_key_id is None and target.s3_endpoint is None:
        return None
    options = [f"KEY_ID {_quote(target.s3_key_id or '')}", f"SECRET {_quote(target.s3_secret or '')}",
               f"REGION {_quote(target.s3_region)}", f"URL_STYLE {_quote(target.s3_url_style)}",
               f"USE_SSL {'true' if target.s3_use_ssl else 'false'}"]
    if target.s3_endpoint:
        options.append(f"ENDPOINT {_quote(target.s3_endpoint)}")
    return f"CREATE OR REPLACE SECRET newswire_s3 (TYPE s3, {', '.join(options)})"


def open_lake(target: LakeTarget) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `wh` and used by default."""
    # autoinstall off: a missing extension is an error here, never a download attempt.
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        for path in extension_paths().values():
            con.execute(f"LOAD {_quote(path)}")
        secret = s3_secret_sql(target)
        if secret:
            con.execute(secret)
        data_path = f" (DATA_PATH {_quote(target.data_path)})" if target.data_path else ""
        con.execute(f"ATTACH {_quote(target.url)} AS {CATALOG}{data_path}")
        con.execute(f"USE {CATALOG}")
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"Could not open the DuckLake warehouse {target.url}: {exc}; check the [warehouse] "
                             f"url (a reachable PostgreSQL database) and data_path") from exc
    return con


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's default catalog is a DuckLake (loads then take the lake's paths)."""
    row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return bool(row) and row[0] == "ducklake"


def macro_only(sql: str) -> bool:
    """A schema file whose every statement creates or drops a macro (what the lake does not hold)."""
    statements = [s.query for s in duckdb.extract_statements(sql)]
    return bool(statements) and all(_MACRO.match(_strip_comments(s)) for s in statements)


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()


def _calls(sql: str) -> set[str]:
    """Names a CREATE MACRO statement's body calls (functions and macros alike)."""
    return set(re.findall(r"([a-z_][a-z0-9_]*)\s*\(", sql.split(" AS ", 1)[1].lower()))


def final_macros(migrations) -> dict[str, str]:
    """name -> the CREATE statement of every macro the schema files leave defined (a later CREATE OR
    REPLACE wins, a DROP removes), each after the macros it calls: DuckDB looks a called table macro up
    when the caller is created, and a replaced macro may call one that a later file added."""
    macros: dict[str, str] = {}
    for m in migrations:
        for s in duckdb.extract_statements(m.sql):
            text = _strip_comments(s.query)
            match = _MACRO.match(text)
            if not match:
                continue
            verb, name = match.group(1).upper(), match.group(2).lower()
            macros.pop(name, None)
            if verb.startswith("CREATE"):
                macros[name] = re.sub(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?MACRO", "CREATE OR REPLACE TEMP MACRO",
                                      text, count=1, flags=re.IGNORECASE)
    calls = {name: _calls(sql) & set(macros) - {name} for name, sql in macros.items()}
    ordered: dict[str, str] = {}
    placing: set[str] = set()

    def place(name: str) -> None:
        if name in ordered or name in placing:  # placing: a cycle, which DuckDB refuses anyway
            return
        placing.add(name)
        for callee in sorted(calls[name]):
            place(callee)
        ordered[name] = macros[name]

    for name in macros:  # file order where dependencies allow
        place(name)
    return ordered


def analyst_preamble(target: LakeTarget) -> str:
    """SQL for an analyst's own DuckDB 1.5.5 CLI: the extensions loaded from the installed wheels (no
    download), the S3 secret, the lake attached as `wh` and made the default, and the macros read."""
    lines = [f"LOAD {_quote(path)};" for path in extension_paths().values()]
    secret = s3_secret_sql(target)
    if secret:
        lines.append(secret + ";")
    lines += [f"ATTACH {_quote(target.url)} AS {CATALOG} (READ_ONLY);", f"USE {CATALOG};", "SET TimeZone = 'UTC';",
              f".read {resources.files('warehouse') / 'lake_macros.sql'}"]
    return "\n".join(lines) + "\n"


def session_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Every macro of the schema files, as a TEMP macro of this session (in order: later ones call earlier)."""
    from warehouse.migrate import schema_files

    for sql in final_macros(schema_files()).values():
        con.execute(sql)


def analyst_macros_sql() -> str:
    """warehouse/lake_macros.sql: the macros an analyst's own duckdb CLI can hold. Those that call
    newswire's Python functions (the search macros) cannot be created there, on a lake or on a
    single file alike; they are named in the file's header and run through `newswire sql`."""
    from warehouse.migrate import schema_files

    python_functions = _python_function_names()
    kept, left = [], []
    for name, sql in final_macros(schema_files()).items():
        if _calls(sql) & (python_functions | set(left)):  # calls a Python function, or a macro that does
            left.append(name)
        else:
            kept.append(sql)
    header = ("-- Generated from warehouse/schema by warehouse.lake.analyst_macros_sql(); do not edit "
              "(tests/test_lake.py checks it is current).\n"
              "-- The warehouse's macros for a DuckDB 1.5.5 CLI attached to the lake (README, Warehouse on DuckLake):\n"
              "--   newswire warehouse analyst > lake.sql && duckdb -init lake.sql\n"
              "-- (LOADs the extensions from the installed wheels, ATTACH ... AS wh, USE wh, .read this file).\n"
              f"-- Left out (they call newswire's Python functions; use `newswire sql`): {', '.join(left)}\n")
    return header + "\n".join(s.rstrip().rstrip(";") + ";\n" for s in kept)


def _python_function_names() -> set[str]:
    """The functions newswire registers from Python (warehouse.db.register_functions): what a plain
    duckdb CLI lacks."""
    from warehouse.db import register_functions

    con = duckdb.connect()
    try:
        builtin = {n for (n,) in con.execute("SELECT DISTINCT function_name FROM duckdb_functions()").fetchall()}
        register_functions(con)
        return {n for (n,) in con.execute("SELECT DISTINCT function_name FROM duckdb_functions()").fetchall()} - builtin
    finally:
        con.close()
