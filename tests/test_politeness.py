"""Politeness against real servers: rate and in-flight caps hold per host, hosts run side by side."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flows.crawl.fetch import FetchSettings, Fetcher
from flows.crawl.hosts import HostLimits, HostPolicy

PAGE = b"<html><body><p>ok</p></body></html>"


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.starts: dict[str, list[float]] = {}
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.user_agents: set[str] = set()


@contextmanager
def recording_server(host: str, rec: Recorder, robots: str = "", delay: float = 0.05):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            if self.path == "/robots.txt":
                body, ctype = robots.encode(), "text/plain"
            else:
                with rec.lock:
                    rec.starts.setdefault(host, []).append(time.monotonic())
                    rec.in_flight[host] = rec.in_flight.get(host, 0) + 1
                    rec.max_in_flight[host] = max(rec.max_in_flight.get(host, 0), rec.in_flight[host])
                    rec.user_agents.add(self.headers.get("User-Agent", ""))
                time.sleep(delay)
                with rec.lock:
                    rec.in_flight[host] -= 1
                body, ctype = PAGE, "text/html"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def observed_rate(starts: list[float]) -> float:
    starts = sorted(starts)
    return (len(starts) - 1) / (starts[-1] - starts[0])


def test_rate_and_in_flight_caps_hold_per_host_while_hosts_overlap():
    rec = Recorder()
    with ExitStack() as stack:
        a = stack.enter_context(recording_server("127.0.0.1", rec))
        b = stack.enter_context(recording_server("127.0.0.2", rec, delay=0.3))
        policy = HostPolicy()
        policy.allow("127.0.0.1", HostLimits(requests_per_second=8, max_in_flight=2))
        policy.allow("127.0.0.2", HostLimits(requests_per_second=20, max_in_flight=2))
        fetcher = Fetcher(FetchSettings(user_agent="newswire-test (+https://example.org/contact)"), policy)
        urls = [f"{a}/p{i}" for i in range(12)] + [f"{b}/p{i}" for i in range(12)]
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(fetcher.get, urls))
        elapsed = time.monotonic() - started
        fetcher.close()
    assert all(r.ok for r in results)
    assert observed_rate(rec.starts["127.0.0.1"]) <= 8 * 1.05
    assert rec.max_in_flight["127.0.0.2"] <= 2  # 0.3 s responses: the in-flight cap is what binds
    assert rec.max_in_flight["127.0.0.1"] <= 2
    # Host b alone needs 12 x 0.3 s / 2 in flight = 1.8 s; host a alone 11 / 8 = 1.4 s. Run side by side,
    # the whole takes well under their sum.
    assert elapsed < 1.8 + 1.4
    assert min(rec.starts["127.0.0.2"]) < max(rec.starts["127.0.0.1"])
    assert rec.user_agents == {"newswire-test (+https://example.org/contact)"}


def test_robots_crawl_delay_slows_a_host_below_its_rate():
    rec = Recorder()
    with recording_server("127.0.0.1", rec, robots="User-agent: *\nCrawl-delay: 0.25\n", delay=0.0) as origin:
        policy = HostPolicy()
        policy.allow("127.0.0.1", HostLimits(requests_per_second=100, max_in_flight=4))
        fetcher = Fetcher(FetchSettings(), policy)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(fetcher.get, [f"{origin}/p{i}" for i in range(6)]))
        fetcher.close()
    assert observed_rate(rec.starts["127.0.0.1"]) <= 4 * 1.05


def test_only_allowed_hosts_and_no_private_addresses_unless_the_source_lives_there():
    policy = HostPolicy()
    policy.allow("127.0.0.1")  # a source on loopback, as in these tests: allowed
    fetcher = Fetcher(FetchSettings(obey_robots=False), policy)
    assert fetcher.get("http://127.0.0.3:9/x").reason == "HostNotAllowed"
    policy.allow("127.0.0.4", source_host=False)  # a redirect target that happens to be private
    assert fetcher.get("http://127.0.0.4:9/x").reason == "PrivateAddress"
    fetcher.close()
