"""Bytes to text in one place: HTTP charset, then BOM, then <meta charset>, then detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# A <meta charset> must appear in the first 1024 bytes by the HTML spec; real
# pages put it later behind long comments, so look a little further.
META_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)
# Detection is limited to encodings real news pages use, in order of preference
# when several decode equally well: single-byte Latin text often fits cp1250,
# cp1252 and cp1257 alike, and cp1252 is by far the most common of them.
WEB_ENCODINGS = ("utf_8", "cp1252", "cp1256", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1257",
                 "iso8859_15", "iso8859_2", "koi8_r", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr")
# Candidates whose chaos (charset-normalizer's mess ratio) is within this of the
# best count as a tie; 0.02 covers the cp1250/cp1252 tie on short French text.
CHAOS_TIE = 0.02
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _codec(match.group(1)) if match else None


def _declared(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """Encodings the response declares, most authoritative first, as (codec, where)."""
    found: list[tuple[str, str]] = []
    header = charset_from_content_type(content_type)
    if header:
        found.append((header, "http-header"))
    for bom, name in _BOMS:
        if body.startswith(bom):
            found.insert(0, (name, "bom"))
    match = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    meta = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    if meta:
        found.append((meta, "meta"))
    return found


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, how) where how names the rule that chose the encoding.

    A declared encoding is used only if the bytes decode under it strictly:
    servers often declare utf-8 for pages written in windows-1252 or -1256,
    and then detection is more truthful than the declaration.
    """
    for codec, where in _declared(body, content_type):
        try:
            return body.decode(codec), f"{where}:{codec}"
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(body, cp_isolation=list(WEB_ENCODINGS)))
    if matches:
        floor = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos <= floor + CHAOS_TIE]
        best = min(tied, key=lambda m: WEB_ENCODINGS.index(m.encoding) if m.encoding in WEB_ENCODINGS else 99)
        return str(best), f"detected:{best.encoding}"
    return body.decode("utf-8", errors="replace"), "utf-8-replace"
