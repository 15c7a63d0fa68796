"""Bytes to text in one place: declarations are trusted only when the bytes agree with them."""

from __future__ import annotations

import pytest

from transforms.decode import decode_body

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
