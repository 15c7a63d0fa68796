"""URL canonicalisation: one spelling per page, so a page is stored and fetched once."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl"
    r"|ocid|cmpid|ref_src|ref_url|__twitter_impression|at_medium|at_campaign|s_cid|spm)$",
    re.I | re.S,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadUrl(ValueError):
    """Not an absolute http(s) URL."""


def canonicalise(url: str, base: str | None = None) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    url = url.strip()
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"{url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise BadUrl(f"{url!r} is not an absolute http(s) URL")
    host = parts.hostname.lower().rstrip(".")
    if not host:
        raise BadUrl(f"{url!r} has no host name")
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    )
    # Stripped like the input: a path can end in spaces once a query or fragment is cut off.
    return urlunsplit((scheme, netloc, parts.path or "/", query, "")).strip()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


_DATE_IN_PATH = re.compile(r"/(20\d\d|19\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)")


def date_in_path(url: str) -> str | None:
    """'2026-09-14' for a WordPress-style /2026/09/14/slug/ URL."""
    match = _DATE_IN_PATH.search(urlsplit(url).path)
    return "-".join(match.groups()) if match else None
