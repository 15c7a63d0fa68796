"""Discovery of one source with conditional requests: unchanged feeds and sitemaps cost a 304."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flows.crawl.fetch import FetchResult, Fetcher, conditional_headers
from flows.crawl.fetchlog import FetchLog
from transforms.feeds import (
    Discovered,
    DiscoveryError,
    hint_rank,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from transforms.outcome import Outcome
from transforms.sources import Source
from transforms.urls import BadUrl, canonicalise
from warehouse.state import DocState

# Sitemap indexes nest; real sites go two levels deep at most.
MAX_SITEMAP_DEPTH = 3


@dataclass
class Discovery:
    """What one source's discovery produced, ready to be recorded by the load step."""

    source_id: str
    urls: dict[str, Discovered] = field(default_factory=dict)
    log: FetchLog = field(default_factory=FetchLog)
    states: list[dict] = field(default_factory=list)
    unchanged_docs: int = 0

    def add(self, found: list[Discovered], pattern: re.Pattern | None = None) -> None:
        for item in found:
            if pattern is not None and not pattern.search(urlsplit(item.url).path):
                continue
            known = self.urls.get(item.url)
            if known is None or (item.date_hint is not None and
                                 (known.date_hint is None or hint_rank(item.hint_source) < hint_rank(known.hint_source))):
                self.urls[item.url] = item

    def discovered_rows(self, seen_at: datetime) -> list[dict]:
        return [{"url": d.url, "source_id": self.source_id, "via": d.via, "date_hint": d.date_hint,
                 "hint_source": d.hint_source, "seen_at": seen_at} for d in self.urls.values()]


class Discoverer:
    def __init__(self, source: Source, fetcher: Fetcher, prior: dict[str, DocState], logger: logging.Logger):
        self.source, self.fetcher, self.prior, self.logger = source, fetcher, prior, logger
        self.out = Discovery(source.id)
        self.pattern = re.compile(source.article_pattern) if source.article_pattern else None

    def run(self) -> Discovery:
        s = self.source
        sitemaps_from_robots = self._robots()
        for url in s.feeds:
            if (result := self._fetch_doc(url, "feed")) is not None:
                self._parse(url, lambda: parse_feed(result.body, url), None)
        self._sitemaps(list(dict.fromkeys(s.sitemaps + tuple(sitemaps_from_robots))))
        for start in s.listings:
            url, pages = start, 0
            while url and pages <= s.listing_depth:
                if (result := self._fetch_doc(url, "listing")) is None:
                    break  # unchanged or failed: its next pages are not needed now
                page = self._parse(url, lambda r=result: parse_listing(r.body, r.final_url, s.article_pattern), None)
                if page is None:
                    break
                url, pages = page.next_url, pages + 1
        return self.out

    def _robots(self) -> list[str]:
        """Fetch robots.txt conditionally and hand its text to the fetcher's host policy."""
        first = (self.source.feeds + self.source.sitemaps + self.source.listings)[0]
        robots_url = canonicalise("/robots.txt", first)
        prior = self.prior.get(robots_url)
        result = self.fetcher.get(robots_url, self._conditional(prior), check_robots=False)
        # No robots.txt (404, 410) means everything is allowed: logged, but no failure.
        self.out.log.add(result, self.source.id, expected=result.http_status in (404, 410))
        if result.outcome is Outcome.NOT_MODIFIED and prior is not None:
            text = prior.body_text or ""
        else:
            text = result.body.decode("utf-8", "replace") if result.ok else ""
            self._remember(result, "robots", body_text=text)
        robots, _ = self.fetcher.robots_for(robots_url, cached=text)
        sitemaps = []
        for line in (robots.sitemaps if robots is not None else []):
            try:
                sitemaps.append(canonicalise(line, robots_url))
            except BadUrl:
                self.logger.warning("robots.txt of %s: ignoring bad Sitemap: line %r", self.source.id, line)
        return sitemaps

    def _sitemaps(self, roots: list[str]) -> None:
        pending = [(url, 0) for url in roots]
        seen: set[str] = set()
        while pending:
            url, depth = pending.pop(0)
            if url in seen or depth > MAX_SITEMAP_DEPTH:
                continue
            seen.add(url)
            result = self._fetch_doc(url, "sitemap")
            if result is None:
                # Unchanged index: its sitemaps may still have changed, so ask each of them.
                prior = self.prior.get(url)
                pending.extend((child, depth + 1) for child in (prior.children if prior else ()))
                continue
            page = self._parse(url, lambda: parse_sitemap(result.body, url), self.pattern)
            children = [c.url for c in page.sitemaps] if page is not None else []
            self.out.states[-1]["children"] = children
            pending.extend((child, depth + 1) for child in children)

    def _conditional(self, prior: DocState | None) -> dict[str, str]:
        return conditional_headers(prior.etag, prior.last_modified) if prior else {}

    def _fetch_doc(self, url: str, kind: str) -> FetchResult | None:
        """The fetched document, or None when it is unchanged (304 or same body) or failed."""
        prior = self.prior.get(url)
        result = self.fetcher.get(url, self._conditional(prior))
        if result.outcome is Outcome.NOT_MODIFIED:
            self.out.log.add(result, self.source.id)
            self.out.unchanged_docs += 1
            return None
        if not result.ok:
            self.out.log.add(result, self.source.id)
            self.logger.warning("%s %s: %s (%s)", kind, url, result.outcome.value, result.reason)
            return None
        same_body = prior is not None and prior.body_sha256 == result.body_sha256
        self.out.log.add(result, self.source.id, Outcome.NOT_MODIFIED if same_body else None,
                         "unchanged body hash" if same_body else None)
        self._remember(result, kind, children=list(prior.children) if (same_body and prior) else None)
        if same_body:
            self.out.unchanged_docs += 1
            return None
        return result

    def _remember(self, result: FetchResult, kind: str, children=None, body_text=None) -> None:
        self.out.states.append({
            "url": result.url, "source_id": self.source.id, "kind": kind, "etag": result.etag,
            "last_modified": result.last_modified, "body_sha256": result.body_sha256,
            "children": children, "body_text": body_text, "last_status": result.http_status,
            "last_fetched_at": result.fetched_at.astimezone(timezone.utc),
        })

    def _parse(self, url: str, parse, pattern):
        try:
            parsed = parse()
        except DiscoveryError as exc:
            self.logger.warning("%s", exc)
            self.out.log.downgrade(url, Outcome.SOFT, str(exc).removeprefix(f"{url}: "))
            return None
        self.out.add(parsed if isinstance(parsed, list) else parsed.articles, pattern)
        return parsed
