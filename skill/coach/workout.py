"""The workout as a pure state machine: `step(state, event) -> Outcome`.

No Flask, no Redis, no ask-sdk and no words: state and event in, new state and
a `Reply` of keyed lines out. Starting and switching live in
`skill.coach.starting`, walking the sets in `skill.coach.sets`, moving around
in `skill.coach.moves`, questions in `skill.coach.questions`, profile changes
in `skill.coach.settings`; this module answers the questions the coach asked,
handles pain, and dispatches every event.

A request that arrives while a paced set is still being coached means the
runner broke off: the set does not count (they will do it again) unless the
request says they are done.
"""

from __future__ import annotations

from skill.coach import (
    lines,
    moves,
    own_time,
    plan,
    programme,
    progress,
    progression,
    questions,
    reminders,
    screens,
    settings,
)
from skill.coach.events import Event, Handler, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import Name, Reply, line, silence
from skill.coach.respond import finish, say
from skill.coach.sets import after_set, broken_off, finished_early, on_ready
from skill.coach.starting import begin, on_choose, on_launch, on_quick_start, on_start, resume, switch_to
from skill.coach.state import Pending, Phase, UserState

# Said mid-set: "I'm done with it". So is "yes" ("okay", es-ES «vale», which runners are taught as the ready
# word) when nothing was asked.
FINISHES_THE_SET = frozenset({Kind.DONE, Kind.READY, Kind.NEXT})
CARRY_ON = frozenset({Kind.YES, Kind.READY, Kind.RESUME, Kind.DONE})
# They change nothing ("how am I doing?" and "what are my reminders" neither: issue 13)
ANSWERS_ONLY = frozenset({*questions.HANDLERS, *progress.HANDLERS, Kind.REMINDERS_LIST, Kind.REPEAT, Kind.HEARTBEAT})
AUTOMATIC = frozenset({Kind.REST_OVER, Kind.HEARTBEAT})  # sent by a screen by itself, never by the runner


def on_done(state: UserState, event: Event) -> Outcome:
    """ "Done" ends a set the runner does on their own; it never starts a set."""
    workout = state.workout
    if workout is None:
        return say(state, line("no_workout"))
    if workout.phase is Phase.IN_SET:  # a set on their own, or the legs left to do: either way, it is done
        return after_set(state, event, ())
    if workout.phase is Phase.PAUSED:
        return resume(state, event)
    key = "done_before_start" if workout.phase is Phase.INTRO else "done_resting"
    return say(state, line(key, number=workout.set_number), *lines.prompt(state))


def on_pain(state: UserState, event: Event) -> Outcome:
    """Pain first: stop, what sharp pain means, that soreness is normal; then skip or finish (never the next
    set in the same breath). Guidance, not medical advice."""
    workout = state.workout
    if workout is None:
        return say(state, line("pain_advice"), *lines.prompt(state))
    state = replace(state, pending=Pending.PAIN_CHOICE, workout=replace(workout, pain=True, updated_at=event.now))
    return say(state, line("pain_stop"), line("pain_advice"), line("pain_choice"))


def on_repeat(state: UserState, event: Event) -> Outcome:
    if state.workout is None:
        return say(state, line("nothing_to_repeat"))
    return say(state, *lines.prompt(state))


def on_yes(state: UserState, event: Event) -> Outcome:
    if state.workout and state.workout.phase is not Phase.PAUSED:
        return on_ready(state, event)
    return say(state, line("yes_without_question"), *lines.prompt(state))


def on_no(state: UserState, event: Event) -> Outcome:
    return say(state, line("no_without_question"), *lines.prompt(state))


def on_fallback(state: UserState, event: Event) -> Outcome:
    return say(state, line("fallback"), *lines.prompt(state))


def on_heartbeat(state: UserState, event: Event) -> Outcome:
    """Only a screen sends it (`skill.coach.screens` answers it first): nothing to say, nothing changes."""
    return Outcome(state, silence())


def on_delete_data(state: UserState, event: Event) -> Outcome:
    """A voice profile deletes its own data; the account, when voice profiles keep progress on it too, is asked
    whether to delete everyone's."""
    if not event.person and event.persons:
        return say(replace(state, pending=Pending.DELETE_EVERYONE), line("confirm_delete_everyone"))
    return say(replace(state, pending=Pending.DELETE_DATA), line("confirm_delete"))


def answer_step_up(state: UserState, event: Event, exercise_id: str) -> Outcome | None:
    """ "Ready to make it harder?": yes moves that exercise up a level (and says the new dose), no keeps it."""
    if event.kind is Kind.NO:
        return say(state, line("step_up_declined"), *lines.prompt(state))
    if event.kind is not Kind.YES:
        return None
    state = replace(state, profile=progression.step_up(state.profile, exercise_id))
    exercise = programme.exercise(exercise_id)
    dose = plan.dose_for(exercise, state.profile)
    return say(state, line("level_harder"), lines.dose_line("dose_now", dose, name=Name(exercise_id, "short")),
               *lines.variant(exercise, dose), *lines.prompt(state))


