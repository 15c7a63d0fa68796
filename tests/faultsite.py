"""A real HTTP server on 127.0.0.1 that misbehaves the way news sites do, one fault per path."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))
PLACEHOLDER = "http://sample-site.invalid"


def sample_page(n: int, origin: str) -> bytes:
    path = INDEX[n]["path"].strip("/")
    return (SEEDS / "sample_site" / path / "index.html").read_bytes().replace(PLACEHOLDER.encode(), origin.encode())


CP1252_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Caf\u00e9 talks</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-09-20T10:00:00+05:00">
</head><body><article><h1>Caf\u00e9 diplomacy in Lahore</h1><div class="entry-content">
<p>Diplomats met at a caf\u00e9 in Lahore on Sunday, where the \u201cna\u00efve\u201d optimism of the r\u00e9sum\u00e9 writers
was tested by a \u20ac5 coffee and a long menu of grievances from both delegations.</p>
<p>Officials said the talks would continue next week in Islamabad, with trade and water on the agenda.</p>
</div></article></body></html>""".encode("cp1252")

GOOD = ("/good/1", "/good/2", "/retry-429", "/flap-503", "/wrong-charset")
BAD = {  # path -> (outcome, reason prefix)
    "/hang": ("transient", "ReadTimeout"),
    "/reset": ("transient", "RemoteProtocolError"),
    "/truncated-gzip": ("transient", "TruncatedBody"),
    "/too-big": ("hard", "TooLarge"),
    "/loop": ("hard", "TooManyRedirects"),
    "/away": ("hard", "HostNotAllowed"),
    "/private/secret": ("hard", "Forbidden by robots.txt"),
    "/gone": ("hard", "HTTP 404"),
    "/report.pdf": ("hard", "unsupported content type application/pdf"),
}
BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/&lol3;</loc></url></urlset>"""


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: Counter  # set on the class by serve_faults
    max_bytes: int

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802, C901 - one branch per fault is the point
        origin = f"http://{self.headers['Host']}"
        path = self.path
        self.hits[path] += 1
        n = self.hits[path]
        if path == "/robots.txt":
            self._send(200, f"User-agent: *\nDisallow: /private/\nSitemap: {origin}/sitemap-lol.xml\n".encode(),
                       "text/plain")
        elif path == "/feed.xml":
            items = "".join(f"<item><title>x</title><link>{origin}{p}</link></item>" for p in (*GOOD, *BAD))
            self._send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(),
                       "application/rss+xml")
        elif path == "/bad-feed.xml":
            self._send(200, b"<html><body><h1>Database error</h1></body></html>", "application/rss+xml")
        elif path == "/sitemap-lol.xml":
            self._send(200, BILLION_LAUGHS, "application/xml")
        elif path in ("/good/1", "/good/2"):
            self._send(200, sample_page(int(path[-1]), origin))
        elif path == "/retry-429":
            if n == 1:
                self._send(429, b"slow down", Retry_After="1")
            else:
                self._send(200, sample_page(3, origin))
        elif path == "/flap-503":
            if n <= 2:
                self._send(503, b"unavailable")
            else:
                self._send(200, sample_page(4, origin))
        elif path == "/wrong-charset":
            self._send(200, CP1252_PAGE)
        elif path == "/hang":
            time.sleep(3)
            self._send(200, sample_page(5, origin))
        elif path == "/reset":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            self.wfile.write(sample_page(6, origin)[:1000])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
        elif path == "/truncated-gzip":
            body = gzip.compress(sample_page(7, origin))
            self._send(200, body[: len(body) // 2], Content_Encoding="gzip")
        elif path == "/too-big":
            self._send(200, b"<html><body>" + b"<p>word </p>" * (self.max_bytes // 8) + b"</body></html>")
        elif path == "/loop":
            self._send(302, b"", Location="/loop")
        elif path == "/away":
            self._send(302, b"", Location=f"http://localhost:{self.server.server_address[1]}/good/1")
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        else:
            self._send(404, b"<html><body>Not found</body></html>")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that gave up on /hang and /reset are the point of those paths


@contextmanager
def serve_faults(max_bytes: int):
    handler = type("Handler", (FaultHandler,), {"hits": Counter(), "max_bytes": max_bytes})
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    finally:
        server.shutdown()
        server.server_close()
