"""Answers about past workouts, counted in the runner's own days and weeks (`skill.coach.calendar`).

The programme is two or three hamstring sessions a week inside a runner's
strength training, so progress is counted by week, not by days in a row:
a week with two or three workouts is "on plan", and the run of weeks on plan
is what the coach praises. Training every day earns nothing more (eccentric
curls leave the hamstrings sore for days); more than three a week gets a word
about rest days instead.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from skill.coach import calendar, programme
from skill.coach.state import HistoryEntry

ON_PLAN = range(2, 4)   # workouts a week: two or three
SUMMARY_WEEKS = 4       # "how am I doing?" looks at the last four weeks, this one included

History = tuple[HistoryEntry, ...]


def _weeks(history: History, zone: str | None) -> Counter[date]:
    return Counter(calendar.week_of(calendar.day(entry.finished_at, zone)) for entry in history)


def this_week(history: History, now: float, zone: str | None = None) -> int:
    """Workouts finished since Monday, in the runner's zone."""
    return _weeks(history, zone)[calendar.this_week(now, zone)]


def days_since_last(history: History, now: float, zone: str | None = None) -> int | None:
    if not history:
        return None
    return (calendar.day(now, zone) - calendar.day(history[-1].finished_at, zone)).days


def weeks_on_plan(history: History, now: float, zone: str | None = None) -> int:
    """Weeks in a row with two or three workouts (or more: more earns nothing extra), ending this week if
    it is already on plan, else last week (this week may still get there)."""
    counts = _weeks(history, zone)
    week = calendar.this_week(now, zone)
    if counts[week] < ON_PLAN.start:
        week -= timedelta(weeks=1)
    weeks = 0
    while counts[week] >= ON_PLAN.start:
        weeks += 1
        week -= timedelta(weeks=1)
    return weeks


def _last_week_shown(history: History, now: float, zone: str | None) -> date:
    """The newest week a summary shows: this one once it has a workout, else last week (a Monday morning's
    "how am I doing?" is about the weeks behind, not a week just begun)."""
    this = calendar.this_week(now, zone)
    return this if _weeks(history, zone)[this] else this - timedelta(weeks=1)


def per_week(history: History, now: float, zone: str | None = None,
             weeks: int = SUMMARY_WEEKS) -> tuple[tuple[date, int], ...]:
    """(Monday, workouts) for the summary's `weeks` weeks, oldest first (`_last_week_shown` last)."""
    counts = _weeks(history, zone)
    last = _last_week_shown(history, now, zone)
    mondays = [last - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    return tuple((monday, counts[monday]) for monday in mondays)


def recovering_from(history: History, now: float, zone: str | None = None) -> tuple[str, int] | None:
    """The exercise whose soreness still lasts (`Exercise.recovery_days`), and how many days ago it was
    done (0: today): today's workout should be lighter. None when nothing is that recent."""
    today = calendar.day(now, zone)
    for entry in reversed(history):
        days = (today - calendar.day(entry.finished_at, zone)).days
        if days > max(e.recovery_days for e in programme.EXERCISES):
            return None
        for done in entry.log:
            recovery = programme.exercise(done.exercise).recovery_days
            if done.sets and recovery and days <= recovery:
                return done.exercise, days
    return None


def since(history: History, now: float, zone: str | None = None, weeks: int = SUMMARY_WEEKS) -> History:
    """The entries of the summary's `weeks` weeks (and any since)."""
    first = _last_week_shown(history, now, zone) - timedelta(weeks=weeks - 1)
    return tuple(e for e in history if calendar.day(e.finished_at, zone) >= first)
