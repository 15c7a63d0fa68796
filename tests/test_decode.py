"""Bytes to text in one place: WHATWG labels; declarations are trusted only when the bytes agree with them;
when they do not, a short page cannot lose its script to a look-alike single-byte encoding."""

from __future__ import annotations

import pytest

from transforms.extract.decode import decode_body

URDU = "پاکستان اور چین کے درمیان تجارتی معاہدے پر دستخط ہو گئے، وزیر اعظم نے اسے تاریخی قرار دیا۔"
# windows-1256 has no Urdu-specific letters; real cp1256 Urdu pages spell with their Arabic look-alikes.
URDU_1256 = URDU.replace("ی", "ي").replace("ک", "ك").replace("ہ", "ه").replace("ے", "ي").replace("۔", ".")


def page(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p><p>{text}</p></body></html>"


@pytest.mark.parametrize("body, content_type, expected, how", [
    (page(URDU).encode("utf-8"), "text/html; charset=utf-8", URDU, "http-header:utf-8"),
    (page(URDU, '<meta charset="utf-8">').encode("utf-8"), "text/html", URDU, "meta:utf-8"),
    (page(URDU_1256, '<meta charset="windows-1256">').encode("cp1256"), "text/html", URDU_1256, "meta:cp1256"),
    (page(URDU_1256).encode("cp1256"), "text/html; charset=utf-8", URDU_1256, "detected:cp1256"),
    (page(URDU_1256).encode("cp1256"), None, URDU_1256, "detected:cp1256"),
    ("\ufeff".encode("utf-8") + page(URDU).encode("utf-8"), "text/html; charset=iso-8859-1", URDU, "bom:utf-8-sig"),
    (page("plain ascii text").encode(), None, "plain ascii text", "utf-8"),
])
def test_decoding_rules(body, content_type, expected, how):
    text, rule = decode_body(body, content_type)
    assert expected in text
    assert rule == how


def test_unknown_declared_charset_falls_through():
    text, rule = decode_body(page(URDU).encode("utf-8"), "text/html; charset=x-no-such-charset")
    assert URDU in text and rule == "utf-8"


# ---------------------------------------------------------------- WHATWG labels

# Latin-1 and ASCII labels mean windows-1252 to a browser (the WHATWG Encoding Standard):
# 0x93/0x94 are curly quotes and 0x80 the euro sign, not C1 controls.
CP1252_TEXT = "\u201cCaf\u00e9\u201d prices rose to \u20ac5 \u2013 owners blamed the na\u00efve tax."


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "l1", "ascii", "us-ascii", "cp819",
                                   "iso_8859-1:1987", "windows-1252", " Latin1 "])
def test_latin1_and_ascii_labels_mean_windows_1252(label):
    body = page(CP1252_TEXT).encode("cp1252")
    text, rule = decode_body(body, f"text/html; charset={label}")
    assert CP1252_TEXT in text and rule == "http-header:cp1252"
    text, rule = decode_body(page(CP1252_TEXT, f'<meta charset="{label}">').encode("cp1252"))
    assert CP1252_TEXT in text and rule == "meta:cp1252"


@pytest.mark.parametrize("label, text, codec", [
    ("iso-8859-9", "\u015eirket \u0130stanbul\u2019da \u20ac", "cp1254"),  # latin5 is windows-1254
    ("tis-620", "\u0e02\u0e48\u0e32\u0e27 \u2026", "cp874"),  # windows-874 adds the ellipsis
    ("gb2312", "\u4e2d\u56fd\u65b0\u95fb \u4f60\u597d \u92b6", "gb18030"),  # gb2312 labels decode as GBK / gb18030
    ("shift_jis", "\u65e5\u672c\u8a9e \u2460", "cp932"),  # windows-31j: the circled digit is an NEC extension
    ("ks_c_5601-1987", "\ud55c\uad6d\uc5b4 \ub620", "cp949"),  # euc-kr labels decode as windows-949
    ("big5", "\u81fa\u7063\u65b0\u805e", "big5hkscs"),
])
def test_legacy_labels_decode_as_browsers_do(label, text, codec):
    body = page(text).encode(codec)
    decoded, rule = decode_body(body, f"text/html; charset={label}")
    assert text in decoded and rule == f"http-header:{codec}"


@pytest.mark.parametrize("label", ["utf-16", "utf-16le", "UTF-16BE"])
def test_a_meta_tag_cannot_declare_utf16(label):
    # The HTML prescan reads an ASCII-compatible document, so a <meta> naming UTF-16 means UTF-8.
    body = page("Caf\u00e9 \u0686\u06cc\u0646", f'<meta charset="{label}">').encode("utf-8")
    text, rule = decode_body(body)
    assert "Caf\u00e9 \u0686\u06cc\u0646" in text and rule == "meta:utf-8"


