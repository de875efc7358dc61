"""What every reply the crawler sees must hold, as a real Echo and a runner on the floor need it.

Alexa accepts it (valid SSML within its limits); an open session has a
reprompt that matches what was asked; stop, cancel, pause and a break exit;
an introduction comes with its card and names the exercise once; questions
change nothing; "done" never starts a set; pain never asks for the next set;
and the device invariant: a reply that leaves the runner busy on their own
for longer than the microphone stays open (a self-paced set, a rest it could
not count) says how to come back and ends the session on purpose.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from skill.coach import lines, pacing, plan, programme
from skill.coach.events import TIMERS_GRANTED, Event, Kind, Outcome
from skill.coach.reply import Line, Name, Segment
from skill.coach.respond import MIC_WINDOW_SECONDS
from skill.coach.sets import broken_off
from skill.coach.state import REST_MAX_SECONDS, REST_MIN_SECONDS, Pending, Phase, UserState
from skill.coach.workout import AUTOMATIC, finishes_the_set, step
from skill.voice.content import Content
from skill.voice.render import card_text
from skill.voice.speech import check_limits, estimate_seconds, render_ssml, render_text
from tests.ssml_check import validate_ssml

EXITS = frozenset({Kind.STOP, Kind.CANCEL, Kind.NAVIGATE_HOME, Kind.PAUSE, Kind.TAKE_A_BREAK})
QUESTIONS = frozenset({
    Kind.PROGRESS, Kind.WHATS_NEXT, Kind.HOW_LONG, Kind.HOW_MANY, Kind.WHICH_LEG, Kind.WHAT_DO_I_NEED,
    Kind.FORM_TIP, Kind.THANKS, Kind.WEEK_COUNT, Kind.LAST_WORKOUT, Kind.STREAK, Kind.WHY, Kind.HELP,
    Kind.UNCLEAR, Kind.REPEAT, Kind.HOW_AM_I_DOING, Kind.REMINDERS_LIST,
})  # fmt: skip
STARTS_A_SET = frozenset({"set_start", "set_start_alternating", "set_start_ball", "set_start_stand", "walk_start",
                          "set_start_self"})
RESTS = frozenset({"rest_start", "rest_setting_up"})
ON_SCREEN = frozenset({"screen_rest", "screen_setup"})  # a rest the screen counts down
_SENTENCE_START = re.compile(r"[.!?] +[¿¡«\"“„ ]*([^\W\d_])")  # the first letter after a full stop, in any script


def keys(outcome: Outcome) -> list[str]:
    return [s.key for s in outcome.reply.speech if isinstance(s, Line)]


def check_workout(state: UserState) -> None:
    """Invariants of a stored state: where the runner is always exists in the plan and the dose."""
    assert REST_MIN_SECONDS <= (state.profile.rest_seconds or REST_MIN_SECONDS) <= REST_MAX_SECONDS
    workout = state.workout
    if workout is None:
        return
    assert workout.plan and len(set(workout.plan)) == len(workout.plan) <= 2, workout.plan
    assert 0 <= workout.exercise_index < len(workout.plan), workout
    assert 1 <= workout.set_number <= plan.total_sets(workout, state.profile), workout
    assert (workout.phase is Phase.PAUSED) == (workout.paused_phase is not None), workout
    assert workout.paused_phase is not Phase.PAUSED, workout
    assert 0 <= workout.current_sets <= workout.sets_done, workout
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    if workout.phase is Phase.IN_SET and not state.profile.self_paced:
        assert 0 <= workout.part < len(pacing.guided_set(exercise, dose, workout.set_number, _any_estimate)), workout


def _any_estimate(segments: object) -> float:
    return 0.0


def check_speech(reply_ssml: list[str], seen_ssml: set[str], text: str) -> None:
    for part in reply_ssml:
        if part not in seen_ssml:  # many replies repeat: parse each distinct one once
            validate_ssml(part)
            seen_ssml.add(part)
    starts = _SENTENCE_START.findall(re.sub(r"\[[\d.]+ s\] ", "", text))
    assert not any(letter.islower() for letter in starts), f"a sentence starts in lower case: {text}"


@lru_cache(maxsize=65_536)
def _spoken(speech: tuple[Segment, ...], reprompt: tuple[Segment, ...] | None, phrases: Content,
            variant: int) -> tuple[str, float]:
    """The speech checks of a reply (SSML Alexa accepts, within its limits, sentences capitalised), once per
    distinct reply: most of the crawl's replies repeat. Returns (SSML, estimated seconds)."""
    ssml = render_ssml(speech, phrases, variant)
    seconds = estimate_seconds(speech, phrases, variant)
    check_limits(ssml, seconds)
    check_speech([ssml, *([] if reprompt is None else [render_ssml(reprompt, phrases, variant)])], set(),
                 render_text(speech, phrases, variant))
    return ssml, seconds


