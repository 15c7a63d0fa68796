"""Fetch outcomes as values, classified in one place.

    ok            the body is usable
    not-modified  304: the stored copy is current; no parsing
    soft          fetched, but not what we wanted (no article in it, empty body)
    hard          will not get better by retrying (404, 410, wrong content type, too large)
    transient     may succeed later (timeouts, connection errors, 429, 5xx gateways)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Outcome(str, Enum):
    OK = "ok"
    NOT_MODIFIED = "not-modified"
    SOFT = "soft"
    HARD = "hard"
    TRANSIENT = "transient"


TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml",
                  "application/rss+xml", "application/atom+xml", "application/rdf+xml",
                  "application/x-gzip", "application/gzip", "text/plain")


# Transport-level refusals that retrying cannot fix; every other error is transient.
HARD_ERRORS = frozenset({"TooLarge", "TooManyRedirects", "Forbidden by robots.txt", "HostNotAllowed",
                         "PrivateAddress", "UnsupportedProtocol", "InvalidURL", "UnsupportedEncoding"})


@dataclass(frozen=True, slots=True)
class Classified:
    outcome: Outcome
    reason: str


def classify(http_status: int | None, content_type: str | None = None, error: str | None = None) -> Classified:
    """Decide the outcome of one fetch from its status, content type, or transport error name."""
    if error is not None:
        if error in HARD_ERRORS or error.split(" ")[0] in HARD_ERRORS:
            return Classified(Outcome.HARD, error)
        return Classified(Outcome.TRANSIENT, error)
    if http_status is None:
        return Classified(Outcome.TRANSIENT, "no response")
    if http_status == 304:
        return Classified(Outcome.NOT_MODIFIED, "304 not modified")
    if http_status in TRANSIENT_STATUSES:
        return Classified(Outcome.TRANSIENT, f"HTTP {http_status}")
    if http_status >= 400:
        return Classified(Outcome.HARD, f"HTTP {http_status}")
    if 200 <= http_status < 300:
        media = (content_type or "").split(";")[0].strip().lower()
        if media and not media.startswith(ACCEPTED_TYPES):
            return Classified(Outcome.HARD, f"unsupported content type {media}")
        return Classified(Outcome.OK, f"HTTP {http_status}")
    return Classified(Outcome.HARD, f"unexpected HTTP {http_status}")
