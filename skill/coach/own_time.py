"""The runner's own time past the microphone window: a screen keeps the session, a timer calls them back,
or the reply says how to come back and ends the session.

A reply that leaves the runner busy on their own for longer than the microphone stays open (a self-paced
set, a rest the reply cannot count, setting up the next exercise) comes here. On a device with a screen the
session stays open without the microphone: the screen counts the rest down and wakes the skill at its end,
or shows the buttons until the runner taps Done (`skill.coach.screens`). Without a screen, and with the
runner's consent (asked once, in the dialogue, remembered in the profile), a device timer brings them back;
without the permission the Alexa app gets a card asking for it, once. Whatever happens, the reply says how to
come back.
"""

from __future__ import annotations

from skill.coach.events import TIMERS_GRANTED, TIMERS_NONE, Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Duration, Line, Segment, Timer, line
from skill.coach.respond import MIC_WINDOW_SECONDS, say
from skill.coach.state import Pending, Phase, UserState

TIMER_CARD = "timer_card"  # Profile.tips: the permission card was sent (it is sent once)


def _come_back(state: UserState) -> Line:
    """How to come back when the timer (or the runner's own sense of time) says so."""
    workout = state.workout
    in_set = workout is not None and workout.phase is Phase.IN_SET
    return line("come_back_done" if in_set else "come_back_ready")


def leave(state: UserState, event: Event, said: tuple[Segment, ...], *, seconds: float, come_back: Line,
          on_screen: Line, card_for: str | None = None) -> Outcome:
    """The runner is on their own for `seconds` after `said` has played (`come_back` says how to come back,
    `on_screen` what the screen does instead)."""
    workout = state.workout
    assert workout is not None
    if event.device.screen:  # the rest starts once the reply has played, its last line included
        ends = event.now + event.estimate((*said, on_screen)) + seconds
        state = replace(state, workout=replace(workout, own_until=ends))
        return say(state, *said, on_screen, card_for=card_for, away=seconds)
    ends = event.now + event.estimate((*said, come_back)) + seconds
    if seconds <= MIC_WINDOW_SECONDS or event.device.timers == TIMERS_NONE or state.profile.timers is False:
        return say(state, *said, come_back, end=True, card_for=card_for, away=seconds)
    state = replace(state, workout=replace(workout, own_until=ends))
    if state.profile.timers is None:  # asked once, before the runner goes
        return say(replace(state, pending=Pending.TIMER_OFFER), *said, line("timer_offer"), card_for=card_for)
    return _with_timer(state, event, said, come_back, card_for)


def answer_offer(state: UserState, event: Event, agreed: bool) -> Outcome:
    """ "Yes" or "no" to the timer: remembered, then the runner goes off on their own as they were about to."""
    state = replace(state, profile=replace(state.profile, timers=agreed))
    if not agreed:
        return _away(say(state, line("timer_declined"), _come_back(state), end=True), state, event)
    return _with_timer(state, event, (line("timer_agreed"),), _come_back(state), None)


def _away(outcome: Outcome, state: UserState, event: Event) -> Outcome:
    workout = state.workout
    left = max(0.0, (workout.own_until if workout else 0.0) - event.now)
    return replace(outcome, reply=replace(outcome.reply, away=left))


def _with_timer(state: UserState, event: Event, said: tuple[Segment, ...], come_back: Line,
                card_for: str | None) -> Outcome:
    """A timer when the runner allowed it; else (the permission is missing) the card that asks, once."""
    workout = state.workout
    assert workout is not None
    seconds = max(1, round(workout.own_until - event.now))
    if event.device.timers == TIMERS_GRANTED:
        state = replace(state, workout=replace(workout, timer_until=event.now + seconds))
        announce = "timer_announce_done" if workout.phase is Phase.IN_SET else "timer_announce_ready"
        outcome = say(state, *said, line("timer_set", duration=Duration(seconds)), come_back, end=True,
                      card_for=card_for)
        reply = replace(outcome.reply, timer=Timer("set", seconds, announce))
        return _away(replace(outcome, reply=reply), state, event)
    if TIMER_CARD in state.profile.tips:
        return _away(say(state, *said, come_back, end=True, card_for=card_for), state, event)
    state = replace(state, profile=replace(state.profile, tips=state.profile.tips | {TIMER_CARD}))
    outcome = say(state, *said, line("timer_permission_card"), come_back, end=True, card_for=card_for)
    return _away(replace(outcome, reply=replace(outcome.reply, ask_timer_permission=True)), state, event)


def cancel_stale_timer(before: UserState, event: Event, outcome: Outcome, question: bool) -> Outcome:
    """A timer still to go off when the runner is back (early, to stop, pause or finish): cancel it. A question
    leaves it: they are only asking."""
    workout = before.workout
    if workout is None or workout.timer_until <= event.now or question or outcome.reply.timer is not None:
        return outcome
    state = outcome.state
    if state.workout is not None:
        state = replace(state, workout=replace(state.workout, timer_until=0.0))
    return replace(outcome, state=state, reply=replace(outcome.reply, timer=Timer("cancel")))