def test_a_replacement_label_is_no_declaration():
    text, rule = decode_body(page(URDU).encode("utf-8"), "text/html; charset=iso-2022-kr")
    assert URDU in text and rule == "utf-8"


def test_utf8_bytes_beat_a_legacy_declaration():
    # Servers default to iso-8859-1 for pages their CMS writes in UTF-8; valid multi-byte
    # UTF-8 is no accident, so the bytes win.
    body = page(f"Caf\u00e9 owners in S\u00e3o Paulo. {URDU}").encode("utf-8")
    for content_type, meta in (("text/html; charset=iso-8859-1", ""), (None, '<meta charset="windows-1252">')):
        text, rule = decode_body(body.replace(b"<title>", meta.encode() + b"<title>"), content_type)
        assert "Caf\u00e9 owners in S\u00e3o Paulo" in text and URDU in text
        assert rule.startswith("utf-8 (valid; ") and "cp1252" in rule


# ---------------------------------------------------------------- short pages declared wrongly or not at all

SHORT_LATIN = [
    "Caf\u00e9 owners say the new rules will hurt trade.",
    "Flights to S\u00e3o Paulo were cancelled.",
    "A na\u00efve plan, critics said.",
    "Caf\u00e9",
    "Caf\u00e9 owners in S\u00e3o Paulo called the plan na\u00efve.",
    "The r\u00e9sum\u00e9 was \u201cnot bad\u201d.",
]
DECLARED_WRONGLY = [
    ("text/html; charset=utf-8", ""),  # the HTTP header lies
    (None, '<meta charset="utf-8">'),  # the page lies
    ("text/html; charset=UTF-8", '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'),
    (None, ""),  # nobody says
    ("text/html", ""),
]


@pytest.mark.parametrize("content_type, meta", DECLARED_WRONGLY)
@pytest.mark.parametrize("sentence", SHORT_LATIN)
def test_short_windows_1252_page_cannot_lose_to_cyrillic_or_central_european(sentence, content_type, meta):
    # The bug: "Café owners" came out as "Cafй owners" (windows-1251) or as windows-1250.
    body = page(sentence, meta).encode("cp1252")
    text, rule = decode_body(body, content_type)
    assert sentence in text
    assert rule == "detected:cp1252"


def test_known_bug_short_english_page_declared_utf8_is_not_read_as_windows_1251():
    body = ("<html><head><meta charset='utf-8'><title>News</title></head><body>"
            "<p>Caf\u00e9 owners protest.</p></body></html>").encode("cp1252")
    text, rule = decode_body(body, "text/html; charset=utf-8")
    assert "Caf\u00e9 owners" in text and "Caf\u0439" not in text
    assert rule == "detected:cp1252"


@pytest.mark.parametrize("content_type, meta", DECLARED_WRONGLY)
def test_urdu_in_windows_1256_still_decodes(content_type, meta):
    text, rule = decode_body(page(URDU_1256, meta).encode("cp1256"), content_type)
    assert URDU_1256 in text and rule == "detected:cp1256"


@pytest.mark.parametrize("content_type, meta", DECLARED_WRONGLY)
@pytest.mark.parametrize("sentence, codec", [
    ("\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u043f\u043e\u0434\u043f\u0438\u0441\u0430\u043b "
     "\u0437\u0430\u043a\u043e\u043d.", "cp1251"),  # Russian
    ("Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144, powiedzia\u0142 minister.", "cp1250"),  # Polish
    ("\u039f \u03c0\u03c1\u03c9\u03b8\u03c5\u03c0\u03bf\u03c5\u03c1\u03b3\u03cc\u03c2 \u03bc\u03af\u03bb\u03b7\u03c3\u03b5.",
     "cp1253"),  # Greek
    ("NBA\u7403\u661f\u5728\u5317\u4eac\u4e3e\u884c\u6148\u5584\u6d3b\u52a8\u3002", "gb18030"),  # Latin beside Chinese
    ("iPhone\u306e\u65b0\u30e2\u30c7\u30eb\u304c\u6771\u4eac\u3067\u767a\u8868\u3055\u308c\u305f\u3002",
     "cp932"),  # ...and beside Japanese
])
def test_other_single_byte_scripts_still_win_their_own_pages(sentence, codec, content_type, meta):
    text, rule = decode_body(page(sentence, meta).encode(codec), content_type)
    assert sentence in text and rule == f"detected:{codec}"
