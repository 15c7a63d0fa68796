"""Dates as pages write them to time-zone aware datetimes, with a note on any assumption made."""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timezone

from dateutil import parser as dateparser
from dateutil.tz import tzoffset

# Zone abbreviations news pages print; dateutil knows none of them by itself.
# Ambiguous ones (IST, CST as China time) take the reading most common on news sites.
_TZ_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "PKT": 5, "IST": 5.5, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "AWST": 8, "JST": 9, "KST": 9, "AEST": 10,
    "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6,
    "MST": -7, "MDT": -6, "MT": -7, "PST": -8, "PDT": -7, "PT": -8, "AKST": -9, "AKDT": -8, "HST": -10,
}
TZINFOS = {name: tzoffset(name, int(hours * 3600)) for name, hours in _TZ_HOURS.items()}
# A publication date outside these years is a parsing accident (an "0001-01-01" placeholder, a
# price read as a year); the page's other sources are tried instead.
PLAUSIBLE_YEARS = range(1990, 2100)
# Longest string worth handing to dateutil's fuzzy parser (a dateline, not a paragraph).
MAX_DATE_TEXT = 80
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")


def parse_date(text: str) -> tuple[datetime | None, str]:
    """An aware datetime and a note; naive dates are read as UTC and say so ("naive; assumed UTC")."""
    text = (text or "").strip()
    if not text or len(text) > MAX_DATE_TEXT:
        return None, "unparseable"
    if _EPOCH.match(text):
        seconds = int(text[:10])
        return datetime.fromtimestamp(seconds, timezone.utc), "epoch seconds"
    try:
        value = dateparser.isoparse(text)
    except (ValueError, OverflowError):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = dateparser.parse(text, tzinfos=TZINFOS)
        except (ValueError, OverflowError, TypeError, dateparser.ParserError):
            return None, "unparseable"
    if value.year not in PLAUSIBLE_YEARS:
        return None, f"implausible year {value.year}"
    try:
        offset = value.utcoffset()
        if offset is None:
            return value.replace(tzinfo=timezone.utc), "naive; assumed UTC"
        # A fixed offset, not dateutil's zone objects: records compare and serialise the same way.
        return value.astimezone(timezone(offset)), ""
    except (ValueError, OverflowError):  # an offset of 24 h or more ("+2400"): no such zone
        return None, "impossible zone offset"


def date_in_url(url: str | None) -> datetime | None:
    """The /yyyy/mm/dd/ of an article URL, as midnight UTC; None without one."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        value = datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None
    return value if value.year in PLAUSIBLE_YEARS else None
