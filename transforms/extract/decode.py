"""Bytes to text in one place, as browsers read them: BOM, HTTP charset, <meta charset>, then detection.

The rules, in order (the rule that chose is returned beside the text):
1. a byte-order mark;
2. the HTTP header's charset, then the page's <meta charset>, each read by the
   WHATWG Encoding Standard's labels (LABELS: "iso-8859-1", "latin1", "ascii" and
   "us-ascii" all mean windows-1252) and used when the bytes decode under it
   strictly; but bytes that are valid multi-byte UTF-8 are UTF-8 whatever a
   legacy label says (servers default to iso-8859-1 for pages their CMS writes
   in UTF-8, and real legacy text is never valid UTF-8 by accident);
3. undeclared, or declared wrongly: UTF-8 when the bytes are valid UTF-8, else
   the candidate of charset-normalizer that reads most like text (detect()).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

# A <meta charset> must appear in the first 1024 bytes by the HTML spec; real
# pages put it later behind long comments, so look a little further.
META_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)

# The WHATWG Encoding Standard's labels (encoding.spec.whatwg.org, "Names and labels";
# the list is its encodings.json), as {Python codec: labels}. Where the standard's
# decoder is a superset of the codec Python names the same way, the superset's codec
# is used: windows-1252 for Latin-1 and ASCII, windows-1254 for Latin-5, windows-874
# for TIS-620, gb18030 for GB2312/GBK, windows-31j for Shift_JIS, windows-949 for
# EUC-KR, Big5-HKSCS for Big5. Labels absent here (the "replacement" ones such as
# iso-2022-kr, and x-user-defined) are no declaration at all.
_WHATWG: dict[str, tuple[str, ...]] = {
    "utf-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859_2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                  "iso_8859-2:1987", "l2", "latin2"),
    "iso8859_3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                  "iso_8859-3:1988", "l3", "latin3"),
    "iso8859_4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                  "iso_8859-4:1988", "l4", "latin4"),
    "iso8859_5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                  "iso_8859-5", "iso_8859-5:1988"),
    "iso8859_6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                  "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                  "iso_8859-6", "iso_8859-6:1987"),
    "iso8859_7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
                  "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"),
    "iso8859_8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
                  "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual",
                  "csiso88598i", "iso-8859-8-i", "logical"),
    "iso8859_10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"),
    "iso8859_13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859_14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859_15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"),
    "iso8859_16": ("iso-8859-16",),
    "koi8_r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8_u": ("koi8-ru", "koi8-u"),
    "mac_roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
               "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
               "windows-1252", "x-cp1252"),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
               "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac_cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gb18030": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
                "x-gbk", "gb18030"),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "cp932": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"),
    "cp949": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
              "ksc5601", "ksc_5601", "windows-949"),
    "utf_16_be": ("unicodefffe", "utf-16be"),
    "utf_16_le": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"),
}
LABELS: dict[str, str] = {label: codec for codec, labels in _WHATWG.items() for label in labels}
# The HTML prescan reads <meta charset> from bytes it already takes for ASCII, so a
# meta tag naming UTF-16 means UTF-8 (HTML Standard, "prescan a byte stream").
_META_OVERRIDES = {"utf_16_be": "utf-8", "utf_16_le": "utf-8"}

# Detection is limited to encodings real news pages use, in order of preference
# when several decode equally well: single-byte Latin text often fits cp1250,
# cp1252 and cp1257 alike, and cp1252 is by far the most common of them.
WEB_ENCODINGS = ("utf_8", "cp1252", "cp1256", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1257",
                 "iso8859_15", "iso8859_2", "koi8_r", "gb18030", "big5hkscs", "cp932", "euc_jp", "cp949")
# Candidates whose chaos (charset-normalizer's mess ratio) is within this of the
# best count as a tie; 0.02 covers the cp1250/cp1252 tie on short French text.
CHAOS_TIE = 0.02
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_FINAL_FORM_INSIDE = re.compile("[\u05da\u05dd\u05df\u05e3\u05e5\u03c2](?=[^\\W\\d_])")
_C1_CONTROLS = re.compile("[\x80-\x9f]")
# Scripts that share one word legitimately: Japanese mixes kanji and kana, and Chinese,
# Japanese and Korean write Latin names and their own script without a space ("NBA球星", "iPhone은").
_SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "IDEOGRAPHIC": "CJK"}
_JOINS_LATIN = frozenset({"CJK", "HANGUL"})


def label_codec(label: str | None) -> str | None:
    """The Python codec a browser would decode a charset label with, or None for no usable label."""
    if not label:
        return None
    return LABELS.get(label.strip().strip("\"'").lower())


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return label_codec(match.group(1)) if match else None


def _declared(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """Encodings the response declares, most authoritative first, as (codec, where)."""
    found: list[tuple[str, str]] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            found.append((name, "bom"))
    header = charset_from_content_type(content_type)
    if header:
        found.append((header, "http-header"))
    match = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    meta = label_codec(match.group(1).decode("ascii", "ignore")) if match else None
    if meta:
        found.append((_META_OVERRIDES.get(meta, meta), "meta"))
    return found


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, how) where how names the rule that chose the encoding (module docstring).

    A declared encoding is used only if the bytes decode under it strictly:
    servers often declare utf-8 for pages written in windows-1252 or -1256,
    and then detection is more truthful than the declaration.
    """
    utf8 = _utf8(body)
    for codec, where in _declared(body, content_type):
        if utf8 is not None and (codec == "utf-8" or (where != "bom" and not body.isascii())):
            return utf8, f"{where}:utf-8" if codec == "utf-8" else f"utf-8 (valid; {where} said {codec})"
        try:
            return body.decode(codec), f"{where}:{codec}"
        except (UnicodeDecodeError, LookupError):
            continue
    if utf8 is not None:
        return utf8, "utf-8"
    return detect(body)


