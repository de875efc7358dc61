"""A device with a screen: hands-free sessions, the buttons, and what the screen sends back.

Applied to every outcome in `skill.coach.workout.step`, so no handler needs to know the device: on a screen,
a reply that leaves the runner in their own time (`Workout.own_until`) keeps the session open without the
microphone; the screen counts the rest down and wakes the skill at its end (REST_OVER), or waits for a tap,
with a heartbeat that keeps the session open. An event from a screen names the position it showed
(`Screen.step`): one from a screen that has moved on (an old set, a double tap) changes nothing and gets a
quiet reply. A runner who walks away (no tap, no word, WALK_AWAY_SECONDS after their own time) gets the
session ended with their progress saved.
"""

from __future__ import annotations

from skill.coach import lines
from skill.coach.events import SCREEN_KINDS, Event, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import line, silence
from skill.coach.respond import say
from skill.coach.state import Phase, UserState, Workout

WALK_AWAY_SECONDS = 180.0  # after their own time, with no tap and no word: the runner has gone
HEARTBEAT_SECONDS = 20.0   # the screen's heartbeat (Alexa keeps a screen's session about 30 s without one)
BUTTONS: dict[Phase, tuple[Kind, ...]] = {
    Phase.INTRO: (Kind.READY, Kind.FORM_TIP, Kind.SKIP, Kind.EASIER, Kind.HARDER),
    Phase.IN_SET: (Kind.DONE, Kind.PAUSE, Kind.SKIP, Kind.FORM_TIP, Kind.EASIER, Kind.HARDER),
    Phase.RESTING: (Kind.READY, Kind.PAUSE, Kind.FORM_TIP, Kind.EASIER, Kind.HARDER),
    Phase.PAUSED: (Kind.READY,),
}


def position(workout: Workout | None) -> str:
    """The position a screen shows, as a short name: exercise, set, phase, part and when it was reached."""
    if workout is None:
        return "none"
    w = workout
    return f"{w.exercise_index}.{w.set_number}.{w.phase.value}.{w.part}.{int(w.updated_at)}"


def _waiting(workout: Workout) -> bool:
    return workout.own_until > 0 and workout.phase is not Phase.PAUSED


def _watch_until(workout: Workout) -> float:
    return max(workout.own_until, workout.updated_at) + WALK_AWAY_SECONDS


def present(outcome: Outcome, event: Event) -> Outcome:
    """The outcome as the device shows it: the screen's position and buttons; hands-free on a screen while the
    runner is in their own time."""
    reply, workout = outcome.reply, outcome.state.workout
    if reply.screen is None or workout is None:
        return outcome
    buttons = BUTTONS[workout.phase]
    if workout.phase is Phase.IN_SET and workout.part and not outcome.state.profile.self_paced:
        buttons = (Kind.READY, *buttons[1:])  # a set split where the legs switch: "ready" for the other leg
    screen = replace(reply.screen, step=position(workout), buttons=tuple(k.value for k in buttons))
    asking = outcome.state.pending is not None  # a question needs the microphone
    # The progress chart takes the screen ("how am I doing?"): no countdown shows, so the microphone stays open.
    charting = reply.chart is not None
    if event.device.screen and not reply.end_session and not reply.quiet and not asking and not charting \
            and _waiting(workout):
        counting = workout.phase in (Phase.RESTING, Phase.INTRO) and workout.own_until > event.now
        rest = reply.away or workout.own_until - event.now  # a question mid-rest: what is left of it
        screen = replace(screen, wake_at=workout.own_until if counting else 0.0,
                         rest_seconds=max(1, round(rest)) if counting else 0,
                         watch_until=workout.own_until if counting else _watch_until(workout))
        reply = replace(reply, reprompt=(), hands_free=True)
    return replace(outcome, reply=replace(reply, screen=screen))


def _quiet(state: UserState) -> Outcome:
    return Outcome(state, silence())


def from_screen(state: UserState, event: Event) -> Outcome | None:
    """A stale or automatic screen event answered here; None: the workout handles it as the voice intent."""
    if event.kind not in SCREEN_KINDS:
        return _quiet(state)  # a screen never sends anything else: nothing to say, nothing changes
    workout = state.workout
    if workout is None or event.step != position(workout):
        return _quiet(state)
    if event.kind is Kind.HEARTBEAT:
        if _waiting(workout) and event.now > _watch_until(workout):
            return walked_away(state)
        return _quiet(state)
    if event.kind is Kind.REST_OVER:
        if workout.phase is Phase.INTRO and workout.own_until:  # set up for the next exercise: tap when ready
            state = replace(state, workout=replace(workout, own_until=min(workout.own_until, event.now)))
            return say(state, line("screen_setup_over"))
        if workout.phase is not Phase.RESTING:
            return _quiet(state)
    return None


def walked_away(state: UserState) -> Outcome:
    """Nobody has tapped or spoken for minutes: end the session, the progress saved."""
    workout = state.workout
    assert workout is not None
    return say(state, line("screen_walked_away"), *lines.where(workout, state.profile), line("come_back_continue"),
               end=True)