def answer_pending(state: UserState, event: Event, pending: Pending) -> Outcome | None:
    """Answers to the question asked last turn; None when the event is something else (the question is dropped)."""
    kind = event.kind
    if pending is Pending.DELETE_DATA and kind is Kind.YES:
        return Outcome(UserState(), Reply((line("data_deleted"),), end_session=True), forget_user=True)
    if pending is Pending.DELETE_EVERYONE and kind is Kind.YES:
        return Outcome(UserState(), Reply((line("data_deleted_everyone"),), end_session=True), forget_everyone=True)
    if pending in (Pending.DELETE_DATA, Pending.DELETE_EVERYONE) and kind is Kind.NO:
        return say(state, line("data_kept"), *lines.prompt(state))
    if pending is Pending.REMINDER_CONFIRM and state.proposal:
        return reminders.answer_confirm(state, event, state.proposal)
    workout = state.workout
    if workout is None:
        return None
    if pending is Pending.RESUME_CHOICE:
        if kind in CARRY_ON:
            return resume(state, event)
        if kind in (Kind.NEXT_EXERCISE, Kind.SKIP, Kind.NEXT):
            return moves.on_next_exercise(state, replace(event, new_session=False))
        if kind in (Kind.NO, Kind.START_OVER):
            return begin(replace(state, workout=None), event, preface=(line("fresh_start"),))
    if pending is Pending.PAIN_CHOICE:
        if kind in (Kind.SKIP, Kind.NEXT_EXERCISE, Kind.NEXT):
            if workout.is_last_exercise:
                return finish(state, event, moves.skipping(state), early=True)
            return moves.on_next_exercise(state, replace(event, kind=Kind.NEXT_EXERCISE, new_session=False))
        if kind is Kind.FINISH:
            return finish(state, event, (line("finishing_early"),), early=True)
        if kind in CARRY_ON:
            return say(state, line("pain_carry_on"), *lines.prompt(state))
    if pending is Pending.ANCHOR_OFFER and kind in (Kind.YES, Kind.NO):
        if kind is Kind.YES:
            return say(state, line("anchor_use"), *lines.prompt(state))
        return settings.lose_equipment(state, event, programme.ANCHOR_FOR)
    if pending is Pending.STEP_UP and workout.offer:
        return answer_step_up(state, event, workout.offer)
    if pending is Pending.TIMER_OFFER and kind in (Kind.YES, Kind.NO):
        return own_time.answer_offer(state, event, kind is Kind.YES)
    if pending is Pending.SWAP_OFFER and kind in (Kind.YES, Kind.NO) and workout.offer:
        if kind is Kind.YES:
            return switch_to(state, event, workout.offer)
        return say(state, line("swap_declined"), *lines.prompt(state))
    return None


HANDLERS: dict[Kind, Handler] = {
    Kind.LAUNCH: on_launch, Kind.START: on_start, Kind.QUICK_START: on_quick_start, Kind.CHOOSE: on_choose,
    Kind.READY: on_ready, Kind.DONE: on_done, Kind.NEXT: moves.on_next, Kind.NEXT_EXERCISE: moves.on_next_exercise,
    Kind.SKIP: moves.on_next_exercise, Kind.FINISH: moves.on_finish, Kind.REPEAT_SET: moves.on_repeat_set,
    Kind.PAIN: on_pain, Kind.TAKE_A_BREAK: moves.on_break, Kind.REPEAT: on_repeat,
    Kind.START_OVER: moves.on_start_over, Kind.GO_BACK: moves.on_go_back, Kind.PAUSE: moves.on_pause,
    Kind.RESUME: moves.on_resume, Kind.STOP: moves.on_stop, Kind.NAVIGATE_HOME: moves.on_stop,
    Kind.CANCEL: moves.on_cancel, Kind.FALLBACK: on_fallback, Kind.DELETE_DATA: on_delete_data,
    Kind.YES: on_yes, Kind.NO: on_no, Kind.REST_OVER: on_ready, Kind.HEARTBEAT: on_heartbeat,
    **questions.HANDLERS, **settings.HANDLERS, **progress.HANDLERS, **reminders.HANDLERS,
}


def step(state: UserState, event: Event) -> Outcome:
    """Apply one event, shown as the device shows it (`skill.coach.screens`), a timer left to go off after
    the runner has moved on cancelled."""
    state = state.expired(event.now)
    early = screens.from_screen(state, event) if event.step or event.kind in AUTOMATIC else None
    if early is not None:
        return screens.present(early, event)
    outcome = _apply(state, event)
    outcome = own_time.cancel_stale_timer(state, event, outcome, question=event.kind in ANSWERS_ONLY)
    return screens.present(outcome, event)


def finishes_the_set(state: UserState, event: Event) -> bool:
    """Whether `event`, said while a set is still being coached, means the runner has finished it."""
    return event.kind in FINISHES_THE_SET or (event.kind is Kind.YES and state.pending is None)


def _apply(state: UserState, event: Event) -> Outcome:
    """Any pending question is answered or dropped by the next event."""
    workout = state.workout
    barge_in = workout is not None and not event.new_session and workout.coaching(event.now, event.session)
    if barge_in and finishes_the_set(state, event):
        return finished_early(replace(state, pending=None), event)
    # The screen's own wake-up is not the runner breaking off a set (a screen whose clock runs ahead of ours)
    state, note = (state, ()) if event.kind in AUTOMATIC else broken_off(state, event)
    pending = state.pending
    state = replace(state, pending=None)
    outcome = (pending and answer_pending(state, event, pending)) or HANDLERS[event.kind](state, event)
    if outcome.state.proposal and outcome.state.pending is not Pending.REMINDER_CONFIRM:  # the question is gone
        outcome = replace(outcome, state=replace(outcome.state, proposal=None))
    if note:
        outcome = replace(outcome, reply=replace(outcome.reply, speech=(*note, *outcome.reply.speech)))
    return outcome
