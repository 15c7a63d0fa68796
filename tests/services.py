"""Real services on 127.0.0.1 for the scale-out tests: PostgreSQL (Debian's package), an S3-compatible
server (moto) and a Dask cluster. Each starts in a second or three; each is stopped with its fixture.

Nothing is skipped when a service is missing: .ci/run installs Debian's postgresql, and the rest comes
from the project's dependencies, so a missing binary is an error that names the fix.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

# Starting any of them takes ~2-3 s here; give them room on a loaded machine.
START_TIMEOUT = 60.0
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(ready, what: str, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if ready():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.2)
    tail = log.read_text("utf-8", "replace")[-2000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not start within {START_TIMEOUT:.0f} s\n{tail}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str = "postgres"

    def dsn(self, dbname: str = "postgres") -> str:
        """libpq keywords, as DuckDB's postgres extension and DuckLake take them."""
        return f"dbname={dbname} host={self.host} port={self.port} user={self.user}"

    def url(self, dbname: str = "postgres", driver: str = "postgresql") -> str:
        return f"{driver}://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A fresh database (one per test keeps tests apart on one server); returns its name."""
        self.execute("postgres", f'CREATE DATABASE "{name}"')
        return name

    def execute(self, dbname: str, sql: str) -> None:
        """Run SQL on a database with psql (one transaction per statement), failing on the first error."""
        psql = _pg_bin("psql") if (Path(PG_BIN_DIRS[0]) / "psql").exists() else shutil.which("psql")
        subprocess.run([psql, "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", dbname,
                        "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True)


def _pg_bin(name: str) -> str:
    for d in PG_BIN_DIRS:
        if (d / name).exists():
            return str(d / name)
    raise RuntimeError(f"PostgreSQL's {name} is missing: install Debian's postgresql "
                       "(apt-get install -y postgresql), as .ci/run does")


def _as_postgres(args: list[str], **kw) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user when we are root."""
    if os.geteuid() == 0:
        return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_quote(a) for a in args)], **kw)
    return subprocess.run(args, **kw)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


@contextmanager
def postgres_server():
    """initdb + pg_ctl start on a free port, fsync off, trust auth on 127.0.0.1; yields Postgres."""
    root = Path(tempfile.mkdtemp(prefix="newswire-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = free_port()
    _as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"],
                 check=True, capture_output=True)
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    started = _as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w",
                            "-t", str(int(START_TIMEOUT)), "start"], capture_output=True, text=True)
    if started.returncode != 0:
        log = (root / "log").read_text("utf-8", "replace")[-2000:] if (root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    try:
        yield Postgres("127.0.0.1", port)
    finally:
        _as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@dataclass(frozen=True)
class S3:
    endpoint: str  # host:port, as DuckDB's S3 settings take it
    bucket: str
    key_id: str = "testing"
    secret: str = "testing"
    region: str = "us-east-1"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"


@contextmanager
def s3_server(bucket: str = "newswire"):
    """moto's S3 server on a free port with one bucket; yields S3."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="newswire-s3-")) / "moto.log"
    moto = Path(sys.executable).with_name("moto_server")
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"http://{endpoint}/", timeout=1.0).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        _wait(ready, "moto's S3 server", proc, log)
        httpx.put(f"http://{endpoint}/{bucket}", timeout=10.0).raise_for_status()
        yield S3(endpoint, bucket)
    finally:
        _stop(proc)


@dataclass(frozen=True)
class DaskCluster:
    address: str  # tcp://127.0.0.1:PORT
    workers: int


@contextmanager
def dask_cluster(workers: int = 2):
    """`dask scheduler` and `dask worker --nworkers N --nthreads 1` on 127.0.0.1; yields DaskCluster.

    The workers run this checkout's code: they start in the project root so that flows, transforms and
    warehouse import as they do for the flows that send them work."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    root = Path(__file__).resolve().parent.parent
    logs = Path(tempfile.mkdtemp(prefix="newswire-dask-"))
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    procs = []
    with open(logs / "scheduler.log", "wb") as out:
        procs.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--dashboard-address", ":0", "--no-show"], stdout=out,
                                      stderr=subprocess.STDOUT, cwd=root, env=env, start_new_session=True))
    with open(logs / "worker.log", "wb") as out:
        procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                                       "--host", "127.0.0.1", "--dashboard-address", ":0", "--no-nanny"
                                       if workers == 1 else "--nanny"],
                                      stdout=out, stderr=subprocess.STDOUT, cwd=root, env=env,
                                      start_new_session=True))
    try:
        from distributed import Client

        def ready() -> bool:
            try:
                with Client(address, timeout=2) as client:
                    return len(client.scheduler_info()["workers"]) >= workers
            except OSError:
                return False

        _wait(ready, f"a Dask cluster of {workers} workers", procs[-1], logs / "worker.log")
        yield DaskCluster(address, workers)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        shutil.rmtree(logs, ignore_errors=True)


def fetcher_requests() -> int:
    """Run on a Dask worker (Client.run): the requests its shared Fetchers sent (flows/crawl/fetchers.py)."""
    from flows.crawl import fetchers

    return sum(f.requests for f in fetchers._fetchers.values())
