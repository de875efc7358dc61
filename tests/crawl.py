"""A breadth-first crawl of the pure workout from a fresh user, in device time, checking every reply.

Seeds are reached by real event paths (so each visited state has a path a
device can replay): profile variations (pace, level, missing equipment, rest,
rotation), then the "start, ready, ready..." spine of each. From every seed
and spine state every event is sent, and the states that yields are explored
breadth first (MAX_DEPTH levels, MAX_STATES states). Time moves as on an Echo:
each event arrives after the last reply has played and the runner has reacted
(`tests/crawl_checks.py` also barges in mid-set on purpose). States are told
apart by content, clock readings aside. `crawl()` is cached: several test
modules share one run.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cache

from skill.coach import programme, screens
from skill.coach.events import SCREEN_KINDS, TIMERS_GRANTED, TIMERS_MISSING, ApiResult, Device, Event, Kind
from skill.coach.evolve import replace
from skill.coach.reply import Estimator, Reply
from skill.coach.state import Phase, Schedule, UserState
from skill.coach.workout import step
from skill.voice.content import for_locale
from skill.voice.speech import estimator
from tests.crawl_checks import check_barge_in, check_reply

PHRASES = for_locale("en-US")
ESTIMATE = estimator(PHRASES)
NOW = 1_795_780_800.0  # a Monday noon UTC: week counts are predictable
REACTION_SECONDS = 3.0  # a runner answers a few seconds after a reply has played
MAX_DEPTH = 2           # levels explored beyond the seeds and spines (breadth first, up to MAX_STATES)
MAX_STATES = 4_000      # keeps the crawl near 20 s


TUE_THU = Schedule(("TU", "TH"), 7, 0)
_API = [{"can_remind": True, "api": ApiResult("ok", (TUE_THU,), 1)}, {"can_remind": True, "api": ApiResult("ok")},
        {"can_remind": True, "api": ApiResult("failed")}, {"can_remind": True, "api": ApiResult("no_permission")},
        {"can_remind": True, "api": ApiResult("unavailable")}, {}]


def voice_events(estimate: Estimator) -> tuple[Event, ...]:
    """Every event kind, with representative slot values (including out-of-range rests) and what the Alexa
    APIs might answer (set, none, failed, refused, unavailable, no permission)."""
    details: dict[Kind, list[dict[str, object]]] = {
        Kind.CHOOSE: [{"exercise": e} for e in programme.exercise_ids()],
        Kind.HAVE_EQUIPMENT: [{"equipment": e} for e in programme.EQUIPMENT],
        Kind.MISSING_EQUIPMENT: [{"equipment": e} for e in programme.EQUIPMENT],
        Kind.SET_REST: [{"seconds": s} for s in (0, 5, 90, 600)],
        Kind.UNCLEAR: [{"unclear": u} for u in ("exercise", "equipment", "duration", "days", "time")],
        Kind.REMIND: [{"days": ("TU", "TH"), "time": (7, 0), "can_remind": True},
                      {"days": ("SA",), "time": (18, 30)}],
        Kind.REMINDERS_LIST: _API, Kind.REMINDERS_CANCEL: _API,
        Kind.REMINDER_MOVE: [{"time": (8, 0), **d} for d in _API],
        Kind.YES: [{}, *_API[:3]],
        Kind.DELETE_DATA: [{}, {"persons": 2}],
    }
    events = [Event(kind, NOW, kind is Kind.LAUNCH, **d, estimate=estimate)  # type: ignore[arg-type]
              for kind in Kind for d in details.get(kind, [{}])]
    events += [Event(kind, NOW, True, estimate=estimate)
               for kind in (Kind.NEXT_EXERCISE, Kind.READY, Kind.DONE, Kind.START, Kind.RESUME)]
    return tuple(events)


# The other kinds of device: an Echo Show (taps, its countdown's wake-up and heartbeat, and voice on it), and an
# Echo Dot whose runner allowed timers, or has not granted the permission. Screen events name a position: the
# state's own (CURRENT), the state's own long after (LATE: nobody tapped), or one the screen no longer shows.
SCREEN, TIMERS, NO_PERMISSION = Device(screen=True), Device(timers=TIMERS_GRANTED), Device(timers=TIMERS_MISSING)
CURRENT, LATE, STALE = "*", "*late", "0.0.intro.0.0"
ON_DEVICES = {SCREEN: (Kind.START, Kind.READY, Kind.DONE, Kind.STOP, Kind.PROGRESS, Kind.YES, Kind.HOW_AM_I_DOING),
              TIMERS: (Kind.READY, Kind.DONE, Kind.YES, Kind.NO, Kind.STOP, Kind.PAUSE),
              NO_PERMISSION: (Kind.READY, Kind.DONE, Kind.YES)}


def device_events(estimate: Estimator) -> tuple[Event, ...]:
    """What an Echo Show and an Echo Dot with timers send, besides what a runner says."""
    events = [Event(kind, NOW, device=SCREEN, step=CURRENT, estimate=estimate) for kind in sorted(SCREEN_KINDS)]
    events += [Event(Kind.HEARTBEAT, NOW, device=SCREEN, step=LATE, estimate=estimate),
               Event(Kind.DONE, NOW, device=SCREEN, step=STALE, estimate=estimate),
               Event(Kind.REST_OVER, NOW, device=SCREEN, step=STALE, estimate=estimate)]
    events += [Event(kind, NOW, device=device, estimate=estimate) for device, kinds in ON_DEVICES.items()
               for kind in kinds]
    events += [Event(Kind.SET_REST, NOW, device=TIMERS, seconds=180, estimate=estimate),
               Event(Kind.READY, NOW, True, device=TIMERS, estimate=estimate)]
    return tuple(events)


VOICE_EVENTS = voice_events(ESTIMATE)
EVENTS = (*VOICE_EVENTS, *device_events(ESTIMATE))


def at_state(template: Event, state: UserState, now: float) -> Event:
    """The event as it reaches the skill from `state`: a screen's names the position and comes when it would."""
    workout = state.workout
    if template.step not in (CURRENT, LATE) or workout is None:
        return replace(template, now=now)
    step = screens.position(workout)
    if template.step == LATE:
        return replace(template, now=max(workout.own_until, workout.updated_at, now) + screens.WALK_AWAY_SECONDS + 1,
                       step=step)
    if template.kind is Kind.REST_OVER:
        now = max(now, workout.own_until)
    return replace(template, now=now, step=step)


