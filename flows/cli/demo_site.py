"""Serve seeds/sample_site on 127.0.0.1, its absolute URLs on the origin it is asked for."""

from __future__ import annotations

import mimetypes
import threading
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from hashlib import sha256
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "seeds" / "sample_site"
# Every absolute URL in the generated site uses this origin. The server puts in the origin it
# is asked for (the Host header): the demo's crawler asks for this one (resolved to the local
# server, flows.cli.demo_sources_toml), so its stored URLs never depend on the port; a client
# that asks for 127.0.0.1:PORT gets links to 127.0.0.1:PORT. ".invalid" never resolves, so
# nothing of the demo can reach the internet.
DEMO_ORIGIN = "http://sample-site.invalid"
PLACEHOLDER_ORIGIN = DEMO_ORIGIN.encode()
DEMO_SOURCE_ID = "sample"


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, root: Path, **kwargs):
        self.root = root
        super().__init__(*args, directory=str(root), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - quiet: the flow logs fetches itself
        pass

    def do_GET(self):  # noqa: N802
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or self.root not in path.resolve().parents:
            self.send_error(404, "Not Found")
            return
        origin = f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address[:2]}"
        body = path.read_bytes().replace(PLACEHOLDER_ORIGIN, origin.encode())
        etag = '"%s"' % sha256(body).hexdigest()[:16]
        mtime = path.stat().st_mtime
        if self.headers.get("If-None-Match") == etag or _not_modified_since(self.headers.get("If-Modified-Since"), mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".xml":
            ctype = "application/rss+xml" if path.name.startswith("feed") else "application/xml"
        if ctype.startswith("text/") or ctype.endswith("xml"):
            ctype += "; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        self.end_headers()
        self.wfile.write(body)


def _not_modified_since(header: str | None, mtime: float) -> bool:
    if not header:
        return False
    try:
        return int(mtime) <= parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError):
        return False


@contextmanager
def serve_site(root: Path = SAMPLE_SITE, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a static site on a free port in a background thread; yields its origin URL."""
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root}: no sample site here; regenerate it with `uv run python seeds/make_sample_site.py`")
    server = ThreadingHTTPServer((host, port), partial(_Handler, root=root.resolve()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_sources_toml(server: str) -> str:
    """The demo's sources file: the sample site under its own stable origin (DEMO_ORIGIN), which
    the crawler sends to `server` (http://127.0.0.1:PORT, a new port each time). Every URL stored
    is on the stable origin, so a second demo run recognises every article it stored before."""
    host = DEMO_ORIGIN.removeprefix("http://")
    address = server.removeprefix("http://")
    return f"""# The bundled sample site, served by `newswire ingest --demo` at {server}
[crawler]
# The site keeps its own origin; only the connection goes to the local server.
resolve = {{ "{host}" = "{address}" }}

[[sources]]
id = "{DEMO_SOURCE_ID}"
name = "Daily Pak Urdu News (offline sample)"
feeds = ["{DEMO_ORIGIN}/feed.xml"]
sitemaps = ["{DEMO_ORIGIN}/sitemap_index.xml"]
listings = ["{DEMO_ORIGIN}/"]
date_archives = ["{DEMO_ORIGIN}/{{yyyy}}/{{mm}}/{{dd}}/"]
# Its sitemaps also list the home and about pages; only dated posts are articles.
article_pattern = '^/[0-9]{{4}}/[0-9]{{2}}/[0-9]{{2}}/[^/]+/$'
# The demo server is local; politeness delays would only slow the demo down.
requests_per_second = 0
max_in_flight = 4
"""