def check_reply(state: UserState, event: Event, outcome: Outcome, variant: int,
                phrases: Content) -> tuple[int, float]:
    """One reply is something Alexa accepts and that leaves the runner a way on; returns (chars, seconds)."""
    reply, after, where = outcome.reply, outcome.state, f"{event.kind} {event.device} from {state}"
    if reply.quiet:  # a heartbeat, or a screen's event for a position it no longer shows: nothing changes
        assert not reply.speech and not reply.end_session and reply.timer is None, where
        assert after == state.expired(event.now), f"a quiet reply changed the state: {where}"
        assert event.step or event.kind in (Kind.REST_OVER, Kind.HEARTBEAT), where
        return 0, 0.0
    ssml, seconds = _spoken(reply.speech, None if reply.end_session else reply.reprompt, phrases, variant)
    assert reply.end_session or reply.reprompt or reply.hands_free, "open session without a reprompt"
    if reply.hands_free:  # only on a screen, which then wakes the skill or keeps the session open
        assert event.device.screen and not reply.reprompt and reply.screen is not None, where
        assert reply.screen.watch_until > event.now and reply.screen.buttons, where
        assert after.pending is None, f"a question asked hands-free, where nothing listens: {where}"
    elif not reply.end_session:
        assert reply.reprompt == lines.prompt(after), f"the reprompt is not what was asked: {where}"
    said = keys(outcome)
    intros = [s.params["name"] for s in reply.speech if isinstance(s, Line) and s.key.startswith("intro_")]
    assert len(intros) <= 1, f"introduced twice: {where}"
    if intros or reply.card:  # a card with every introduction, for the exercise introduced
        assert reply.card is not None and intros, f"card without introduction or vice versa: {where}"
        assert isinstance(intros[0], Name) and reply.card.exercise == intros[0].exercise, where
        assert card_text(reply.card, phrases)[0].lower() == phrases.exercises[reply.card.exercise].name.lower()
    assert (reply.screen is None) == (after.workout is None), where
    if reply.screen and after.workout:
        assert (reply.screen.exercise_id, reply.screen.set_number) == (
            after.workout.exercise_id, after.workout.set_number), where
    _check_session_end(state, event, outcome, where)
    _check_own_time(state, event, outcome, said, where)
    _check_timer(state, event, outcome, where)
    _check_meaning(state, event, outcome, said, where)
    check_workout(after)
    return len(ssml), seconds


def _check_session_end(state: UserState, event: Event, outcome: Outcome, where: str) -> None:
    reply, after = outcome.reply, outcome.state
    if event.kind in EXITS and (state.workout is not None or event.kind not in (Kind.PAUSE, Kind.TAKE_A_BREAK)):
        assert reply.end_session, f"{event.kind} must end the session: {where}"
    elif reply.end_session:  # otherwise only a finished workout, deleted data or the runner's own time ends it
        finished = after.workout is None and state.workout is not None
        forgot = outcome.forget_user or outcome.forget_everyone
        assert finished or forgot or reply.says_how_to_come_back, f"session ended unexpectedly: {where}"
    if event.kind is Kind.STOP:  # "stop" keeps the progress, less a set it broke off while being coached
        kept, _ = broken_off(state.expired(event.now), event)
        timer_cancelled = kept.workout and replace(kept.workout, timer_until=0.0)  # the timer it had, cancelled
        assert after.workout in (kept.workout, timer_cancelled), where


