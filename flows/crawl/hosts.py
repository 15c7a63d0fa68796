"""Per-host policy: which hosts may be fetched, how fast, and what their robots.txt allows."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field

from protego import Protego


class HostRefused(Exception):
    """Raised from the request hook so that a refused redirect target is never requested."""

    def __init__(self, reason: str, host: str) -> None:
        super().__init__(f"{reason}: {host}")
        self.reason = reason


@dataclass(frozen=True)
class HostLimits:
    requests_per_second: float = 1.0
    max_in_flight: int = 2


@dataclass
class _HostState:
    limits: HostLimits
    in_flight: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_slot: float = 0.0
    robots: Protego | None = None
    robots_text: str | None = None
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


def _resolves_private(host: str, resolve: dict[str, str] | None = None) -> bool:
    """True when any address of host is loopback, private, link-local or otherwise not public
    (a host the crawler's resolve map sends to a fixed address is judged by that address)."""
    if resolve and host in resolve:
        host = resolve[host]
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the fetch itself will fail as a connection error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return True
    return False


class HostPolicy:
    """Thread-safe; one per flow run, shared by every batch so limits hold across them."""

    def __init__(self, default: HostLimits = HostLimits(), resolve: dict[str, str] | None = None) -> None:
        self.default = default
        self.resolve = dict(resolve or {})  # host -> the address the fetcher connects to instead
        self._allowed: set[str] = set()
        self._private_ok: set[str] = set()
        self._limits: dict[str, HostLimits] = {}
        self._states: dict[str, _HostState] = {}
        self._private_cache: dict[str, bool] = {}
        self._lock = threading.Lock()

    def allow(self, host: str, limits: HostLimits | None = None, *, source_host: bool = True) -> None:
        """Allow a host; a source's own host may live on a private address (tests, intranets)."""
        host = host.lower()
        with self._lock:
            self._allowed.add(host)
            if limits is not None:
                self._limits[host] = limits
        if source_host and _resolves_private(host, self.resolve):
            self._private_ok.add(host)

    def check(self, host: str) -> None:
        """Raise HostRefused unless host is allowed and, if private, is a source's own host."""
        host = host.lower()
        if host not in self._allowed:
            raise HostRefused("HostNotAllowed", host)
        if host in self._private_ok:
            return
        with self._lock:
            private = self._private_cache.get(host)
        if private is None:
            private = _resolves_private(host, self.resolve)
            with self._lock:
                self._private_cache[host] = private
        if private:
            raise HostRefused("PrivateAddress", host)

    def state(self, host: str) -> _HostState:
        with self._lock:
            if host not in self._states:
                limits = self._limits.get(host, self.default)
                self._states[host] = _HostState(limits, threading.Semaphore(max(1, limits.max_in_flight)))
            return self._states[host]

    def wait_turn(self, host: str, user_agent: str) -> None:
        """Sleep until this host's next request slot (rate limit and robots Crawl-delay)."""
        state = self.state(host)
        rps = state.limits.requests_per_second
        interval = 1.0 / rps if rps > 0 else 0.0
        delay = state.robots.crawl_delay(user_agent) if state.robots is not None else None
        interval = max(interval, float(delay or 0.0))
        with state.lock:
            now = time.monotonic()
            start = max(now, state.next_slot)
            state.next_slot = start + interval
        if start > now:
            time.sleep(start - now)
