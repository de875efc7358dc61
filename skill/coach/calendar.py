"""Days and weeks in the runner's own time zone: what "today", "yesterday" and "this week" mean.

A timestamp is a moment; a day is a date on the runner's wall clock. The zone is
the IANA name the Alexa Settings API gave for their device (cached in the profile),
and UTC when we have none or it is not one we know: a runner in California who
finishes at 23:30 trains on that day, not on tomorrow's UTC date. Weeks start on
Monday. Daylight saving needs nothing special: each moment is converted with the
zone's rules for that moment (`zoneinfo`, the IANA database).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=256)
def zone(name: str | None) -> tzinfo:
    """The zone by IANA name; UTC for None or a name the database does not know (never raises)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed ("../x") or unreadable
        return UTC


def is_zone(name: str) -> bool:
    """True when `name` is a zone the IANA database knows (what we are willing to keep)."""
    return name == "UTC" or (len(name) <= 64 and zone(name) is not UTC)


def day(timestamp: float, zone_name: str | None) -> date:
    """The runner's calendar date at `timestamp`."""
    return datetime.fromtimestamp(timestamp, zone(zone_name)).date()


def week_of(a_day: date) -> date:
    """The Monday that starts the week `a_day` is in."""
    return a_day - timedelta(days=a_day.weekday())


def this_week(timestamp: float, zone_name: str | None) -> date:
    return week_of(day(timestamp, zone_name))


def local_time(timestamp: float, zone_name: str | None) -> datetime:
    """The runner's wall-clock time at `timestamp` (aware), for scheduling a reminder."""
    return datetime.fromtimestamp(timestamp, zone(zone_name))
