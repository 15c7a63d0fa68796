"""Small real sites for tests: pages held in memory, served on 127.0.0.1 under any host names.

The crawler reaches the server through its resolve map (like curl --resolve), so a test site can
have several hosts (news.test, www.news.test, m.news.test) and stable URLs on one local port.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import urlsplit


@dataclass
class Site:
    """host/path?query -> (content type, body); what was asked for is counted in hits."""

    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    address: str = ""  # 127.0.0.1:PORT once served

    def add(self, url: str, body: str | bytes, ctype: str = "text/html") -> None:
        parts = urlsplit(url)
        key = parts.netloc.lower() + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.pages[key] = (ctype, body.encode("utf-8") if isinstance(body, str) else body)

    def resolve_toml(self, *hosts: str) -> str:
        entries = ", ".join(f'"{h}" = "{self.address}"' for h in hosts)
        return f"[crawler]\nresolve = {{ {entries} }}\n"


def article_html(headline: str, paragraphs: list[str], *, canonical: str | None = None,
                 published: str | None = None, og_type: str = "article") -> str:
    head = f"<title>{headline} - The Test Times</title><meta property=\"og:type\" content=\"{og_type}\">"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">{head}</head><body>"
            f"<header><nav><a href=\"/\">Home</a> <a href=\"/world/\">World</a></nav></header>"
            f"<main><article><h1>{headline}</h1><div class=\"entry-content\">{body}</div></article></main>"
            f"<footer>© The Test Times</footer></body></html>")


def rss(items: list[tuple[str, datetime | None]]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>']
    for url, when in items:
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        out.append(f"<item><title>x</title><link>{url}</link>{date}</item>")
    return "".join(out) + "</channel></rss>"


def sitemap(items: list[tuple[str, str | None]]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in items:
        out.append(f"<url><loc>{url}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    return "".join(out) + "</urlset>"


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve the site's pages (by Host header and path; 404 otherwise) until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            key = (self.headers.get("Host") or "").lower() + self.path
            site.hits.append(key)
            page = site.pages.get(key)
            status, ctype, body = (200, *page) if page else (404, "text/html", b"not found")
            self.send_response(status)
            self.send_header("Content-Type", ctype)  # no charset: many servers send none
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.address = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
