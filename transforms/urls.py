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


# --- story identity ---------------------------------------------------------------------------
# Spellings of one story's URL that publishers serve side by side. Each rule was taken from a
# convention many sites share (AMP, mobile hosts, directory indexes), never from one page.
# Host labels that name a rendition of the same site, not another site.
RENDITION_HOST_LABELS = re.compile(r"^(?:www\d*|m|mobile|amp)\.", re.I)
# AMP renditions: /amp and /amp/ at the end or start of the path, and name.amp.html.
AMP_PATH = re.compile(r"(?:/amp/?$)|(?:^/amp(?=/))|(?:\.amp(?=\.html?$))", re.I)
# Query parameters that only ask for the AMP rendition.
AMP_PARAMS = re.compile(r"^(?:amp|outputtype|output)$", re.I)
AMP_VALUES = frozenset({"", "1", "true", "amp"})
# A directory's index document is the directory.
INDEX_DOCUMENT = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.I)


def story_key(url: str) -> str:
    """The identity of the page behind url within its site: one key for every rendition of it.

    http and https, the www./m./amp. hosts, AMP paths and parameters, a trailing slash, an
    index document, tracking parameters and the order of the other query parameters are all
    renditions of one page. The key is not a URL one can fetch (it has no scheme); it is what
    article identity and "already stored?" compare.
    """
    parts = urlsplit(canonicalise(url))
    host = RENDITION_HOST_LABELS.sub("", parts.netloc, count=1)
    path = INDEX_DOCUMENT.sub("/", parts.path)
    path = AMP_PATH.sub("", path).rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not (AMP_PARAMS.match(k) and v.lower() in AMP_VALUES))
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def site_of(url: str) -> str:
    """The site a URL belongs to: its registrable domain (bbc.co.uk), else its host without a
    rendition label (for hosts the public suffix list does not know: IPs, .test, .invalid)."""
    from tld import get_fld  # bundled public suffix list, no network

    host = host_of(url)
    return get_fld(url, fail_silently=True) or RENDITION_HOST_LABELS.sub("", host, count=1)


def same_site(a: str, b: str) -> bool:
    """Whether two absolute URLs belong to one site (amp.theguardian.com and www.theguardian.com do)."""
    try:
        return site_of(a) == site_of(b)
    except ValueError:
        return False