def ev(kind: Kind, now: float = NOW, *, estimate: Estimator = ESTIMATE, **details: object) -> Event:
    return Event(kind, now, **details, estimate=estimate)  # type: ignore[arg-type]


def after_reply(now: float, outcome_speech: tuple[object, ...], estimate: Estimator = ESTIMATE) -> float:
    """When the runner's next request arrives: the reply has played, and they have reacted."""
    return now + estimate(outcome_speech) + REACTION_SECONDS  # type: ignore[arg-type]


SEED_PATHS: dict[str, tuple[Kind | tuple[Kind, dict[str, object]], ...]] = {
    "standard": (),
    "self_paced": (Kind.SELF_PACED,),
    "self_paced_inchworms": (Kind.SELF_PACED, (Kind.CHOOSE, {"exercise": "inchworms"})),
    "self_paced_trx_and_rdl": (Kind.SELF_PACED, (Kind.CHOOSE, {"exercise": "trx_hamstring_runners"}),
                               (Kind.CHOOSE, {"exercise": "dumbbell_rdl"})),
    "easier": (Kind.EASIER,),
    "harder": (Kind.HARDER,),
    "no_ball_no_partner": ((Kind.MISSING_EQUIPMENT, {"equipment": "stability_ball"}),
                           (Kind.MISSING_EQUIPMENT, {"equipment": "partner"})),
    "no_equipment": tuple((Kind.MISSING_EQUIPMENT, {"equipment": e}) for e in programme.EQUIPMENT),
    "short_rest": ((Kind.SET_REST, {"seconds": 5}),),
    "long_rest_harder_self_paced": ((Kind.SET_REST, {"seconds": 600}), Kind.HARDER, Kind.SELF_PACED),
    # a finished workout moves the rotation on; skipping through three gets every exercise first once
    "rotation_1": (Kind.QUICK_START, Kind.NEXT_EXERCISE, Kind.FINISH),
    "rotation_2": (Kind.QUICK_START, Kind.NEXT_EXERCISE, Kind.FINISH) * 2,
    "rotation_3": (Kind.START, Kind.NEXT_EXERCISE, Kind.FINISH) * 3,
    "rotation_4_easier": (Kind.START, Kind.NEXT_EXERCISE, Kind.FINISH) * 3 + (Kind.QUICK_START, Kind.EASIER),
    # inchworms done in full twice without pain: the third time they are offered a level up
    "stepping_up": ((Kind.CHOOSE, {"exercise": "inchworms"}), Kind.READY, Kind.READY, Kind.READY, Kind.FINISH) * 2
    + ((Kind.CHOOSE, {"exercise": "inchworms"}),),
}


