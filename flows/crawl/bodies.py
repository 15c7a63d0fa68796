"""Response bodies read under a size budget, with content decoding that notices truncation.

httpx decodes gzip without checking that the stream ended, so a body cut off
mid-transfer would pass as a short page; decoding here checks it, and stops a
decompression bomb at the budget instead of after it.
"""

from __future__ import annotations

import zlib
from typing import Iterable


class BodyError(Exception):
    """The body cannot be used; .reason is the outcome reason recorded in fetch_log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decompressor(encoding: str, first: bytes):
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        # "deflate" is zlib-wrapped by the spec, raw in some servers' practice.
        return zlib.decompressobj(zlib.MAX_WBITS if first[:1] == b"\x78" else -zlib.MAX_WBITS)
    raise BodyError(f"UnsupportedEncoding {encoding}")


def decompress_capped(raw_chunks: Iterable[bytes], content_encoding: str | None, max_bytes: int) -> bytes:
    """Join (and decode) the raw chunks; BodyError TooLarge past max_bytes, TruncatedBody if cut short."""
    encoding = (content_encoding or "identity").strip().lower()
    out, total, decoder = [], 0, None
    for chunk in raw_chunks:
        if encoding == "identity":
            pieces = [chunk]
        else:
            decoder = decoder or _decompressor(encoding, chunk)
            pieces, data = [], chunk
            while data:
                try:
                    piece = decoder.decompress(data, max_bytes + 1 - total)
                except zlib.error as exc:
                    raise BodyError(f"CorruptBody {encoding}: {exc}") from exc
                pieces.append(piece)
                total_here = sum(map(len, pieces))
                if total + total_here > max_bytes:
                    raise BodyError("TooLarge")
                data = decoder.unconsumed_tail
                if not piece and not data:
                    break
        for piece in pieces:
            total += len(piece)
            if total > max_bytes:
                raise BodyError("TooLarge")
            out.append(piece)
    if decoder is not None and not decoder.eof:
        raise BodyError(f"TruncatedBody {encoding} stream ended early")
    if encoding != "identity" and decoder is None:
        return b""
    return b"".join(out)
