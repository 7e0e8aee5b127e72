"""One clock: every stored time is timezone-aware UTC; reports show the district's local time.

Crawl and check rows both record `now()`. `local()` turns a stored time into the wall
clock of the district (the catalogue's ``district.utc_offset``, +08:00 for China,
which keeps no daylight saving) for reports and command-line summaries.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def now() -> str:
    """The current time, ISO 8601 with its UTC offset, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def offset(text: str) -> timezone:
    """A fixed offset ``+08:00`` as a timezone."""
    sign = -1 if text.startswith("-") else 1
    hours, _, minutes = text.lstrip("+-").partition(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def local(stamp: str | None, utc_offset: str = "+08:00") -> str:
    """``stamp`` (any ISO time; naive ones are taken as UTC) as ``YYYY-MM-DD HH:MM`` local time; '—' if absent."""
    if not stamp:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:16].replace("T", " ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(offset(utc_offset)).strftime("%Y-%m-%d %H:%M")
