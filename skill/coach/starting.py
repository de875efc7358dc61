"""Starting a workout and picking one up again: plans, introductions, "welcome back".

Pure, like the rest of the state machine (`skill.coach.workout` dispatches to these).
"""

from __future__ import annotations

from skill.coach import lines, plan, programme, settings
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Name, Names, Segment, line
from skill.coach.respond import say, touch
from skill.coach.state import Pending, Phase, UserState, Workout


def begin(state: UserState, event: Event, *, count: int = plan.DEFAULT_EXERCISES_PER_WORKOUT,
          requested: str | None = None, preface: tuple[Segment, ...] = ()) -> Outcome:
    chosen = plan.choose(state.profile, count=count, requested=requested)
    workout = Workout(plan=chosen.exercises, started_at=event.now, updated_at=event.now)
    profile = replace(state.profile, rotation=chosen.next_rotation)
    state = replace(state, profile=profile, workout=workout)
    minutes = sum(programme.exercise(e).minutes_estimate for e in chosen.exercises)
    speech: list[Segment] = [*preface, line("plan_today", names=Names(chosen.exercises), minutes=minutes)]
    speech += [settings.swap_note(e) for e in chosen.skipped]
    first = programme.exercise(workout.exercise_id)
    return say(state, *speech, *lines.introduce(first, profile, first=True), card_for=first.id)


def ask_resume(state: UserState, event: Event) -> Outcome:
    assert state.workout is not None
    state = replace(state, pending=Pending.RESUME_CHOICE)
    return say(state, line("welcome_back"), *lines.where(state.workout, state.profile), line("ask_resume"))


def resume(state: UserState, event: Event) -> Outcome:
    """Pick up exactly where the runner was, re-introducing the exercise if no set has started."""
    workout = state.workout
    assert workout is not None
    phase = (workout.paused_phase or Phase.INTRO) if workout.phase is Phase.PAUSED else workout.phase
    state = touch(state, event, phase=phase, paused_phase=None)
    exercise = programme.exercise(workout.exercise_id)
    if phase is Phase.INTRO:  # the introduction says which exercise and how much: no need for "set 1 of 3"
        return say(state, line("picking_up"), *lines.introduce(exercise, state.profile), card_for=exercise.id)
    where = lines.where(state.workout, state.profile)  # type: ignore[arg-type]
    return say(state, line("picking_up"), *where, *lines.prompt(state.workout, state.profile))


def on_launch(state: UserState, event: Event) -> Outcome:
    if state.workout:
        return ask_resume(state, event)
    return say(state, line("welcome_returning" if state.profile.history else "welcome"))


def on_start(state: UserState, event: Event) -> Outcome:
    return ask_resume(state, event) if state.workout else begin(state, event)


def on_quick_start(state: UserState, event: Event) -> Outcome:
    return ask_resume(state, event) if state.workout else begin(state, event, count=1)


def on_choose(state: UserState, event: Event) -> Outcome:
    assert event.exercise is not None
    exercise = programme.exercise(event.exercise)
    if not plan.can_do(exercise, state.profile):
        return say(state, settings.need_equipment(exercise), *lines.prompt(state.workout, state.profile))
    if state.workout is None:
        return begin(state, event, requested=exercise.id)
    workout = state.workout
    rest = [e for e in workout.plan[workout.exercise_index:] if e != exercise.id]
    done = workout.plan[: workout.exercise_index]
    new_plan = (*[e for e in done if e != exercise.id], exercise.id, *rest)
    state = touch(state, event, plan=new_plan, exercise_index=len(new_plan) - len(rest) - 1,
                  set_number=1, phase=Phase.INTRO, part=0, paused_phase=None)
    return say(state, line("switching_to", name=Name(exercise.id)), *lines.introduce(exercise, state.profile),
               card_for=exercise.id)
