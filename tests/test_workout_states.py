"""Every workout state x every event: the pure step never fails and never leaves a dead end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from skill.coach.events import Kind
from skill.coach.reply import Line
from skill.coach.state import HistoryEntry, Level, Pending, Phase, Profile, UserState, Workout, profile_at
from skill.coach.workout import AUTOMATIC, step
from skill.voice.speech import check_limits, estimate_seconds, render_ssml
from tests.ssml_check import validate_ssml
from tests.workout_helpers import MONDAY_NOON, PHRASES, event

T = MONDAY_NOON
PLAN = ("swiss_ball_curls", "eccentric_curls")
BASE = Workout(plan=PLAN, started_at=T - 600, updated_at=T - 60)
HISTORY = Profile(history=(HistoryEntry(T - 86_400, ("inchworms",), 3),))

STATES: dict[str, UserState] = {
    "fresh": UserState(),
    "returning": UserState(profile=HISTORY),
    "intro": UserState(workout=BASE),
    "resting": UserState(workout=replace(BASE, set_number=2, phase=Phase.RESTING, sets_done=1)),
    "in_set_split": UserState(workout=replace(BASE, phase=Phase.IN_SET, part=1)),
    "in_set_self_paced": UserState(profile=Profile(self_paced=True), workout=replace(BASE, phase=Phase.IN_SET)),
    "paused": UserState(workout=replace(BASE, phase=Phase.PAUSED, paused_phase=Phase.RESTING, set_number=2)),
    "last_set_of_last": UserState(workout=replace(BASE, exercise_index=1, set_number=3, phase=Phase.RESTING)),
    "inchworms": UserState(workout=Workout(plan=("inchworms",), started_at=T, updated_at=T)),
    "harder": UserState(profile=profile_at(Level.HARDER), workout=BASE),
    "no_gear": UserState(profile=Profile(missing_equipment=frozenset({"partner", "trx"})), workout=BASE),
    "asked_resume": UserState(workout=replace(BASE, set_number=2, phase=Phase.RESTING), pending=Pending.RESUME_CHOICE),
    "asked_delete": UserState(profile=HISTORY, pending=Pending.DELETE_DATA),
    "expired": UserState(workout=replace(BASE, updated_at=T - 2 * 86_400)),
}

DETAILS: dict[Kind, dict[str, object]] = {
    Kind.CHOOSE: {"exercise": "dumbbell_rdl"},
    Kind.SET_REST: {"seconds": 90},
    Kind.HAVE_EQUIPMENT: {"equipment": "partner"},
    Kind.MISSING_EQUIPMENT: {"equipment": "stability_ball"},
    Kind.UNCLEAR: {"unclear": "exercise"},
    Kind.REMIND: {"days": ("TU", "TH"), "time": (7, 0), "can_remind": True},
    Kind.REMINDER_MOVE: {"time": (8, 0), "can_remind": True},
}


@pytest.mark.parametrize("new_session", [False, True])
@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("name", list(STATES))
def test_every_state_and_event_gives_a_valid_reply(name: str, kind: Kind, new_session: bool) -> None:
    outcome = step(STATES[name], event(kind, T, new_session, **DETAILS.get(kind, {})))
    reply = outcome.reply
    ssml = render_ssml(reply.speech, PHRASES)
    validate_ssml(ssml)
    check_limits(ssml, estimate_seconds(reply.speech, PHRASES))
    if kind in AUTOMATIC:  # only a screen sends these, naming its position: without one, nothing happens
        assert reply.quiet and not reply.speech and outcome.state == STATES[name].expired(T)
        return
    assert reply.end_session or reply.reprompt, "open session without a reprompt"
    assert all(isinstance(s, Line) or s.seconds <= 240 for s in reply.speech)
    if outcome.state.workout is not None:
        workout = outcome.state.workout
        assert 0 <= workout.exercise_index < len(workout.plan)
        assert workout.set_number >= 1
        assert workout.phase is not Phase.PAUSED or workout.paused_phase is not None
    assert outcome.state.pending is None or not reply.end_session


@pytest.mark.parametrize("name", list(STATES))
def test_from_every_state_ready_reaches_the_end(name: str) -> None:
    """No state the workout cannot be finished from: "ready" (after "continue" if asked) ends it."""
    state, now = STATES[name], T
    for _ in range(80):
        now += 60
        kind = Kind.READY if state.pending is not Pending.DELETE_DATA else Kind.NO
        outcome = step(state, event(kind, now))
        state = outcome.state
        if state.workout is None:
            break
    assert state.workout is None


@pytest.mark.parametrize("name", list(STATES))
def test_stop_and_cancel_end_the_session_and_keep_progress(name: str) -> None:
    for kind in (Kind.STOP, Kind.CANCEL):
        outcome = step(STATES[name], event(kind, T))
        assert outcome.reply.end_session
        before = STATES[name].expired(T).workout
        if before is not None and STATES[name].pending is None:
            assert outcome.state.workout == before