def detect(body: bytes) -> tuple[str, str]:
    """The candidate decoding that reads most like text: fewest implausible words (oddities),
    then least chaos (charset-normalizer's mess ratio, within CHAOS_TIE), then WEB_ENCODINGS order.

    charset-normalizer alone cannot tell a short page's encoding: on "Café owners" every
    single-byte candidate scores zero chaos, and windows-1251's "Cafй" looked as good as
    windows-1252's "Café". A word that mixes scripts does not occur in real text.
    """
    candidates = []
    for match in from_bytes(body, cp_isolation=list(WEB_ENCODINGS)):
        # Candidates that decode to the same text come as one match; prefer the likeliest name.
        names = [n for n in (match.could_be_from_charset or [match.encoding]) if n in WEB_ENCODINGS]
        name = min(names, key=WEB_ENCODINGS.index) if names else match.encoding
        text = str(match)
        candidates.append((oddities(text), match.chaos, name, text))
    if not candidates:  # charset-normalizer gives up on some short pages (a Korean line): decode strictly ourselves
        for name in WEB_ENCODINGS:
            try:
                text = body.decode(name)
            except UnicodeDecodeError:
                continue
            candidates.append((oddities(text), 0.0, name, text))
    if not candidates:
        return body.decode("utf-8", errors="replace"), "utf-8-replace"
    fewest = min(c[0] for c in candidates)
    plausible = [c for c in candidates if c[0] == fewest]
    floor = min(c[1] for c in plausible)
    tied = [c for c in plausible if c[1] <= floor + CHAOS_TIE]
    _, _, name, text = min(tied, key=lambda c: WEB_ENCODINGS.index(c[2]) if c[2] in WEB_ENCODINGS else 99)
    return text, f"detected:{name}"


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first == "CJK":
        return "CJK"
    return _SCRIPT_GROUPS.get(first, first)


def oddities(text: str) -> int:
    """Words and characters no real text has, as a wrong single-byte decoding makes them:

    - a word in two scripts ("Cafй": Latin and Cyrillic; "Sمo": Latin and Arabic), Latin
      beside Chinese, Japanese or Korean excepted;
    - a Latin word of three or more letters, none of them plain ASCII ("Ïðèâåò", a
      Russian word read as windows-1252; "ÇßÓÊÇä", Urdu read so);
    - a Hebrew or Greek final letter inside a word ("ףססך": Russian read as windows-1255);
    - a C1 control character (U+0080-U+009F: windows-125x punctuation read as ISO-8859).
    """
    odd = len(_C1_CONTROLS.findall(text))
    done = 0
    for run in _NON_ASCII_RUN.finditer(text):  # most of a page is ASCII markup: look around its other runs only
        start, end = run.span()
        if start < done:
            continue  # a later run of a word already counted
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        done = end
        for word in _WORD.findall(text, start, end):
            if word.isascii():
                continue
            scripts = {_script(c) for c in word}
            if len(scripts - _JOINS_LATIN) > 1:
                odd += 1
            elif scripts == {"LATIN"} and len(word) >= 3 and not any(c.isascii() for c in word):
                odd += 1
            elif _FINAL_FORM_INSIDE.search(word):
                odd += 1
    return odd
