"""A news site of N article pages served on 127.0.0.1: the sample site's, or real publishers'.

--corpus sample (default): page i is sample article i % 47 (four themes, ads,
figures, comments, JSON-LD or not) under its own URL, with its own canonical
link, headline and title. --corpus real: page i is real page i % 216 of
../shared (extraction-dev and extraction-readability: many publishers, eight
languages, 5-500 KB each), its title and headline marked with i, served as
`text/html` without a charset as many servers do. Either way every page is a
distinct article with real-world markup. Pages are rendered on request, so the
server's memory does not grow with N.

    python benchmarks/benchsite.py --pages 3000 [--corpus real]   # prints its origin, serves until killed
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACEHOLDER = "http://sample-site.invalid"
INDEX = json.loads((SEEDS / "sample_site_expected" / "index.json").read_text("utf-8"))
TEMPLATES = [(e["path"], e["headline"], (SEEDS / "sample_site" / e["path"].strip("/") / "index.html").read_text("utf-8"))
             for e in INDEX]


SHARED = SEEDS.parent.parent / "shared"
REAL_CORPORA = ("extraction-dev", "extraction-readability")
CORPORA = ("sample", "real")


@cache
def real_pages() -> list[tuple[str, bytes]]:
    """(id, html) of every real page of ../shared, in a fixed order."""
    pages = []
    for corpus in REAL_CORPORA:
        folder = SHARED / corpus
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: the real corpora must be beside the project (../shared)")
        truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
        pages += [(f"{corpus}-{key}", gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()))
                  for key in sorted(truth)]
    return pages


def page_path(i: int, corpus: str = "sample") -> str:
    if corpus == "real":
        key = real_pages()[i % len(real_pages())][0]
        return f"/real/{key}-{i}.html"
    path = TEMPLATES[i % len(TEMPLATES)][0]
    return f"{path.rstrip('/')}-{i}/"


_TITLE_END = re.compile(rb"</title>", re.I)
_H1_END = re.compile(rb"</h1>", re.I)


def render(i: int, origin: str, corpus: str = "sample") -> bytes:
    if corpus == "real":
        html = real_pages()[i % len(real_pages())][1]
        mark = f" [{i}]".encode()
        return _H1_END.sub(mark + b"</h1>", _TITLE_END.sub(mark + b"</title>", html, count=1), count=1)
    path, headline, html = TEMPLATES[i % len(TEMPLATES)]
    html = html.replace(f"{PLACEHOLDER}{path}", f"{origin}{page_path(i)}").replace(PLACEHOLDER, origin)
    return html.replace(headline, f"{headline} [{i}]").encode("utf-8")


def make_handler(n: int, corpus: str = "sample"):
    by_path = {page_path(i, corpus): i for i in range(n)}
    # Real pages go out as many servers send them: text/html, no charset (the bytes say it, or not).
    html_type = "text/html" if corpus == "real" else "text/html; charset=utf-8"

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
                self._send(render(by_path[self.path], origin, corpus), html_type)
            else:
                self._send(b"not found", "text/plain", 404)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--corpus", choices=CORPORA, default="sample")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.pages, args.corpus))
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
