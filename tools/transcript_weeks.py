"""docs/transcripts/over-the-weeks.md: over the weeks, the moments that make it a programme.

Written by `make transcript` with the others (tools/transcript.py): a runner in
California trains on Mondays, Wednesdays and Fridays for four weeks, from the
pure coach in device time, in their zone. Only the moments that show the
programme over weeks are printed (each workout's sets are coached in full but
not shown): the week against the plan, the lighter day after eccentric curls,
a step-up offer, pain stepping an exercise down, "how am I doing?", weeks on
plan, a reminder (the Reminders API's answer stood in: "ok"), metres, and a
voice profile greeted by name (shown as ⟨name⟩; Alexa says it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from skill.coach import household, plan
from skill.coach.events import ApiResult, Event, Kind, Outcome
from skill.coach.reply import Line
from skill.coach.state import Pending, Profile, Schedule, UserState
from skill.coach.workout import step
from skill.voice.content import for_locale
from skill.voice.render import chart_text
from skill.voice.speech import estimate_seconds, estimator, render_text

PHRASES = for_locale("en-US")
ESTIMATE = estimator(PHRASES)
ZONE = "America/Los_Angeles"
FIRST_MONDAY = datetime(2026, 11, 2, 18, 0, tzinfo=ZoneInfo(ZONE)).timestamp()  # 6 pm, after work
DAY = 86_400.0


@dataclass
class Month:
    """The runner's state and clock, and the markdown written so far."""

    state: UserState
    now: float = FIRST_MONDAY
    lines: list[str] | None = None

    def say(self, said: str, kind: Kind, *, shown: bool = True, person: bool = False, **details: object) -> Outcome:
        """Say it now; print it (and the reply) when `shown` or when the reply asks about a step up. A reply that
        finishes a workout is shown from its last set's end."""
        event = Event(kind, self.now, kind is Kind.LAUNCH, estimate=ESTIMATE, person=person,
                      **details)  # type: ignore[arg-type]
        outcome = household.step(self.state, event, None) if person else step(self.state, event)
        self.state = outcome.state
        speech = outcome.reply.speech
        keys = [s.key if isinstance(s, Line) else "" for s in speech]
        if "step_up_offer" in keys:
            shown = True
        if "set_done" in keys:
            speech = speech[len(keys) - 1 - keys[::-1].index("set_done"):]
        if shown and self.lines is not None:
            when = datetime.fromtimestamp(self.now, ZoneInfo(ZONE)).strftime("%a %d %b, %H:%M")
            cut = "… " if speech is not outcome.reply.speech else ""
            self.lines += [f"**Runner** ({when}): {said}", "", "**Coach:** " + cut + render_text(speech, PHRASES)]
            if outcome.reply.chart:
                title, rows = chart_text(outcome.reply.chart, PHRASES)
                self.lines += ["", f"*Card:* {title}: " + " / ".join(rows)]
            if outcome.reply.ask_permission:
                self.lines += ["", "*Card:* the Alexa app's permission card for reminders"]
            self.lines.append("")
        self.now += estimate_seconds(outcome.reply.speech, PHRASES) + 3.0
        return outcome

    def workout(self, *, pain_in: str | None = None) -> None:
        """Start, then "ready" (or "yes" to a step-up offer) to the end; only the start and the finish shown."""
        self.say("Start my hamstring workout.", Kind.START)
        hurt = False
        while self.state.workout is not None:
            workout = self.state.workout
            if self.state.pending is Pending.STEP_UP:
                self.say("Yes.", Kind.YES)
            elif pain_in == workout.exercise_id and workout.current_sets == 1 and not hurt:
                hurt = True
                self.say("Ouch, my knee hurts.", Kind.PAIN)
                self.say("Skip.", Kind.SKIP)
            else:
                finishing = workout.is_last_exercise and self.state.pending is None
                self.say("Ready.", Kind.READY, shown=finishing and _last_set(self.state))


def _last_set(state: UserState) -> bool:
    workout = state.workout
    return workout is not None and workout.set_number >= plan.total_sets(workout, state.profile)


def render() -> str:
    month = Month(UserState(profile=Profile(zone=ZONE)), lines=[])
    assert month.lines is not None
    for week in range(4):
        for day in (0, 2, 4):
            month.now = FIRST_MONDAY + (7 * week + day) * DAY
            month.lines.append(f"### Week {week + 1}, {('Monday', 'Wednesday', 'Friday')[day // 2]}\n")
            if week == 0 and day == 2:  # Monday's eccentric curls were two days ago: a full plan again
                month.say("How many workouts have I done this week?", Kind.WEEK_COUNT)
            month.workout(pain_in="swiss_ball_curls" if (week, day) == (2, 2) else None)
        if week == 1:  # an extra Saturday, the day after eccentric curls: lighter, and more than the plan
            month.now = FIRST_MONDAY + (7 * week + 5) * DAY
            month.lines.append(f"### Week {week + 1}, Saturday\n")
            month.workout()
    month.now = FIRST_MONDAY + 28 * DAY
    month.lines.append("### A month on\n")
    month.say("How am I doing?", Kind.HOW_AM_I_DOING)
    month.say("What's my streak?", Kind.STREAK)
    month.say("Remind me to train on Tuesdays and Thursdays at 7 am.", Kind.REMIND, days=("TU", "TH"),
              time=(7, 0), can_remind=True)
    month.say("Yes.", Kind.YES, can_remind=True, api=ApiResult("ok", (Schedule(("TU", "TH"), 7),), 1))
    month.say("Use metres.", Kind.USE_METRIC)
    month.state = replace(month.state, workout=None)
    month.say("Alexa, open hamstring coach (a recognised voice).", Kind.LAUNCH, person=True)
    return "\n".join(["# Over the weeks: a month with the coach", "",
                      "Generated by `make transcript` (tools/transcript_weeks.py); `tests/test_transcript.py` "
                      "fails when it is stale. Pauses and sets are left out; times are the runner's own (Los "
                      "Angeles).", "", *month.lines]).rstrip() + "\n"
