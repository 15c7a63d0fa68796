"""Raw archive: every fetched response appended to one WARC file per day, to re-extract offline."""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Bodies are stored decoded (httpx removes the transfer compression), so the
# headers that described the wire encoding would lie about the stored bytes.
_WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
# zlib level of each record's gzip member. warcio compresses at 9, which took a third of the
# flow process's CPU on real pages (benchmarks/ingest.py --corpus real, py-spy). On the 123
# pages of ../shared/extraction-dev (186 KB on average) level 9 costs 10.2 ms a page for 0.193
# of the size, level 6 6.3 ms for 0.195, level 3 2.3 ms for 0.218, level 1 2.2 ms for 0.231.
GZIP_LEVEL = 3


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime


class Archive:
    """Appends gzip-member WARC records; a record is whole or absent (one member per write)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()

    def path_for(self, when: datetime) -> Path:
        return self.directory / f"newswire-{when:%Y%m%d}.warc.gz"

    def append(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
               fetched_at: datetime) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        writer.write_record(record)
        member = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)  # one gzip member a record
        data = member.compress(buffer.getvalue()) + member.flush()
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(self.path_for(fetched_at), "ab") as fh:
                fh.write(data)


def read_archive(paths: list[Path]) -> Iterator[ArchivedResponse]:
    """Every response record of the given WARC files, in file order; a torn tail is skipped."""
    for path in paths:
        with open(path, "rb") as fh:
            try:
                for record in ArchiveIterator(fh):
                    if record.rec_type != "response":
                        continue
                    headers = {k.lower(): v for k, v in record.http_headers.headers} if record.http_headers else {}
                    status = int(record.http_headers.get_statuscode() or 0) if record.http_headers else 0
                    when = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
                    yield ArchivedResponse(record.rec_headers.get_header("WARC-Target-URI"), status, headers,
                                           record.content_stream().read(), when)
            except (EOFError, zlib.error, ArchiveLoadFailed):
                continue  # a record torn by a crash mid-write: everything before it was read
