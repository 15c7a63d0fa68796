"""The fetch outcome classifier as a pure function, table-driven."""

from __future__ import annotations

import pytest

from transforms.outcome import Outcome, classify

CASES = [
    # (status, content type, transport error) -> outcome
    (200, "text/html; charset=utf-8", None, Outcome.OK),
    (200, "application/xhtml+xml", None, Outcome.OK),
    (200, "application/rss+xml", None, Outcome.OK),
    (200, None, None, Outcome.OK),
    (200, "application/pdf", None, Outcome.HARD),
    (200, "image/jpeg", None, Outcome.HARD),
    (304, None, None, Outcome.NOT_MODIFIED),
    (404, "text/html", None, Outcome.HARD),
    (410, "text/html", None, Outcome.HARD),
    (403, "text/html", None, Outcome.HARD),
    (429, "text/html", None, Outcome.TRANSIENT),
    (500, "text/html", None, Outcome.TRANSIENT),
    (502, None, None, Outcome.TRANSIENT),
    (503, None, None, Outcome.TRANSIENT),
    (504, None, None, Outcome.TRANSIENT),
    (None, None, "ReadTimeout", Outcome.TRANSIENT),
    (None, None, "ConnectError", Outcome.TRANSIENT),
    (None, None, "RemoteProtocolError", Outcome.TRANSIENT),
    (None, None, "DecodingError", Outcome.TRANSIENT),
    (None, None, "TooLarge", Outcome.HARD),
    (None, None, "TooManyRedirects", Outcome.HARD),
    (None, None, "HostNotAllowed", Outcome.HARD),
    (None, None, "PrivateAddress", Outcome.HARD),
    (None, None, "Forbidden by robots.txt", Outcome.HARD),
    (None, None, None, Outcome.TRANSIENT),
]


@pytest.mark.parametrize("status, ctype, error, expected", CASES)
def test_classify(status, ctype, error, expected):
    result = classify(status, ctype, error)
    assert result.outcome is expected
    assert result.reason
