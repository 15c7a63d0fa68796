"""All network I/O: one httpx client, polite per host, every fetch ending in an outcome value."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx
from protego import Protego
from tenacity import Retrying, retry_if_result, stop_after_attempt

from transforms.outcome import Outcome, classify
from transforms.urls import host_of

USER_AGENT = "newswire/0.1 (+https://github.com/newswire/newswire; news research crawler)"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    attempts: int = 3  # first try plus retries, for transient outcomes only
    backoff_base: float = 0.5  # seconds; doubles per retry, with full jitter
    backoff_cap: float = 30.0
    requests_per_second: float = 1.0  # per host
    max_in_flight: int = 2  # per host
    obey_robots: bool = True


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    outcome: Outcome
    http_status: int | None
    reason: str
    fetched_at: datetime
    elapsed_ms: float
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_slot: float = 0.0
    in_flight: threading.Semaphore | None = None
    robots: Protego | None = None
    robots_loaded: bool = False
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


class _TooLarge(Exception):
    pass


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class Fetcher:
    """Thread-safe: batches of one flow share it, so per-host limits hold across them."""

    def __init__(self, settings: FetchSettings = FetchSettings(), allowed_hosts: set[str] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.allowed_hosts = allowed_hosts
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=True, max_redirects=settings.max_redirects, transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def _host(self, host: str) -> _Host:
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = _Host(in_flight=threading.Semaphore(self.settings.max_in_flight))
            return self._hosts[host]

    def _wait_turn(self, state: _Host) -> None:
        interval = 1.0 / self.settings.requests_per_second if self.settings.requests_per_second > 0 else 0.0
        delay = state.robots.crawl_delay(self.settings.user_agent) if state.robots else None
        interval = max(interval, float(delay or 0))
        with state.lock:
            now = time.monotonic()
            start = max(now, state.next_slot)
            state.next_slot = start + interval
        if start > now:
            time.sleep(start - now)

    def _load_robots(self, url: str, state: _Host) -> None:
        with state.robots_lock:  # held while loading, so no fetch slips past unchecked
            if state.robots_loaded:
                return
            robots_url = httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None)
            result = self._once(str(robots_url), {})
            # A missing or unreadable robots.txt allows everything, as crawlers conventionally read it.
            text = result.body.decode("utf-8", "replace") if result.ok else ""
            state.robots = Protego.parse(text)
            state.robots_loaded = True

    def robots_sitemaps(self, url: str) -> list[str]:
        state = self._host(host_of(url))
        if self.settings.obey_robots:
            self._load_robots(url, state)
        return list(state.robots.sitemaps) if state.robots else []

    def get(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch with retries on transient outcomes (exponential backoff, jitter, Retry-After)."""
        host = host_of(url)
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return self._refused(url, "HostNotAllowed")
        state = self._host(host)
        if self.settings.obey_robots:
            self._load_robots(url, state)
            if state.robots and not state.robots.can_fetch(url, self.settings.user_agent):
                return self._refused(url, "Forbidden by robots.txt")
        s = self.settings

        def wait(retry_state) -> float:
            last = retry_state.outcome.result()
            backoff = random.uniform(0, min(s.backoff_cap, s.backoff_base * 2 ** retry_state.attempt_number))
            return min(s.backoff_cap, max(backoff, last.retry_after or 0.0))

        retrying = Retrying(
            stop=stop_after_attempt(s.attempts), wait=wait,
            retry=retry_if_result(lambda r: r.outcome is Outcome.TRANSIENT),
            retry_error_callback=lambda retry_state: retry_state.outcome.result(),  # give up: last outcome
        )
        return retrying(self._polite_once, url, headers or {}, state)

    def _polite_once(self, url: str, headers: dict[str, str], state: _Host) -> FetchResult:
        with state.in_flight:
            self._wait_turn(state)
            return self._once(url, headers)

    def _refused(self, url: str, reason: str) -> FetchResult:
        c = classify(None, error=reason)
        return FetchResult(url, url, c.outcome, None, c.reason, datetime.now(timezone.utc), 0.0)

    def _once(self, url: str, headers: dict[str, str]) -> FetchResult:
        started = time.perf_counter()
        fetched_at = datetime.now(timezone.utc)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                body = self._read_capped(response)
        except _TooLarge:
            return self._failed(url, "TooLarge", fetched_at, started)
        except httpx.TooManyRedirects:
            return self._failed(url, "TooManyRedirects", fetched_at, started)
        except httpx.HTTPError as exc:
            return self._failed(url, type(exc).__name__, fetched_at, started)
        ctype = response.headers.get("content-type")
        c = classify(response.status_code, ctype)
        final = str(response.url)
        if self.allowed_hosts is not None and host_of(final) not in self.allowed_hosts:
            c = classify(None, error="HostNotAllowed")
        return FetchResult(
            url=url, final_url=final, outcome=c.outcome, http_status=response.status_code, reason=c.reason,
            fetched_at=fetched_at, elapsed_ms=(time.perf_counter() - started) * 1000,
            body=body if c.outcome is Outcome.OK else b"", content_type=ctype,
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
            retry_after=_retry_after(response.headers.get("retry-after")),
        )

    def _read_capped(self, response: httpx.Response) -> bytes:
        """Decoded body, cut off at max_bytes while streaming (a decompression bomb stops here too)."""
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > self.settings.max_bytes:
                raise _TooLarge()
            chunks.append(chunk)
        return b"".join(chunks)

    def _failed(self, url: str, error: str, fetched_at: datetime, started: float) -> FetchResult:
        c = classify(None, error=error)
        return FetchResult(url, url, c.outcome, None, c.reason, fetched_at, (time.perf_counter() - started) * 1000)
