"""Progress over the weeks, as the runner hears it: this week against the plan, weeks on plan, last time,
and "how am I doing?" (a sentence or two, the same on a card and a screen's chart).

All counted in the runner's zone (`Profile.zone`) by `skill.coach.history`. Every
answer changes nothing and ends with what the runner can say next.
"""

from __future__ import annotations

from skill.coach import history, lines
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.programme import LEVELS
from skill.coach.reply import Chart, Count, Line, Names, Segment, line
from skill.coach.respond import say
from skill.coach.state import Profile, UserState


def _answer(state: UserState, *speech: Segment) -> Outcome:
    return say(state, *speech, *lines.prompt(state))


def on_week_count(state: UserState, event: Event) -> Outcome:
    profile = state.profile
    count = Count(history.this_week(profile.history, event.now, profile.zone), "workout")
    return _answer(state, line("week_count", workouts=count), lines.week_status(profile, event.now))


def on_weeks_on_plan(state: UserState, event: Event) -> Outcome:
    """ "What's my streak": weeks on plan, never days in a row."""
    profile = state.profile
    weeks = history.weeks_on_plan(profile.history, event.now, profile.zone)
    said = line("weeks_on_plan", weeks=Count(weeks, "week")) if weeks else line("weeks_on_plan_none")
    return _answer(state, said, lines.week_status(profile, event.now))


def on_last_workout(state: UserState, event: Event) -> Outcome:
    profile = state.profile
    days = history.days_since_last(profile.history, event.now, profile.zone)
    if days is None:
        return _answer(state, line("no_history"))
    last = profile.history[-1]
    when = line("today") if days == 0 else line("yesterday") if days == 1 else line("days_ago", days=Count(days, "day"))
    return _answer(state, line("last_workout", when=when, names=Names(last.exercises),
                               sets=Count(last.sets_done, "set")))


def moved_up(profile: Profile, now: float) -> tuple[str, ...]:
    """Exercises now at a higher level than the first time they were logged in the summary weeks."""
    first: dict[str, int] = {}
    for entry in history.since(profile.history, now, profile.zone):
        for done in entry.log:
            first.setdefault(done.exercise, LEVELS.index(done.level))
    return tuple(e for e, level in first.items() if LEVELS.index(profile.level(e)) > level)


def summary(profile: Profile, now: float) -> Chart:
    """The last four weeks: workouts a week, weeks on plan, what moved up; the sentences said with it."""
    weeks = history.per_week(profile.history, now, profile.zone)
    total = sum(count for _, count in weeks)
    on_plan = sum(1 for _, count in weeks if count >= history.ON_PLAN.start)
    up = moved_up(profile, now)
    key = "summary_weeks" if on_plan else "summary_weeks_off_plan"
    per_week = max(1, round(total / len(weeks)))
    said: list[Line] = [line(key, workouts=Count(total, "workout"), weeks=Count(len(weeks), "week"), on_plan=on_plan,
                             per_week=per_week)]
    said.append(line("summary_moved_up", names=Names(up, "short")) if up else line("summary_none_moved_up"))
    return Chart(tuple((monday.isoformat(), count) for monday, count in weeks), up, tuple(said))


def on_how_am_i_doing(state: UserState, event: Event) -> Outcome:
    if not state.profile.history:
        return _answer(state, line("no_history"))
    chart = summary(state.profile, event.now)
    outcome = _answer(state, *chart.summary, lines.week_status(state.profile, event.now))
    return replace(outcome, reply=replace(outcome.reply, chart=chart))


HANDLERS: dict[Kind, Handler] = {
    Kind.WEEK_COUNT: on_week_count, Kind.STREAK: on_weeks_on_plan, Kind.LAST_WORKOUT: on_last_workout,
    Kind.HOW_AM_I_DOING: on_how_am_i_doing,
}
