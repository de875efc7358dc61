"""The dialogue crawler: every reachable workout state x every event, then a sample through the real app.

Pure level for breadth (tests/crawl.py): each reply renders to SSML Alexa
accepts within its limits, an open session always has a reprompt, stop/cancel
always exit, and from every visited state "ready" (or "next exercise") finishes
the workout. HTTP level for truth (tests/crawl_http.py): sampled paths and
every intent of the interaction model go through Flask, Redis and ask-sdk and
must answer exactly what the pure workout predicts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from simulator.envelopes import Device
from skill.coach import plan, programme
from skill.coach.events import Event, Kind
from skill.coach.reply import Line
from skill.coach.state import (
    REST_MAX_SECONDS,
    REST_MIN_SECONDS,
    Level,
    Pending,
    Phase,
    UserState,
    Workout,
    profile_at,
)
from skill.coach.workout import step
from skill.voice.speech import MAX_REPLY_SECONDS, check_limits, estimate_seconds, render_ssml, render_text
from tests.crawl import EVENTS, NOW, PHRASES, after_reply, crawl, ev
from tests.crawl_checks import check_reply
from tests.crawl_http import Replayer, model_intents
from tests.locales import crawl_group
from tests.runner import Runner

pytestmark = crawl_group("en-US")  # the en-US crawl, on one xdist worker with the others using it

MIN_STATES = 3_500
MIN_CHECKS = 180_000
FINISH_LIMIT = 60  # turns; a guided workout takes about a dozen


def test_every_reachable_state_answers_every_event(capsys: pytest.CaptureFixture[str]) -> None:
    result = crawl()  # raises at the first bad reply, naming the event and the state
    with capsys.disabled():
        print(f"\ncrawler: {len(result.paths)} states x {len(EVENTS)} events = {result.checks} replies checked; "
              f"longest {result.longest_chars[0]} chars, {result.longest_seconds[0]:.0f} s")
    assert len(result.paths) >= MIN_STATES
    assert result.checks >= MIN_CHECKS
    workouts = [s.workout for s in result.paths if s.workout]
    covered = {(w.exercise_id, w.phase) for w in workouts}
    assert covered >= {(e, p) for e in programme.exercise_ids() for p in Phase}, "a phase of an exercise unreached"
    assert {level for s in result.paths for _, level in s.profile.levels} == {Level.EASIER, Level.HARDER}
    # a voice profile's "is this progress yours?" is asked by skill.coach.household (tests/test_household.py)
    assert {s.pending for s in result.paths} == {None, *Pending} - {Pending.CLAIM_PROGRESS}
    assert {(s.profile.self_paced, s.profile.rest_seconds is None) for s in result.paths} >= {
        (True, True), (True, False), (False, True), (False, False)}


def _finish(state: UserState, now: float, choose: Callable[[UserState], Kind]) -> int:
    """Turns until the workout is complete (and recorded), saying `choose(state)` each turn."""
    history = len(state.profile.history)
    for turn in range(1, FINISH_LIMIT + 1):
        outcome = step(state, ev(choose(state), now))
        state, now = outcome.state, after_reply(now, outcome.reply.speech)
        if state.workout is None and len(state.profile.history) > history:
            assert outcome.reply.end_session, "a finished workout ends the session"
            return turn
    raise AssertionError(f"no way to finish the workout from {state}")


def _onwards(state: UserState) -> Kind:
    """What a runner says to get on: "done" in a set of their own, "yes" to a question, else "ready"."""
    if state.workout is None:
        return Kind.NEXT_EXERCISE
    if state.pending is not None:
        return Kind.NO if state.pending in (Pending.DELETE_DATA, Pending.DELETE_EVERYONE) else Kind.YES
    return Kind.DONE if state.workout.phase is Phase.IN_SET and state.profile.self_paced else Kind.READY


def _enough(state: UserState) -> Kind:
    """ "That's enough for today" as soon as a set is done (a workout with none is not recorded)."""
    if state.workout is None or state.pending is not None or not state.workout.sets_done:
        return _onwards(state)
    return Kind.FINISH


def test_from_every_state_ready_or_finish_ends_the_workout_recorded() -> None:
    result = crawl()
    ready = [_finish(s, result.times[s], _onwards) for s in result.paths]
    finish = [_finish(s, result.times[s], _enough) for s in result.paths]
    assert max(ready) <= 40 and max(finish) <= 6, (max(ready), max(finish))


def test_stop_leaves_from_every_state() -> None:
    result = crawl()
    for state in result.paths:
        outcome = step(state, result.event(state, Kind.STOP))
        assert outcome.reply.end_session and not outcome.reply.reprompt


def test_the_crawl_barged_in_mid_set() -> None:
    assert crawl().barge_ins >= 100


def test_last_set_rest_and_next_introduction_fit_one_reply() -> None:
    """Found by the crawler: RDL set 3 + 90 s countdown + the TRX introduction ran to 249 s (> 240 s).

    The reply was rejected (SpeechTooLong), nothing was saved, and every "ready" failed the same way.
    """
    workout = Workout(plan=("dumbbell_rdl", "trx_hamstring_runners"), started_at=NOW, updated_at=NOW,
                      set_number=3, phase=Phase.RESTING, sets_done=2)
    state = UserState(workout=workout)
    now = NOW
    outcome = step(state, ev(Kind.READY, now))
    if outcome.state.workout and outcome.state.workout.phase is Phase.IN_SET:  # split where the legs switch
        check_reply(state, ev(Kind.READY, now), outcome, 0, PHRASES)
        state, now = outcome.state, after_reply(now, outcome.reply.speech)
        outcome = step(state, ev(Kind.READY, now))
    ssml = render_ssml(outcome.reply.speech, PHRASES)
    check_limits(ssml, estimate_seconds(outcome.reply.speech, PHRASES))
    said = [s.key for s in outcome.reply.speech if isinstance(s, Line)]
    assert "intro_next" in said and ("rest_setting_up" in said or outcome.reply.end_session)
    check_reply(state, ev(Kind.READY, now), outcome, 0, PHRASES)


@pytest.mark.parametrize("level", list(Level))
def test_every_guided_set_reply_fits_for_every_pair_and_rest(level: Level) -> None:
    """Set replies carry the most speech (reps, rest countdown, next introduction): check them all."""
    longest = 0.0
    for first, second in itertools.permutations(programme.exercise_ids(), 2):
        for rest in (None, REST_MIN_SECONDS, 90, REST_MAX_SECONDS):
            profile = profile_at(level, rest_seconds=rest)
            sets = plan.total_sets(Workout((first, second), NOW, NOW), profile)
            for number, phase in itertools.product(range(1, sets + 1), (Phase.INTRO, Phase.RESTING)):
                state = UserState(profile, Workout((first, second), NOW, NOW, set_number=number, phase=phase))
                now = NOW
                for _ in range(3):  # a set split over replies continues on "ready"
                    outcome = step(state, ev(Kind.READY, now))
                    seconds = check_reply(state, ev(Kind.READY, now), outcome, number, PHRASES)[1]
                    longest, state, now = max(longest, seconds), outcome.state, after_reply(now, outcome.reply.speech)
                    if state.workout is None or state.workout.phase is not Phase.IN_SET:
                        break
    assert 60 < longest <= MAX_REPLY_SECONDS


@pytest.mark.parametrize("equipment", list(programme.EQUIPMENT))
def test_missing_equipment_reads_as_english(equipment: str) -> None:
    """Heard while crawling: "Got it, no a stability ball." (the names carry their article)."""
    text = render_text(step(UserState(), ev(Kind.MISSING_EQUIPMENT, equipment=equipment)).reply.speech, PHRASES)
    assert f"don't have {PHRASES.equipment[equipment].name}." in text and "no a " not in text


def _sample(count: int) -> list[tuple[Event, ...]]:
    """Evenly spaced crawl paths, shortest to longest, REPEAT kept in (the app answers it from the session)."""
    paths = sorted(crawl().paths.values(), key=lambda p: (len(p), [e.kind.value for e in p]))
    stride = max(1, len(paths) // count)
    return [*paths[::stride][:count], max(paths, key=len)]


def test_sampled_paths_through_the_app_answer_as_the_workout_predicts(client: FlaskClient) -> None:
    replayed = directives = screen_events = 0
    for index, path in enumerate(_sample(300)):
        replayer = Replayer(Runner(client, Device(apl=index % 2 == 0)))
        for event in path:
            replayer.event(event)
        replayed += replayer.turns
        directives += replayer.directives
        screen_events += replayer.screen_events
    assert replayed >= 1_500 and directives > 0 and screen_events > 0, (replayed, directives, screen_events)


POSITIONS: dict[str, tuple[Event, ...]] = {
    "fresh": (),
    "introduced": (ev(Kind.START),),
    "resting": (ev(Kind.START), ev(Kind.READY)),
    "paused": (ev(Kind.START), ev(Kind.READY), ev(Kind.PAUSE)),
    "in_a_self_paced_set": (ev(Kind.SELF_PACED), ev(Kind.START), ev(Kind.READY)),
    "asked_to_delete": (ev(Kind.START), ev(Kind.DELETE_DATA)),
}


@pytest.mark.parametrize("position", list(POSITIONS))
def test_every_model_intent_through_the_app(client: FlaskClient, position: str) -> None:
    """Every intent and slot value the interaction model defines, sent at each position, in a live session."""
    sent = 0
    for index, (name, slots) in enumerate(model_intents()):
        replayer = Replayer(Runner(client, Device(apl=index % 2 == 1)))
        replayer.launch()
        for event in POSITIONS[position]:
            replayer.event(event)
        replayer.say(name, slots)
        sent += 1
    assert sent >= 50
