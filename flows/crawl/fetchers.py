"""A fetcher described by value, so that a task on another machine can have one.

A Fetcher holds an HTTP client and the per-host state (locks, next request slot, robots.txt), none
of which can travel to a Dask worker. Tasks sent there get a FetcherSpec instead and ask it for the
worker process's Fetcher: one per spec and process, shared by every batch that runs there, so the
per-host limits hold across those batches (and across two runs with the same sources file) just as
one flow's Fetcher makes them hold across its threads. flows/runner.py sends all of a host's
batches to one worker, so that one Fetcher is the only one that contacts the host.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flows.crawl.archive import Archive
from flows.crawl.fetch import FetchSettings, Fetcher
from flows.crawl.hosts import HostLimits, HostPolicy


@dataclass(frozen=True)
class FetcherSpec:
    settings: FetchSettings
    hosts: tuple[tuple[str, HostLimits], ...]  # allowed hosts and their limits (the last one given wins)
    resolve: tuple[tuple[str, str], ...] = ()  # host -> address, as the crawler's [crawler] resolve
    archive_dir: str | None = None

    def build(self) -> Fetcher:
        """A new Fetcher of its own (the caller closes it)."""
        policy = HostPolicy(resolve=dict(self.resolve))
        for host, limits in self.hosts:
            policy.allow(host, limits)
        return Fetcher(self.settings, policy, Archive(self.archive_dir) if self.archive_dir else None)

    def shared(self) -> Fetcher:
        """This process's Fetcher for this spec, made on first use and kept for the process's life."""
        with _lock:
            fetcher = _fetchers.get(self)
            if fetcher is None:
                fetcher = _fetchers[self] = self.build()
            return fetcher


_fetchers: dict[FetcherSpec, Fetcher] = {}
_lock = threading.Lock()


def fetcher_of(given: Fetcher | FetcherSpec) -> Fetcher:
    """What a task fetches with: the flow's own Fetcher (same process), else its worker's for the spec."""
    return given.shared() if isinstance(given, FetcherSpec) else given
