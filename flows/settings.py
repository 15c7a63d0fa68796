"""Settings, read once into one object: each default defined here, overridden by the environment,
then by what a command or a flow run is given. Runs log them at their start (Settings.describe)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from transforms.entities import Lexicon, Matcher, parse_gazetteer
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
    "warehouse": "NEWSWIRE_WAREHOUSE",
    "warehouse_data_path": "NEWSWIRE_WAREHOUSE_DATA_PATH",
    "warehouse_staging": "NEWSWIRE_WAREHOUSE_STAGING",
    "s3_endpoint": "NEWSWIRE_S3_ENDPOINT",
    "s3_key_id": "NEWSWIRE_S3_KEY_ID",
    "s3_secret": "NEWSWIRE_S3_SECRET",
    "s3_region": "NEWSWIRE_S3_REGION",
    "s3_use_ssl": "NEWSWIRE_S3_USE_SSL",
    "claim_seconds": "NEWSWIRE_CLAIM_SECONDS",
    "dask_address": "NEWSWIRE_DASK_ADDRESS",
}
# The config file (TOML) whose [warehouse] table sets the lake: url, data_path, staging, s3_endpoint,
# s3_key_id, s3_secret, s3_region, s3_use_ssl. Between the defaults and the environment.
CONFIG_ENV, CONFIG_FILE = "NEWSWIRE_CONFIG", "newswire.toml"
_SECRET_SETTINGS = ("s3_secret",)


@dataclass(frozen=True)
class Settings:
    db: str = "data/newswire.duckdb"  # the warehouse file (relative to the working directory)
    sources_file: str = str(SEEDS / "sources.toml")
    timezone: str = "Asia/Karachi"  # of the nightly's 02:00 schedule and its "yesterday"
    lock_wait_seconds: float = DEFAULT_WAIT_SECONDS  # for a warehouse another process holds
    gazetteer: str = str(SEEDS / "gazetteer.toml")
    stopwords: tuple[str, ...] = (str(SEEDS / "stopwords_en.txt"), str(SEEDS / "stopwords_ur.txt"))
    extract_workers: int = os.cpu_count() or 1  # extraction processes; 0 extracts in the calling thread
    # The warehouse on DuckLake (README, Warehouse on DuckLake): "" keeps the single DuckDB file `db`;
    # "ducklake:postgres:dbname=... host=... port=..." puts every table on that catalog, with data files
    # under warehouse_data_path (a folder, or s3://bucket/prefix/ with the s3_* settings).
    warehouse: str = ""
    warehouse_data_path: str = ""
    warehouse_staging: str = "data/staging/lake"  # this machine's staging folder for lake loads
    s3_endpoint: str = ""  # host:port of an S3-compatible store; "" = AWS
    s3_key_id: str = ""
    s3_secret: str = ""
    s3_region: str = "us-east-1"
    s3_use_ssl: bool = True
    # How long a worker's claim on a (day, source) partition of a lake lasts (warehouse/claims.py): past
    # it, a worker that died no longer holds the partition. Longer than a partition's longest run.
    claim_seconds: float = 3600.0
    # A Dask scheduler ("tcp://host:8786") that runs the per-batch tasks; "" keeps them in this process
    # (threads, with the local extraction pool). The sources file's [runner] table may set it too.
    dask_address: str = ""

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **given) -> "Settings":
        """Defaults, then the environment, then what is given (None means "not given")."""
        env = os.environ if env is None else env
        values: dict = _config_file(env)
        for f in fields(cls):
            if ENVIRONMENT[f.name] in env and env[ENVIRONMENT[f.name]] != "":
                values[f.name] = _parse(f.name, env[ENVIRONMENT[f.name]], getattr(cls(), f.name))
        values.update({k: v for k, v in given.items() if v is not None})
        return replace(cls(), **values)

    def lexicon(self) -> Lexicon:
        """The gazetteer and stop words, read from their files (what mentions and terms are made with)."""
        gazetteer = Path(self.gazetteer)
        return Lexicon(Matcher(parse_gazetteer(gazetteer.read_bytes(), str(gazetteer))),
                       parse_stopwords([Path(p).read_bytes() for p in self.stopwords]))

    def describe(self) -> str:
        return ", ".join(f"{k}={'***' if k in _SECRET_SETTINGS and v else v}" for k, v in asdict(self).items())

    def target(self):
        """The warehouse loads and reads open: the DuckDB file `db`, or the lake when `warehouse` is set."""
        if not self.warehouse:
            return self.db
        from warehouse.lake import LakeTarget

        s3 = self.warehouse_data_path.startswith("s3://") or bool(self.s3_endpoint)
        return LakeTarget(self.warehouse, self.warehouse_data_path or None, self.warehouse_staging,
                          s3_endpoint=self.s3_endpoint or None if s3 else None,
                          s3_key_id=self.s3_key_id if s3 else None, s3_secret=self.s3_secret if s3 else None,
                          s3_region=self.s3_region, s3_use_ssl=self.s3_use_ssl)


def _parse(name: str, raw: str, default):
    if name == "stopwords":
        return tuple(raw.split(os.pathsep))
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return type(default)(raw)


def _config_file(env: Mapping[str, str]) -> dict:
    """The [warehouse] table of the config file ($NEWSWIRE_CONFIG, else ./newswire.toml if present)."""
    import tomllib

    path = Path(env.get(CONFIG_ENV) or CONFIG_FILE)
    if not path.is_file():
        if env.get(CONFIG_ENV):
            raise FileNotFoundError(f"config file {path} (${CONFIG_ENV}) does not exist; fix the path or unset it")
        return {}
    table = tomllib.loads(path.read_text("utf-8")).get("warehouse", {})
    names = {"url": "warehouse", "data_path": "warehouse_data_path", "staging": "warehouse_staging",
             "s3_endpoint": "s3_endpoint", "s3_key_id": "s3_key_id", "s3_secret": "s3_secret",
             "s3_region": "s3_region", "s3_use_ssl": "s3_use_ssl"}
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ValueError(f"config file {path}: unknown [warehouse] key(s) {unknown}; expected {sorted(names)}")
    return {names[k]: v for k, v in table.items()}
