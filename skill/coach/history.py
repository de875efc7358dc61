"""Answers about past workouts: this week's count, last time, the streak.

Days are UTC calendar days: the webhook does not ask for the device's time
zone (that needs a permission), so a workout late in the evening may count
towards the next day for runners far from UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from skill.coach.state import HistoryEntry


def _day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


def this_week(history: tuple[HistoryEntry, ...], now: float) -> int:
    """Workouts finished since Monday (UTC)."""
    today = _day(now)
    monday = today - timedelta(days=today.weekday())
    return sum(1 for entry in history if _day(entry.finished_at) >= monday)


def days_since_last(history: tuple[HistoryEntry, ...], now: float) -> int | None:
    if not history:
        return None
    return (_day(now) - _day(history[-1].finished_at)).days


def streak(history: tuple[HistoryEntry, ...], now: float) -> int:
    """Consecutive days with a workout, ending today or yesterday."""
    days = {_day(entry.finished_at) for entry in history}
    day = _day(now)
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count
