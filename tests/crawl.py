"""A breadth-first crawl of the pure workout from a fresh user, checking every reply on the way.

Seeds are reached by real event paths (so each visited state has a path a
device can replay): profile variations (pace, level, missing equipment, rest,
rotation), then the "start, ready, ready..." spine of each. From every seed
and spine state every event is sent, and the states that yields are explored
breadth first (MAX_DEPTH levels, MAX_STATES states). `crawl()` is cached:
test_crawler and test_apl share one run.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cache

from skill.coach import pacing, plan, programme
from skill.coach.events import Event, Kind, Outcome
from skill.coach.reply import Line, Name
from skill.coach.sets import broken_off
from skill.coach.state import REST_MAX_SECONDS, REST_MIN_SECONDS, Phase, UserState
from skill.coach.workout import step
from skill.voice.content import for_locale
from skill.voice.render import card_text
from skill.voice.speech import check_limits, estimate_seconds, estimator, render_ssml
from tests.ssml_check import validate_ssml

PHRASES = for_locale("en-US")
ESTIMATE = estimator(PHRASES)
NOW = 1_795_780_800.0  # a Monday noon UTC: week counts are predictable
MAX_DEPTH = 2          # levels explored beyond the seeds and spines (breadth first, up to MAX_STATES)
MAX_STATES = 4_000     # keeps the crawl near 12 s; a one-off run at 20 000 found nothing more
EXITS = frozenset({Kind.STOP, Kind.CANCEL, Kind.NAVIGATE_HOME, Kind.PAUSE})



def _events() -> tuple[Event, ...]:
    """Every event kind, with representative slot values (including out-of-range rests)."""
    details: dict[Kind, list[dict[str, object]]] = {
        Kind.CHOOSE: [{"exercise": e} for e in programme.exercise_ids()],
        Kind.HAVE_EQUIPMENT: [{"equipment": e} for e in programme.EQUIPMENT],
        Kind.MISSING_EQUIPMENT: [{"equipment": e} for e in programme.EQUIPMENT],
        Kind.SET_REST: [{"seconds": s} for s in (0, 5, 90, 600)],
        Kind.UNCLEAR: [{"unclear": u} for u in ("exercise", "equipment", "duration")],
    }
    events = [Event(kind, NOW, kind is Kind.LAUNCH, **d, estimate=ESTIMATE)  # type: ignore[arg-type]
              for kind in Kind for d in details.get(kind, [{}])]
    events += [Event(kind, NOW, True, estimate=ESTIMATE)
               for kind in (Kind.NEXT_EXERCISE, Kind.READY, Kind.START, Kind.RESUME)]
    return tuple(events)  # type: ignore[arg-type]


EVENTS = _events()


def ev(kind: Kind, **details: object) -> Event:
    """An event at the crawl's fixed time: every state's timestamps stay equal, so states compare by content."""
    return Event(kind, NOW, **details, estimate=ESTIMATE)  # type: ignore[arg-type]


SEED_PATHS: dict[str, tuple[Event, ...]] = {
    "standard": (),
    "self_paced": (ev(Kind.SELF_PACED),),
    "easier": (ev(Kind.EASIER),),
    "harder": (ev(Kind.HARDER),),
    "no_ball_no_partner": (ev(Kind.MISSING_EQUIPMENT, equipment="stability_ball"),
                           ev(Kind.MISSING_EQUIPMENT, equipment="partner")),
    "no_equipment": tuple(ev(Kind.MISSING_EQUIPMENT, equipment=e) for e in programme.EQUIPMENT),
    "short_rest": (ev(Kind.SET_REST, seconds=5),),
    "long_rest_harder_self_paced": (ev(Kind.SET_REST, seconds=600), ev(Kind.HARDER), ev(Kind.SELF_PACED)),
    # a finished workout moves the rotation on; skipping through three gets every exercise first once
    "rotation_1": (ev(Kind.QUICK_START), ev(Kind.NEXT_EXERCISE)),
    "rotation_2": (ev(Kind.QUICK_START), ev(Kind.NEXT_EXERCISE)) * 2,
    "rotation_3": (ev(Kind.START), ev(Kind.NEXT_EXERCISE), ev(Kind.NEXT_EXERCISE)) * 2,
    "rotation_4_easier": (ev(Kind.START), ev(Kind.NEXT_EXERCISE), ev(Kind.NEXT_EXERCISE)) * 2
    + (ev(Kind.QUICK_START), ev(Kind.NEXT_EXERCISE), ev(Kind.EASIER)),
}


@dataclass
class Crawl:
    """What the crawl saw: each state with the path that reaches it, and the replies it checked."""

    paths: dict[UserState, tuple[Event, ...]] = field(default_factory=dict)
    checks: int = 0
    longest_chars: tuple[int, tuple[Event, ...]] = (0, ())        # SSML characters, and the path to that reply
    longest_seconds: tuple[float, tuple[Event, ...]] = (0.0, ())  # estimated seconds, and the path


def check_workout(state: UserState) -> None:
    """Invariants of a stored state: where the runner is always exists in the plan and the dose."""
    assert REST_MIN_SECONDS <= (state.profile.rest_seconds or REST_MIN_SECONDS) <= REST_MAX_SECONDS
    workout = state.workout
    if workout is None:
        return
    assert workout.plan and len(set(workout.plan)) == len(workout.plan), workout.plan
    assert 0 <= workout.exercise_index < len(workout.plan), workout
    assert 1 <= workout.set_number <= plan.total_sets(workout, state.profile), workout
    assert (workout.phase is Phase.PAUSED) == (workout.paused_phase is not None), workout
    assert workout.paused_phase is not Phase.PAUSED, workout
    exercise = programme.exercise(workout.exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    guided = not state.profile.self_paced and dose.reps is not None
    if workout.phase is Phase.IN_SET and guided:
        assert 0 <= workout.part < len(pacing.guided_set(exercise, dose, workout.set_number, ESTIMATE)), workout


def check_reply(state: UserState, event: Event, outcome: Outcome, variant: int,
                seen_ssml: set[str]) -> tuple[int, float]:
    """One reply is something Alexa accepts and that leaves the runner a way on; returns (chars, seconds)."""
    reply = outcome.reply
    ssml = render_ssml(reply.speech, PHRASES, variant)
    seconds = estimate_seconds(reply.speech, PHRASES, variant)
    check_limits(ssml, seconds)
    parts = [ssml] + ([] if reply.end_session else [render_ssml(reply.reprompt, PHRASES, variant)])
    for part in parts:
        if part not in seen_ssml:  # many replies repeat: parse each distinct one once
            validate_ssml(part)
            seen_ssml.add(part)
    assert reply.end_session or reply.reprompt, "open session without a reprompt"
    where = f"{event.kind} from {state}"
    introduced = [s.params["name"] for s in reply.speech
                  if isinstance(s, Line) and s.key in ("exercise_intro", "exercise_intro_first")]
    if introduced or reply.card:  # a card with every introduction, for the exercise introduced
        assert reply.card is not None and introduced, f"card without introduction or vice versa: {where}"
        assert isinstance(introduced[-1], Name) and reply.card.exercise == introduced[-1].exercise, where
        title, _ = card_text(reply.card, PHRASES)
        assert title.lower() == PHRASES.exercises[reply.card.exercise].name.lower(), where
    after = outcome.state
    assert (reply.screen is None) == (after.workout is None), where
    if reply.screen and after.workout:
        assert (reply.screen.exercise_id, reply.screen.set_number) == (
            after.workout.exercise_id, after.workout.set_number), where
    if event.kind in EXITS and not (event.kind is Kind.PAUSE and state.workout is None):
        assert reply.end_session, f"{event.kind} must end the session: {where}"
    elif reply.end_session:  # otherwise only a finished workout or deleted data ends the session
        finished = after.workout is None and len(after.profile.history) > len(state.profile.history)
        assert finished or outcome.forget_user, f"session ended unexpectedly: {where}"
    if event.kind is Kind.STOP:  # "stop" keeps the progress, less a set it broke off while being coached
        kept, _ = broken_off(state.expired(event.now), event)
        assert after.workout == kept.workout, where
    check_workout(after)
    return len(ssml), seconds


def spine(state: UserState, path: tuple[Event, ...]) -> list[tuple[UserState, tuple[Event, ...]]]:
    """The states of "start my workout", then "ready" until it is complete."""
    found = []
    event = ev(Kind.START)
    for _ in range(60):
        state, path = step(state, event).state, (*path, event)
        found.append((state, path))
        if state.workout is None:
            return found
        event = ev(Kind.READY)
    raise AssertionError(f"the spine did not finish: {path}")


@cache
def crawl() -> Crawl:
    """Every seed and spine state x every event, then one level further (bounded by MAX_STATES)."""
    result, seen_ssml = Crawl(), set[str]()
    queue: deque[tuple[UserState, tuple[Event, ...], int]] = deque()

    def visit(state: UserState, path: tuple[Event, ...], depth: int) -> None:
        if state not in result.paths and len(result.paths) < MAX_STATES:
            result.paths[state] = path
            queue.append((state, path, depth))

    for seed_path in SEED_PATHS.values():
        state = UserState()
        for index, event in enumerate(seed_path):
            state = step(state, event).state
            visit(state, seed_path[: index + 1], 0)
        visit(state, seed_path, 0)
        for spine_state, spine_path in spine(state, seed_path):
            visit(spine_state, spine_path, 0)
    while queue:
        state, path, depth = queue.popleft()
        for event in EVENTS:
            outcome = step(state, event)
            chars, seconds = check_reply(state, event, outcome, result.checks % 3, seen_ssml)
            result.checks += 1
            if chars > result.longest_chars[0]:
                result.longest_chars = (chars, (*path, event))
            if seconds > result.longest_seconds[0]:
                result.longest_seconds = (seconds, (*path, event))
            if depth < MAX_DEPTH:
                visit(outcome.state, (*path, event), depth + 1)
    return result
