"""Starting a workout and picking one up again: plans, introductions, "welcome back", switching exercise.

Pure, like the rest of the state machine (`skill.coach.workout` dispatches to these).
"""

from __future__ import annotations

from skill.coach import history, lines, plan, programme, progression, timing
from skill.coach.events import Event, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Line, Name, Names, PersonName, Segment, line
from skill.coach.respond import leave_exercise, say, touch
from skill.coach.state import Pending, Phase, UserState, Workout


def begin(state: UserState, event: Event, *, count: int = plan.DEFAULT_EXERCISES_PER_WORKOUT,
          requested: str | None = None, preface: tuple[Segment, ...] = ()) -> Outcome:
    """Plan today's workout and introduce its first exercise. The day after eccentric curls (within an
    exercise's `recovery_days`) the plan is lighter: one exercise, not that one; asked for by name, it comes
    with a word about recovery instead. Exercises made easier after pain say so; one ready for its next
    level is offered it (not on a day meant to be lighter)."""
    sore, when = _recovering(state, event)
    avoid = frozenset({sore}) if sore and sore != requested else frozenset()
    if avoid:
        count = 1
    chosen = plan.choose(state.profile, count=count, requested=requested, avoid=avoid)
    workout = Workout(plan=chosen.exercises, started_at=event.now, updated_at=event.now)
    profile = replace(state.profile, rotation=chosen.next_rotation)
    state, notes = progression.stepped_down_notes(replace(state, profile=profile, workout=workout), chosen.exercises)
    profile = state.profile
    minutes = timing.minutes(timing.plan_seconds(chosen.exercises, profile, event.estimate))
    speech: list[Segment] = [*preface]
    if sore:
        key = "recovery_lighter" if avoid else "recovery_gently"
        speech.append(line(key, name=Name(sore, "short"), when=when))
    speech += [line("plan_today", names=Names(chosen.exercises), minutes=minutes),
               *lines.equipment_needed(chosen.exercises)]
    speech += [lines.swap_note(e) for e in chosen.skipped]
    speech += notes
    first = programme.exercise(workout.exercise_id)
    lead = "first" if len(chosen.exercises) > 1 else "only"  # a plan of one has just been named
    if not sore and progression.ready_to_step_up(profile, first.id):  # not on a day meant to be lighter
        state, question = progression.offer(state, first.id)
        return say(state, *speech, *lines.introduce(first, profile, lead=lead, ready=False), question,
                   card_for=first.id)
    return say(state, *speech, *lines.introduce(first, profile, lead=lead), card_for=first.id)


def _recovering(state: UserState, event: Event) -> tuple[str | None, Line]:
    """The exercise whose soreness still lasts, and when it was done ("today" or "yesterday")."""
    profile = state.profile
    found = history.recovering_from(profile.history, event.now, profile.zone)
    if found is None:
        return None, line("today")
    sore, days = found
    return sore, line("today" if days == 0 else "yesterday")


def ask_resume(state: UserState, event: Event) -> Outcome:
    assert state.workout is not None
    state = replace(state, pending=Pending.RESUME_CHOICE)
    welcome = line("welcome_back_person", person=PersonName()) if event.person else line("welcome_back")
    return say(state, welcome, *lines.where(state.workout, state.profile), line("ask_resume"))


def resume(state: UserState, event: Event) -> Outcome:
    """Pick up exactly where the runner was, re-introducing the exercise if no set has started."""
    workout = state.workout
    assert workout is not None
    state = touch(state, event, phase=workout.current_phase, paused_phase=None)
    exercise = programme.exercise(workout.exercise_id)
    if workout.current_phase is Phase.INTRO:  # the introduction says which exercise and how much
        return say(state, line("picking_up"), *lines.introduce(exercise, state.profile, lead="resume"),
                   card_for=exercise.id)
    where = lines.where(state.workout, state.profile)  # type: ignore[arg-type]
    return say(state, line("picking_up"), *where, *lines.prompt(state))


def on_launch(state: UserState, event: Event) -> Outcome:
    if state.workout:
        return ask_resume(state, event)
    if event.person:  # greeted by name: Alexa says it, we never know it
        key = "welcome_person_returning" if state.profile.history else "welcome_person"
        return say(state, line(key, person=PersonName()))
    return say(state, line("welcome_returning" if state.profile.history else "welcome"))


def on_start(state: UserState, event: Event) -> Outcome:
    return ask_resume(state, event) if state.workout else begin(state, event)


def on_quick_start(state: UserState, event: Event) -> Outcome:
    return ask_resume(state, event) if state.workout else begin(state, event, count=1)


def on_choose(state: UserState, event: Event) -> Outcome:
    """Start with the chosen exercise, or switch to it: it replaces the current one (the plan stays 1-2)."""
    assert event.exercise is not None
    exercise = programme.exercise(event.exercise)
    if not plan.can_do(exercise, state.profile):
        return say(state, lines.need_equipment(exercise), *lines.prompt(state))
    if state.workout is None:
        return begin(state, event, requested=exercise.id)
    return switch_to(state, event, exercise.id)


def switch_to(state: UserState, event: Event, exercise_id: str, *said: Segment) -> Outcome:
    """Replace the current exercise with `exercise_id` (what was done of it is kept) and introduce it."""
    workout = state.workout
    assert workout is not None
    if workout.exercise_id == exercise_id:
        return say(state, line("already_on", name=Name(exercise_id, "short")), *lines.prompt(state))
    index = workout.exercise_index
    if exercise_id in workout.plan[:index]:
        return say(state, line("already_done", name=Name(exercise_id, "short")), *lines.prompt(state))
    new_plan = (*workout.plan[:index], exercise_id, *(e for e in workout.plan[index + 1:] if e != exercise_id))
    state = leave_exercise(state, event, plan=new_plan)
    exercise = programme.exercise(exercise_id)
    return say(state, *said, *lines.introduce(exercise, state.profile, lead="switch"), card_for=exercise.id)
