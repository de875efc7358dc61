"""Reusable pieces of what the coach says: introductions, prompts, where you are, what is next.

Pure: lines in, lines out, no words (the content turns each key into words).
The state machine in `skill.coach.workout` picks which of these to say.
"""

from __future__ import annotations

from skill.coach import history, pacing, plan, programme
from skill.coach.programme import Exercise
from skill.coach.reply import Card, Count, Gear, Gears, Line, Name, Screen, Segment, line
from skill.coach.state import Pending, Phase, Profile, UserState, Workout

# How an introduction opens: it names the exercise once, in a phrase that says why it comes now.
LEADS = frozenset({"first", "only", "next", "switch", "back", "over", "resume", "plain"})


def dose_line(key: str, dose: plan.Dose, **params: object) -> Line:
    """A phrase that says a dose: "{sets} of {amount}" and friends."""
    return line(key, sets=Count(dose.sets, "set"), amount=dose.amount, **params)


def variant(exercise: Exercise, dose: plan.Dose) -> tuple[Segment, ...]:
    """The level's own variant ("raise your arms above your chest"), when it has one."""
    return (line("exercise.variant", exercise=exercise.id, level=dose.level.value),) if dose.variant else ()


def introduce(exercise: Exercise, profile: Profile, *, lead: str = "plain", ready: bool = True) -> tuple[Segment, ...]:
    """Name (once), equipment, dose, set-up steps, the level's variant, then (`ready`) the call to get ready."""
    assert lead in LEADS, lead
    dose = plan.dose_for(exercise, profile)
    short = lead in ("first", "resume")  # right after "Today: ..." or "welcome back", the short name will do
    segments: list[Segment] = [line(f"intro_{lead}", name=Name(exercise.id, "short" if short else "name"))]
    if exercise.equipment and lead not in ("first", "only"):  # the plan has just said what the workout needs
        segments.append(line("you_need", equipment=Name(exercise.id, "equipment")))
    segments += [dose_line("dose", dose), line("exercise.setup", exercise=exercise.id), *variant(exercise, dose)]
    if ready:
        segments.append(line("say_ready_to_start"))
    return tuple(segments)


def prompt(state: UserState) -> tuple[Segment, ...]:
    """What the runner can say now to keep going: the reprompt of every open reply.

    A question asked this turn is asked again; otherwise it is the next step of the workout.
    """
    pending_prompts = {
        Pending.RESUME_CHOICE: "ask_resume", Pending.DELETE_DATA: "confirm_delete", Pending.PAIN_CHOICE: "pain_choice",
        Pending.ANCHOR_OFFER: "anchor_offer", Pending.TIMER_OFFER: "timer_offer",
        Pending.DELETE_EVERYONE: "confirm_delete_everyone", Pending.CLAIM_PROGRESS: "claim_prompt",
    }  # fmt: skip
    workout = state.workout
    if state.pending is Pending.SWAP_OFFER and workout and workout.offer:
        return (line("swap_offer_prompt", other=Name(workout.offer)),)
    if state.pending is Pending.STEP_UP and workout and workout.offer:
        return (line("step_up_prompt", name=Name(workout.offer, "short")),)
    if state.pending is Pending.REMINDER_CONFIRM and state.proposal:
        return (line("reminder_confirm_prompt"),)
    if state.pending in pending_prompts:
        return (line(pending_prompts[state.pending]),)
    if workout is None:
        return (line("prompt_start"),)
    if workout.phase is Phase.PAUSED:
        return (line("prompt_resume"),)
    if workout.phase is Phase.IN_SET:
        exercise = programme.exercise(workout.exercise_id)
        if workout.part and not state.profile.self_paced:  # a set split where the legs switch
            return (pacing.leg_line(exercise, "ready_for_leg", 1),)
        return (line("prompt_carry_on"),)
    if workout.phase is Phase.INTRO:
        return (line("prompt_in_position", number=workout.set_number),)
    return (line("prompt_ready_for_set", number=workout.set_number),)


def where(workout: Workout, profile: Profile) -> tuple[Segment, ...]:
    """'Set 2 of 3 of Swiss ball curls', then what is left."""
    total = plan.total_sets(workout, profile)
    segments: list[Segment] = [
        line("progress", number=workout.set_number, total=total, name=Name(workout.exercise_id, "short"))
    ]
    after = Count(total - workout.set_number, "more_set")  # sets after this one
    if workout.is_last_exercise:
        key = "last_set_of_workout" if after.number == 0 else "sets_after_this_last"
        segments.append(line(key, sets=after))
    else:
        upcoming = Name(workout.plan[workout.exercise_index + 1], "short")
        key = "last_set_then" if after.number == 0 else "sets_after_this_then"
        segments.append(line(key, sets=after, name=upcoming))
    return tuple(segments)


def form_tips(exercise: Exercise, profile: Profile) -> tuple[Segment, ...]:
    dose = plan.dose_for(exercise, profile)
    return (line("form_intro", name=Name(exercise.id, "short")), line("exercise.form_cues", exercise=exercise.id),
            *variant(exercise, dose))


def equipment_needed(exercises: tuple[str, ...]) -> tuple[Segment, ...]:
    """"You'll need a stability ball and a partner" for a whole plan, or that it needs nothing."""
    needed = tuple(dict.fromkeys(e for e in (programme.exercise(x).equipment for x in exercises) if e))
    return (line("plan_needs", equipment=Gears(needed)),) if needed else (line("plan_needs_nothing"),)


def card(exercise: Exercise, profile: Profile) -> Card:
    return Card(exercise.id, dose_line("card_dose", plan.dose_for(exercise, profile)))


def screen(workout: Workout | None, profile: Profile) -> Screen | None:
    if workout is None:
        return None
    status = {Phase.INTRO: "intro", Phase.IN_SET: "in_set", Phase.RESTING: "resting", Phase.PAUSED: "paused"}
    return Screen(workout.exercise_id, workout.set_number, plan.total_sets(workout, profile), status[workout.phase],
                  profile.level(workout.exercise_id).value, profile.distance_units)


def gear_of(exercise_id: str) -> str | None:
    """The equipment id an exercise needs, if any."""
    return programme.exercise(exercise_id).equipment


def swap_note(exercise_id: str) -> Line:
    return line("swapped_out", name=Name(exercise_id), equipment=Gear(gear_of(exercise_id) or ""))


def need_equipment(exercise: Exercise) -> Line:
    return line("needs_equipment", name=Name(exercise.id), equipment=Gear(gear_of(exercise.id) or ""))


def week_status(profile: Profile, now: float) -> Line:
    """This week against the plan of two or three: short of it, on it, or past it (rest days matter)."""
    count = history.this_week(profile.history, now, profile.zone)
    if count < history.ON_PLAN.start:
        return line("week_short", left=Count(history.ON_PLAN.start - count, "more_workout"))
    if count in history.ON_PLAN:
        return line("week_on_plan")
    return line("week_over_plan")


def week_after_workout(profile: Profile, now: float) -> Line:
    """What a finished workout says about the week: "that's 2 workouts this week: you're on plan"."""
    count = Count(history.this_week(profile.history, now, profile.zone), "workout")
    return line("week_after_workout", workouts=count, status=week_status(profile, now))
