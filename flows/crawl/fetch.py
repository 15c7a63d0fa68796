"""All network I/O: one httpx client, polite per host, every fetch ending in an outcome value.

The one place that catches transport exceptions is Fetcher._once; everything
above it sees FetchResult values and their Outcome.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx
from protego import Protego
from tenacity import Retrying, retry_if_result, stop_after_attempt

from flows.crawl.archive import Archive
from flows.crawl.bodies import BodyError, decompress_capped
from flows.crawl.hosts import HostLimits, HostPolicy, HostRefused
from transforms.outcome import Outcome, classify
from transforms.urls import host_of

USER_AGENT = os.environ.get(
    "NEWSWIRE_USER_AGENT", "newswire/0.1 (+https://github.com/newswire/newswire; news research crawler)")

# Decoded in flows.crawl.bodies, which checks for truncation and caps decompression.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024  # decoded bytes; cut while streaming
    max_redirects: int = 5
    attempts: int = 3  # first try plus retries, for transient outcomes only
    backoff_base: float = 0.5  # seconds; doubles per retry, with full jitter
    backoff_cap: float = 30.0  # no single wait (Retry-After included) exceeds this
    obey_robots: bool = True
    resolve: tuple[tuple[str, str, int], ...] = ()  # (host, address, port), as curl --resolve


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
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def body_sha256(self) -> str | None:
        return hashlib.sha256(self.body).hexdigest() if self.ok else None


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


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class ResolvingTransport(httpx.BaseTransport):
    """Connects to a fixed address for some host names, as curl --resolve does: the request keeps
    its URL and Host header, so the server, the redirects and everything recorded see the name."""

    def __init__(self, resolve: tuple[tuple[str, str, int], ...], inner: httpx.BaseTransport) -> None:
        self.targets = {host: (address, port) for host, address, port in resolve}
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = self.targets.get(request.url.host)
        if target is None:
            return self.inner.handle_request(request)
        named = request.url
        request.url = named.copy_with(host=target[0], port=target[1])
        try:
            return self.inner.handle_request(request)
        finally:
            request.url = named  # the response's URL is the named one

    def close(self) -> None:
        self.inner.close()


class Fetcher:
    """Thread-safe: batches of one flow share it, so per-host limits hold across them."""

    def __init__(self, settings: FetchSettings = FetchSettings(), policy: HostPolicy | None = None,
                 archive: Archive | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.policy = policy
        self.archive = archive
        self.requests = 0  # requests sent, for summaries and benchmarks
        if settings.resolve:
            transport = ResolvingTransport(settings.resolve, transport or httpx.HTTPTransport())
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=True, max_redirects=settings.max_redirects, transport=transport,
            event_hooks={"request": [self._before_request]},
        )

    @classmethod
    def for_hosts(cls, hosts: dict[str, HostLimits], **kwargs) -> "Fetcher":
        policy = HostPolicy()
        for host, limits in hosts.items():
            policy.allow(host, limits)
        return cls(policy=policy, **kwargs)

    def close(self) -> None:
        self.client.close()

    def _before_request(self, request: httpx.Request) -> None:
        """Every request, redirects included, passes here: refused hosts are never contacted."""
        if self.policy is not None:
            self.policy.check(request.url.host)
        self.requests += 1

    # robots.txt ---------------------------------------------------------------
    def robots_for(self, url: str, cached: str | None = None) -> tuple[Protego | None, str | None]:
        """The host's parsed robots.txt; fetched once per run unless a cached text is given."""
        if self.policy is None or not self.settings.obey_robots:
            return None, None
        state = self.policy.state(host_of(url))
        with state.robots_lock:  # held while loading, so no fetch slips past unchecked
            if state.robots is None:
                text = cached
                if text is None:
                    robots_url = str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None))
                    result = self._once(robots_url, {})
                    # A missing or unreadable robots.txt allows everything, by convention.
                    text = result.body.decode("utf-8", "replace") if result.ok else ""
                state.robots = Protego.parse(text)
                state.robots_text = text
            return state.robots, state.robots_text

    # fetching -----------------------------------------------------------------
    def get(self, url: str, headers: dict[str, str] | None = None, *, check_robots: bool = True) -> FetchResult:
        """Fetch with retries on transient outcomes (exponential backoff, jitter, Retry-After)."""
        host = host_of(url)
        if self.policy is not None:
            try:
                self.policy.check(host)
            except HostRefused as exc:
                return self._refused(url, exc.reason)
            robots, _ = self.robots_for(url) if check_robots else (None, None)
            if robots is not None and not robots.can_fetch(url, self.settings.user_agent):
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
        attempts = 0

        def attempt() -> FetchResult:
            nonlocal attempts
            attempts += 1
            return self._polite_once(url, headers or {})

        result = retrying(attempt)
        return result if attempts == 1 else _with_attempts(result, attempts)

    def _polite_once(self, url: str, headers: dict[str, str]) -> FetchResult:
        if self.policy is None:
            return self._once(url, headers)
        state = self.policy.state(host_of(url))
        with state.in_flight:
            self.policy.wait_turn(host_of(url), self.settings.user_agent)
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
        except HostRefused as exc:
            return self._failed(url, exc.reason, fetched_at, started)
        except BodyError as exc:
            return self._failed(url, exc.reason, fetched_at, started)
        except httpx.TooManyRedirects:
            return self._failed(url, "TooManyRedirects", fetched_at, started)
        except httpx.HTTPError as exc:  # timeouts, resets, bad gzip: transient by classify()
            return self._failed(url, type(exc).__name__, fetched_at, started)
        ctype = response.headers.get("content-type")
        c = classify(response.status_code, ctype)
        if self.archive is not None and response.status_code != 304:
            self.archive.append(str(response.url), response.status_code, response.reason_phrase,
                                list(response.headers.items()), body, fetched_at)
        return FetchResult(
            url=url, final_url=str(response.url), outcome=c.outcome, http_status=response.status_code,
            reason=c.reason, fetched_at=fetched_at, elapsed_ms=(time.perf_counter() - started) * 1000,
            body=body if c.outcome is Outcome.OK else b"", content_type=ctype,
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
            retry_after=_retry_after(response.headers.get("retry-after")),
        )

    def _read_capped(self, response: httpx.Response) -> bytes:
        """Decoded body, cut off at max_bytes while streaming (a decompression bomb stops here too)."""
        declared = response.headers.get("content-length")
        encoding = response.headers.get("content-encoding")
        if declared and declared.isdigit() and not encoding and int(declared) > self.settings.max_bytes:
            raise BodyError("TooLarge")
        return decompress_capped(response.iter_raw(), encoding, self.settings.max_bytes)

    def _failed(self, url: str, error: str, fetched_at: datetime, started: float) -> FetchResult:
        c = classify(None, error=error)
        return FetchResult(url, url, c.outcome, None, c.reason, fetched_at, (time.perf_counter() - started) * 1000)


def _with_attempts(result: FetchResult, attempts: int) -> FetchResult:
    return replace(result, attempts=attempts)