@dataclass
class Crawl:
    """What the crawl saw: each state with the path that reaches it, when its next event arrives, and the
    replies it checked."""

    paths: dict[UserState, tuple[Event, ...]] = field(default_factory=dict)
    times: dict[UserState, float] = field(default_factory=dict)
    checks: int = 0
    barge_ins: int = 0
    replies: set[Reply] = field(default_factory=set)  # every distinct reply seen: what other locales render
    longest_chars: tuple[int, tuple[Event, ...]] = (0, ())        # SSML characters, and the path to that reply
    longest_seconds: tuple[float, tuple[Event, ...]] = (0.0, ())  # estimated seconds, and the path

    def event(self, state: UserState, kind: Kind, **details: object) -> Event:
        """An event for `state`, arriving when it would (after the reply that led there)."""
        return ev(kind, self.times.get(state, NOW), **details)


def timeless(state: UserState) -> UserState:
    """A state without its clock readings (whole days kept for the history): what tells states apart."""
    history = tuple(replace(h, finished_at=float(int((h.finished_at - NOW) // 86_400))) for h in state.profile.history)
    workout = state.workout and replace(state.workout, started_at=0.0, updated_at=0.0,
                                        coaching_until=0.0 if state.workout.before_set is None else 1.0)
    return replace(state, profile=replace(state.profile, history=history), workout=workout)


def seed_events(seed: tuple[Kind | tuple[Kind, dict[str, object]], ...]) -> list[tuple[Kind, dict[str, object]]]:
    return [(item, {}) if isinstance(item, Kind) else item for item in seed]


def spine(state: UserState, now: float, path: tuple[Event, ...], estimate: Estimator = ESTIMATE
          ) -> list[tuple[UserState, float, tuple[Event, ...]]]:
    """The states of "start my workout", then "ready" (or "done" after a set on the runner's own) to the end."""
    found = []
    kind = Kind.START
    for _ in range(80):
        event = ev(kind, now, estimate=estimate)
        outcome = step(state, event)
        state, path, now = outcome.state, (*path, event), after_reply(now, outcome.reply.speech, estimate)
        found.append((state, now, path))
        if state.workout is None:
            return found
        kind = Kind.READY
    raise AssertionError(f"the spine did not finish: {path}")


def onwards_on(device: Device, state: UserState, now: float, estimate: Estimator = ESTIMATE) -> Event:
    """What gets a runner on with this device: the screen's wake-up after a rest, a tap on Done or Ready, "yes"
    to the timer, "done" after a set on their own, else "ready"."""
    workout = state.workout
    if state.pending is not None:
        return ev(Kind.YES, now, device=device, estimate=estimate)
    if workout is None:
        return ev(Kind.START, now, device=device, estimate=estimate)
    self_paced = workout.phase is Phase.IN_SET and state.profile.self_paced
    if device.screen and workout.own_until:
        waking = workout.phase is not Phase.IN_SET and workout.own_until > now
        kind = Kind.REST_OVER if waking else Kind.DONE if self_paced else Kind.READY
        return ev(kind, max(now, workout.own_until) if waking else now, device=device,
                  step=screens.position(workout), estimate=estimate)
    return ev(Kind.DONE if self_paced else Kind.READY, now, device=device, estimate=estimate)


def device_spine(state: UserState, now: float, path: tuple[Event, ...], device: Device,
                 estimate: Estimator = ESTIMATE) -> list[tuple[UserState, float, tuple[Event, ...]]]:
    """A whole workout on `device` with nothing but what gets the runner on (`onwards_on`)."""
    found = []
    event = ev(Kind.START, now, device=device, estimate=estimate)
    for _ in range(80):
        outcome = step(state, event)
        state, path, now = outcome.state, (*path, event), after_reply(event.now, outcome.reply.speech, estimate)
        found.append((state, now, path))
        if state.workout is None:
            return found
        event = onwards_on(device, state, now, estimate)
    raise AssertionError(f"the {device} spine did not finish: {path}")


@cache
def crawl(locale: str = "en-US", max_states: int = MAX_STATES) -> Crawl:
    """Every seed and spine state x every event, then one level further (bounded by `max_states`), timed and
    worded as `locale` speaks (how long its words take moves a set's coaching, so its states differ)."""
    phrases = for_locale(locale)
    estimate = estimator(phrases)
    voice = VOICE_EVENTS if locale == "en-US" else voice_events(estimate)
    events = EVENTS if locale == "en-US" else (*voice, *device_events(estimate))
    result, seen = Crawl(), set[UserState]()
    queue: deque[tuple[UserState, tuple[Event, ...], int]] = deque()

    def visit(state: UserState, now: float, path: tuple[Event, ...], depth: int) -> None:
        key = timeless(state)
        if key not in seen and len(result.paths) < max_states:
            seen.add(key)
            result.paths[state], result.times[state] = path, now
            queue.append((state, path, depth))

    for seed in SEED_PATHS.values():
        state, now, path = UserState(), NOW, ()
        for kind, details in seed_events(seed):
            event = ev(kind, now, estimate=estimate, **details)
            outcome = step(state, event)
            state, path, now = outcome.state, (*path, event), after_reply(now, outcome.reply.speech, estimate)
            visit(state, now, path, 0)
        visit(state, now, path, 0)
        for spine_state, spine_now, spine_path in spine(state, now, path, estimate):
            visit(spine_state, spine_now, spine_path, 0)
        for device in (SCREEN, TIMERS):
            for spine_state, spine_now, spine_path in device_spine(state, now, path, device, estimate):
                visit(spine_state, spine_now, spine_path, 0)
    while queue:
        state, path, depth = queue.popleft()
        now = result.times[state]
        result.barge_ins += check_barge_in(state, now, voice, phrases)
        for template in events if depth == 0 else voice:  # the other devices: from seeds and spines
            event = at_state(template, state, now)
            outcome = step(state, event)
            chars, seconds = check_reply(state, event, outcome, result.checks % 3, phrases)
            result.replies.add(outcome.reply)
            result.checks += 1
            if chars > result.longest_chars[0]:
                result.longest_chars = (chars, (*path, event))
            if seconds > result.longest_seconds[0]:
                result.longest_seconds = (seconds, (*path, event))
            if depth < MAX_DEPTH:
                visit(outcome.state, after_reply(event.now, outcome.reply.speech, estimate), (*path, event), depth + 1)
    return result