def _check_own_time(state: UserState, event: Event, outcome: Outcome, said: list[str], where: str) -> None:
    """The device invariant: the runner's own time longer than the microphone window ends the session on
    purpose and says how to come back; a set that ends in a reply is followed by a counted rest or that."""
    reply, after = outcome.reply, outcome.state
    if reply.away > MIC_WINDOW_SECONDS:  # on a screen the session may stay open, the screen watching the runner
        played = event.now + event.estimate(reply.speech) + reply.away
        watched = reply.hands_free and reply.screen is not None and reply.screen.watch_until >= played - 1
        told = reply.end_session and reply.says_how_to_come_back
        assert told or watched, f"stranded for {reply.away:.0f} s: {where}"
    workout = after.workout
    if workout and workout.phase is Phase.IN_SET and after.profile.self_paced and "set_start_self" in said:
        exercise = programme.exercise(workout.exercise_id)
        own = pacing.own_time(exercise, plan.dose_for(exercise, after.profile), workout.set_number, event.estimate)
        asked = after.pending is Pending.TIMER_OFFER and not reply.end_session
        assert asked or (reply.away >= own > MIC_WINDOW_SECONDS and (reply.end_session or reply.hands_free)), where
    if "set_done" in said and workout is not None:
        counted = RESTS & set(said) or (reply.hands_free and ON_SCREEN & set(said))
        asked = after.pending is Pending.TIMER_OFFER
        assert counted or asked or (reply.end_session and reply.says_how_to_come_back), f"uncounted rest: {where}"


def _check_timer(state: UserState, event: Event, outcome: Outcome, where: str) -> None:
    """A timer only with consent and the permission, for own time past the window, saying how to come back;
    cancelled only when one was set and the runner moved on."""
    timer, reply = outcome.reply.timer, outcome.reply
    if timer is None:
        return
    if timer.action == "set":
        assert event.device.timers == TIMERS_GRANTED and outcome.state.profile.timers is True, where
        assert timer.seconds > MIC_WINDOW_SECONDS and reply.end_session and reply.says_how_to_come_back, where
        assert outcome.state.workout is not None and outcome.state.workout.timer_until > event.now, where
    else:
        assert timer.action == "cancel" and state.workout is not None and state.workout.timer_until > event.now
    if reply.ask_timer_permission:
        assert event.device.timers != TIMERS_GRANTED and "timer_card" not in state.profile.tips, where


def _check_meaning(state: UserState, event: Event, outcome: Outcome, said: list[str], where: str) -> None:
    """Questions answer and change nothing; "done" never starts a set; pain never asks for the next one."""
    before = replace(state.expired(event.now), pending=None, proposal=None)
    coaching = before.workout is not None and not event.new_session \
        and before.workout.coaching(event.now, event.session)
    if event.kind in QUESTIONS and not coaching:
        assert outcome.state == before, f"a question moved the workout: {where}"
    if event.kind is Kind.DONE and not coaching:
        assert not STARTS_A_SET & set(said), f'"done" started a set: {where}'
    if event.kind is Kind.PAIN:
        assert not STARTS_A_SET & set(said) and "ready_for_set" not in said, f"pain, then the next set: {where}"
    moving_on = event.kind in (Kind.NEXT_EXERCISE, Kind.SKIP) and not event.new_session
    if moving_on and before.workout and state.pending is None:  # the last exercise is finished only on purpose
        assert outcome.state.workout is not None, f"moving on ended the workout: {where}"


def check_barge_in(state: UserState, now: float, events: tuple[Event, ...], phrases: Content) -> int:
    """A request while a set is still being coached: it does not count, unless the runner says they're done."""
    workout = state.workout
    if workout is None or workout.before_set is None or workout.coaching_until <= workout.updated_at:
        return 0
    at = workout.updated_at + 1.0  # a second into the set's coaching
    for template in events[::7]:
        event = replace(template, now=at, new_session=False)
        outcome = step(state, event)
        said = keys(outcome)
        if event.kind in AUTOMATIC:  # a screen's own heartbeat or wake-up is not the runner breaking off
            assert outcome.reply.quiet and outcome.state == state, event
        elif finishes_the_set(state, event):
            assert outcome.state.workout is None or outcome.state.workout.sets_done == workout.sets_done, event
            assert "set_not_counted" not in said, event
        else:
            assert said[:1] == ["set_not_counted"], f"{event.kind} barged in and the set still counted"
            after = outcome.state.workout
            assert after is None or outcome.forget_user or after.sets_done <= workout.sets_done - 1 or \
                len(outcome.state.profile.history) > len(state.profile.history), event
    return 1
