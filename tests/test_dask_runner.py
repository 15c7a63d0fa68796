"""The batches on a real Dask cluster (tests/services.py: a scheduler and two workers on 127.0.0.1):
the tables equal those of a run on the local extraction pool, and each host's rate limit and in-flight
cap hold although two workers fetch at once."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from distributed import Client

from flows.cli.demo_site import SAMPLE_SITE, _Handler
from flows.ingest import ingest
from flows.runner import BatchRunner
from tests.checksums import checksums, differences
from tests.services import fetcher_requests

ARTICLES = 47  # seeds/sample_site_expected/index.json


def test_dask_ingest_equals_the_local_pool_ingest(prefect_harness, demo_sources, dask_cluster, tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "dask").mkdir()
    local = ingest(str(demo_sources), str(tmp_path / "local" / "wh.duckdb"))
    with Client(dask_cluster.address) as client:
        before = sum(client.run(fetcher_requests).values())
        remote = ingest(str(demo_sources), str(tmp_path / "dask" / "wh.duckdb"), dask_address=dask_cluster.address)
        sent_by_workers = sum(client.run(fetcher_requests).values()) - before
    assert remote["articles_extracted"] == local["articles_extracted"] == ARTICLES
    assert remote["inserted"] == ARTICLES and remote["failures"] == {}
    # The workers fetched the pages (discovery and articles), not the flow's process.
    assert sent_by_workers >= ARTICLES
    got, want = checksums(str(tmp_path / "dask" / "wh.duckdb")), checksums(str(tmp_path / "local" / "wh.duckdb"))
    assert got["articles"][0] == ARTICLES
    assert differences(got, want) == []


class Recorder:
    """Start times and requests in flight per Host header, article and discovery pages alike."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.starts: dict[str, list[float]] = {}
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}


@contextmanager
def recording_site(rec: Recorder, delay: float):
    """The sample site, as the demo serves it, recording each host's requests (robots.txt aside: the
    crawler reads it once per host, before its first paced request)."""

    class Handler(_Handler):
        def do_GET(self):  # noqa: N802
            host = self.headers.get("Host", "").split(":")[0]
            if self.path == "/robots.txt":
                return super().do_GET()
            with rec.lock:
                rec.starts.setdefault(host, []).append(time.monotonic())
                rec.in_flight[host] = rec.in_flight.get(host, 0) + 1
                rec.max_in_flight[host] = max(rec.max_in_flight.get(host, 0), rec.in_flight[host])
            try:
                time.sleep(delay)
            finally:
                # Counted out before the response is sent: the client can send its next request only
                # once it has the response, so a server thread stalled after sending (this machine
                # runs the suite two tests at a time) cannot look like a second request in flight.
                with rec.lock:
                    rec.in_flight[host] -= 1
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, root=SAMPLE_SITE.resolve()))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def two_hosts_on_two_workers(address: str) -> list[str]:
    """Two host names that the runner sends to different workers (the choice hangs on the workers'
    addresses, which change from one cluster to the next)."""
    with Client(address) as client:
        workers = sorted(client.scheduler_info()["workers"])
    runner = BatchRunner(None, None, address)  # type: ignore[arg-type] - only worker_for is used
    runner.workers = workers
    names = [f"site{i}.invalid" for i in range(64)]
    first = names[0]
    second = next(n for n in names[1:] if runner.worker_for(n) != runner.worker_for(first))
    return [first, second]


RATE = 20.0  # requests per second per host: 50 ms apart


def test_politeness_holds_per_host_across_two_dask_workers(prefect_harness, dask_cluster, tmp_path):
    hosts = two_hosts_on_two_workers(dask_cluster.address)
    rec = Recorder()
    with recording_site(rec, delay=0.02) as address:
        resolve = ", ".join(f'"{h}" = "{address}"' for h in hosts)
        sources = "".join(f"""
[[sources]]
id = "s{i}"
name = "sample site as {host}"
feeds = ["http://{host}/feed.xml"]
sitemaps = ["http://{host}/sitemap_index.xml"]
listings = ["http://{host}/"]
article_pattern = '^/[0-9]{{4}}/[0-9]{{2}}/[0-9]{{2}}/[^/]+/$'
requests_per_second = {RATE}
max_in_flight = 1
""" for i, host in enumerate(hosts))
        path = tmp_path / "sources.toml"
        path.write_text(f"[crawler]\nresolve = {{ {resolve} }}\n{sources}", "utf-8")
        with Client(dask_cluster.address) as client:
            before = client.run(fetcher_requests)
            # Small batches: many of them, so that both workers would take some of each host's if
            # nothing kept a host on one worker.
            summary = ingest(str(path), str(tmp_path / "wh.duckdb"), dask_address=dask_cluster.address,
                             batch_size=5)
            after = client.run(fetcher_requests)
    assert summary["articles_extracted"] == 2 * ARTICLES and summary["failures"] == {}
    # Both workers fetched: one host each.
    assert all(after[w] > before.get(w, 0) for w in after), (before, after)
    for host in hosts:
        starts = sorted(rec.starts[host])
        assert len(starts) > ARTICLES
        # The pacing keeps slots 50 ms apart; one request sent late may come closer to the next, so
        # every run of 10 requests is what must span 9 intervals. Two workers on one host would fetch
        # at twice the rate, and overlap.
        spans = [b - a for a, b in zip(starts, starts[10:])]
        assert min(spans) >= 0.9 * 9 / RATE, (host, sorted(spans)[:3])
        assert (len(starts) - 1) / (starts[-1] - starts[0]) <= RATE * 1.05
        assert rec.max_in_flight[host] == 1


def test_the_dask_address_comes_from_the_flag_then_the_environment_then_the_sources_file(tmp_path):
    from flows.batches import setup
    from flows.settings import Settings
    from transforms.sources import SourcesError, parse_runner

    path = tmp_path / "sources.toml"
    path.write_text('[runner]\ndask_address = "tcp://file:8786"\n\n[[sources]]\nid = "a"\n'
                    'feeds = ["http://a.invalid/feed.xml"]\n', "utf-8")
    assert setup(Settings.load(env={}, sources_file=str(path), db=str(tmp_path / "w.duckdb")), None).dask_address \
        == "tcp://file:8786"
    env = {"NEWSWIRE_DASK_ADDRESS": "tcp://env:8786"}
    assert setup(Settings.load(env=env, sources_file=str(path)), None).dask_address == "tcp://env:8786"
    assert setup(Settings.load(env=env, sources_file=str(path), dask_address="tcp://flag:8786"),
                 None).dask_address == "tcp://flag:8786"
    assert parse_runner('[[sources]]\nid = "a"\n', "x.toml") is None
    with pytest.raises(SourcesError, match=r"x.toml: \[runner\] dask_address = 'scheduler' is not a scheduler"):
        parse_runner('[runner]\ndask_address = "scheduler"\n', "x.toml")
    with pytest.raises(SourcesError, match=r"x.toml: \[runner\] takes dask_address"):
        parse_runner('[runner]\nworkers = 4\n', "x.toml")


def test_an_unreachable_scheduler_is_one_line_naming_the_address_and_the_fix():
    import dask

    from tests.services import free_port

    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        with pytest.raises(RuntimeError, match=rf"cannot reach the Dask scheduler at {address} .*start it"):
            BatchRunner(None, None, address).__enter__()  # type: ignore[arg-type]
