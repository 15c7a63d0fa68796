"""Whitespace as a browser renders it: ASCII runs collapse, non-breaking spaces stay."""

from __future__ import annotations

import re

# HTML's "ASCII whitespace". U+00A0 is deliberately absent: it is not
# collapsible, so headings like "\u00a01. China" keep it verbatim.
_ASCII_WS = re.compile(r"[ \t\n\r\f]+")
_ASCII_WS_CHARS = " \t\n\r\f"


def collapse(text: str) -> str:
    """Each run of ASCII whitespace as one space, none at the ends (what _ASCII_WS.sub(" ", text)
    then strip() give). Done with str.replace, which scans in C and only copies what changes:
    the regex matched every single space of a paragraph, and collapse() took 4% of an extraction."""
    text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("\f", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(_ASCII_WS_CHARS)


def is_blank(text: str) -> bool:
    """True when nothing visible remains (NBSP-only paragraphs like <p>&nbsp;</p>).

    The same test as "not text.strip()" (str.isspace() and str.strip() agree on what is
    whitespace), without copying the text: the whole page passes here, 0.1 MB or more."""
    return not text or text.isspace()
