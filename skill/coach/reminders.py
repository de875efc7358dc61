"""Weekly reminders to train ("remind me on Tuesdays and Thursdays at 7 am"), set through Alexa.

The coach decides; the Alexa layer calls the Reminders API. A turn that needs
the API names its `effect(state, event)` (pure); `skill.alexa.reminders` does
it and hands the result back as `event.api`, and the handlers here word it.
Setting one is asked first ("Shall I remind you ...?": the per-reminder
consent Amazon asks skills for); without the reminders permission the reply
says so and carries the Alexa app's permission card. Whatever the API does
(refuses, fails, times out), the runner hears what happened and the workout
carries on where it was: a reminder never costs a turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.coach import lines
from skill.coach.events import ApiResult, Event, Handler, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import ClockTime, Line, Segment, Weekdays, line
from skill.coach.respond import say
from skill.coach.state import Pending, Schedule, UserState

PERMISSION = "reminders"  # what `Reply.ask_permission` asks for when the runner has not granted it


@dataclass(frozen=True)
class Effect:
    """A Reminders API call the coach wants: "create" `schedule`, "list", "cancel" every reminder of ours, or
    "move" them to `schedule`'s time (each keeps its days). `zone` is the runner's time zone."""

    action: str
    schedule: Schedule | None = None
    zone: str | None = None


def effect(state: UserState, event: Event) -> Effect | None:
    """The API call this event needs (None: none, or the runner has not granted the permission)."""
    if not event.can_remind:
        return None
    zone = state.profile.zone
    if event.kind is Kind.YES and state.pending is Pending.REMINDER_CONFIRM and state.proposal:
        return Effect("create", state.proposal, zone)
    if event.kind is Kind.REMINDERS_LIST:
        return Effect("list", zone=zone)
    if event.kind is Kind.REMINDERS_CANCEL:
        return Effect("cancel", zone=zone)
    if event.kind is Kind.REMINDER_MOVE and event.time:
        return Effect("move", Schedule((), *event.time), zone)
    return None


def said(schedule: Schedule) -> Line:
    return line("reminder_when", days=Weekdays(schedule.days), time=ClockTime(schedule.hour, schedule.minute))


def _answer(state: UserState, *speech: Segment, permission: bool = False) -> Outcome:
    outcome = say(state, *speech, *lines.prompt(state))
    return replace(outcome, reply=replace(outcome.reply, ask_permission=PERMISSION)) if permission else outcome


def _trouble(state: UserState, event: Event) -> Outcome | None:
    """No permission, no API on this device, or a failed call: said honestly, nothing changed."""
    result = event.api or ApiResult("no_permission" if not event.can_remind else "failed")
    if result.status == "no_permission":
        return _answer(state, line("reminders_need_permission"), permission=True)
    if result.status == "unavailable":
        return _answer(state, line("reminders_unavailable"))
    if result.status != "ok":
        return _answer(state, line("reminders_failed"))
    return None


def on_remind(state: UserState, event: Event) -> Outcome:
    """Ask before setting it; without the permission, say so now rather than after a "yes"."""
    assert event.time is not None and event.days
    if not event.can_remind:
        return _answer(state, line("reminders_need_permission"), permission=True)
    schedule = Schedule(event.days, *event.time)
    state = replace(state, pending=Pending.REMINDER_CONFIRM, proposal=schedule)
    return say(state, line("reminder_confirm", when=said(schedule)))  # its reprompt asks again


def answer_confirm(state: UserState, event: Event, proposal: Schedule) -> Outcome | None:
    """Yes sets it (the API was called with `effect`), no doesn't; anything else drops the question."""
    state = replace(state, proposal=None)
    if event.kind is Kind.NO:
        return _answer(state, line("reminder_not_set"))
    if event.kind is not Kind.YES:
        return None
    trouble = _trouble(state, event)
    if trouble:
        return trouble
    state = replace(state, profile=replace(state.profile, reminder=proposal))
    return _answer(state, line("reminder_set", when=said(proposal)))


def on_list(state: UserState, event: Event) -> Outcome:
    trouble = _trouble(state, event)
    if trouble:
        return trouble
    schedules = event.api.schedules if event.api else ()
    if not schedules:
        return _answer(state, line("reminders_none"))
    return _answer(state, line("reminders_are"), *(said(s) for s in schedules))


def on_cancel(state: UserState, event: Event) -> Outcome:
    trouble = _trouble(state, event)
    if trouble:
        return trouble
    count = event.api.count if event.api else 0
    state = replace(state, profile=replace(state.profile, reminder=None))
    return _answer(state, line("reminders_cancelled") if count else line("reminders_none_to_cancel"))


def on_move(state: UserState, event: Event) -> Outcome:
    trouble = _trouble(state, event)
    if trouble:
        return trouble
    schedules = event.api.schedules if event.api else ()
    if not schedules:
        return _answer(state, line("reminders_none_to_move"))
    state = replace(state, profile=replace(state.profile, reminder=schedules[0]))
    return _answer(state, line("reminders_moved"), *(said(s) for s in schedules))


HANDLERS: dict[Kind, Handler] = {
    Kind.REMIND: on_remind, Kind.REMINDERS_LIST: on_list, Kind.REMINDERS_CANCEL: on_cancel,
    Kind.REMINDER_MOVE: on_move,
}
