"""A synthetic news site of N article pages, varied like the sample site, served on 127.0.0.1.

Page i is sample article i % 47 (four themes, ads, figures, comments, JSON-LD or
not) under its own URL, with its own canonical link, headline and title, so
every page is a distinct article with real-world markup. Pages are rendered on
request, so the server's memory does not grow with N.

    python benchmarks/benchsite.py --pages 3000   # prints its origin, serves until killed
"""

from __future__ import annotations

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACEHOLDER = "http://sample-site.invalid"
INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))
TEMPLATES = [(e["path"], e["headline"], (SEEDS / "sample_site" / e["path"].strip("/") / "index.html").read_text("utf-8"))
             for e in INDEX]


def page_path(i: int) -> str:
    path = TEMPLATES[i % len(TEMPLATES)][0]
    return f"{path.rstrip('/')}-{i}/"


def render(i: int, origin: str) -> bytes:
    path, headline, html = TEMPLATES[i % len(TEMPLATES)]
    html = html.replace(f"{PLACEHOLDER}{path}", f"{origin}{page_path(i)}").replace(PLACEHOLDER, origin)
    return html.replace(headline, f"{headline} [{i}]").encode("utf-8")


def make_handler(n: int):
    by_path = {page_path(i): i for i in range(n)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the body waits for the
        # client's delayed ACK (40 ms on Linux) on every keep-alive request. Real servers
        # set TCP_NODELAY; without it this server, not the pipeline, sets the pace.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            origin = f"http://{self.headers['Host']}"
            if self.path == "/robots.txt":
                self._send(f"User-agent: *\nAllow: /\nSitemap: {origin}/sitemap.xml\n".encode(), "text/plain")
            elif self.path == "/sitemap.xml":
                urls = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in by_path)
                self._send(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           f"{urls}</urlset>".encode(), "application/xml")
            elif self.path in by_path:
                self._send(render(by_path[self.path], origin), "text/html; charset=utf-8")
            else:
                self._send(b"not found", "text/plain", 404)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.pages))
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
