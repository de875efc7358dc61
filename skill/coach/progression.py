"""Moving a runner up as they get stronger, and down when something hurts: per exercise, never all at once.

The rules (the README's programme table):
- Step up: after two workouts in a row in which an exercise was done in full at
  its current level (every set of that level, coached to the end) with no pain
  reported, the next time it is introduced the coach offers its next level
  ("Ready to make Swiss ball curls harder?"). Yes moves it up; no, or carrying on,
  keeps the level, and the offer waits for two more such workouts.
- Step down: pain reported during an exercise makes it a level easier next time
  (`Profile.with_history`, however the workout ended); the finish says so, and so
  does the next workout that plans it.
Pure: state in, state and lines out.
"""

from __future__ import annotations

from skill.coach import programme
from skill.coach.evolve import replace
from skill.coach.programme import LEVELS, Level
from skill.coach.reply import Line, Name, line
from skill.coach.state import Pending, Profile, UserState

STRONG_WORKOUTS_TO_STEP_UP = 2


def strong_workouts(profile: Profile, exercise_id: str, enough: int | None = None) -> tuple[float, ...]:
    """When the newest run of workouts ended in which `exercise_id` was done in full at its current level
    without pain (newest first), counting only those after the last step-up offer for it; at most `enough`
    (looking back no further than needed: a session's copy of the state holds only the newest workouts)."""
    level = profile.level(exercise_id)
    sets = programme.exercise(exercise_id).work(level).sets
    offered = dict(profile.offered).get(exercise_id, float("-inf"))
    found: list[float] = []
    for entry in reversed(profile.history):
        done = [d for d in entry.log if d.exercise == exercise_id]
        if not done:
            continue
        if entry.finished_at <= offered or any(d.pain or d.level is not level for d in done) \
                or sum(d.sets for d in done) < sets:
            break
        found.append(entry.finished_at)
        if enough is not None and len(found) >= enough:
            break
    return tuple(found)


def ready_to_step_up(profile: Profile, exercise_id: str) -> bool:
    return profile.level(exercise_id) is not Level.HARDER and \
        len(strong_workouts(profile, exercise_id, STRONG_WORKOUTS_TO_STEP_UP)) >= STRONG_WORKOUTS_TO_STEP_UP


def offer(state: UserState, exercise_id: str) -> tuple[UserState, Line]:
    """Ask about stepping `exercise_id` up (the workout is introducing it), and remember it was offered."""
    assert state.workout is not None
    newest = strong_workouts(state.profile, exercise_id, 1)[0]
    offered = tuple(sorted({**dict(state.profile.offered), exercise_id: newest}.items()))
    state = replace(state, pending=Pending.STEP_UP, profile=replace(state.profile, offered=offered),
                    workout=replace(state.workout, offer=exercise_id))
    return state, line("step_up_offer", name=Name(exercise_id, "short"))


def step_up(profile: Profile, exercise_id: str) -> Profile:
    level = profile.level(exercise_id)
    return profile.with_level(exercise_id, LEVELS[min(len(LEVELS) - 1, LEVELS.index(level) + 1)])


def stepped_down_notes(state: UserState, planned: tuple[str, ...]) -> tuple[UserState, tuple[Line, ...]]:
    """For planned exercises made a level easier after pain: say so, once."""
    profile = state.profile
    noted = [e for e in planned if e in profile.stepped_down]
    if not noted:
        return state, ()
    said = tuple(line("stepped_down", name=Name(e, "short")) for e in noted)
    profile = replace(profile, stepped_down=profile.stepped_down - set(noted))
    return replace(state, profile=profile), said
