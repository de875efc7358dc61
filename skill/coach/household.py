"""Voice profiles sharing one account: each recognised person keeps their own progress.

A request from a recognised voice (`context.System.person`) is that person's
turn on their own state. The first time a person is recognised on an account
that already has progress (someone trained before voice profiles were set up),
they are asked once whether it is theirs: yes moves it to them (the account
keeps only its device settings), no leaves it with the account and they start
fresh. The store hands `step` the account's state only while that question
can still be asked or answered. Pure, like the rest of the coach.
"""

from __future__ import annotations

from skill.coach import lines, workout
from skill.coach.events import Event, Kind, Outcome
from skill.coach.evolve import replace
from skill.coach.reply import PersonName, line
from skill.coach.respond import say
from skill.coach.state import Pending, Profile, UserState

CLAIM_ASKED = "claim_asked"  # in the person's tips: asked (or there was nothing to ask about), never again
# Not the moment to ask: leaving, deleting, or a screen's own wake-up and heartbeat (nobody spoke)
NOT_NOW = frozenset({Kind.STOP, Kind.CANCEL, Kind.NAVIGATE_HOME, Kind.PAUSE, Kind.DELETE_DATA, *workout.AUTOMATIC})


def has_progress(state: UserState) -> bool:
    return state.workout is not None or bool(state.profile.history)


def step(state: UserState, event: Event, account: UserState | None = None) -> Outcome:
    """A recognised person's turn; `account` is the account's state while they may still claim it."""
    if account is not None:
        account = account.expired(event.now)
        if state.pending is Pending.CLAIM_PROGRESS and event.kind in (Kind.YES, Kind.NO):
            return _claimed(state, event, account) if event.kind is Kind.YES else _declined(state)
        if CLAIM_ASKED not in state.profile.tips:
            state = replace(state, profile=replace(state.profile, tips=state.profile.tips | {CLAIM_ASKED}))
            if has_progress(account) and event.kind not in NOT_NOW:
                asked = replace(state, pending=Pending.CLAIM_PROGRESS)
                return say(asked, line("claim_ask", person=PersonName()), *lines.prompt(asked))
    return workout.step(state, event)


def _settings_only(profile: Profile) -> Profile:
    """What the account keeps once its progress has moved: its devices' settings, nothing of training."""
    return Profile(zone=profile.zone, units=profile.units, devices=profile.devices)


def _claimed(state: UserState, event: Event, account: UserState) -> Outcome:
    """The account's progress (history, levels, a workout going) becomes this person's."""
    profile = account.profile
    keep = state.profile  # the person's own device settings are the freshest
    moved = replace(account, pending=None, proposal=None, profile=replace(
        profile, tips=profile.tips | {CLAIM_ASKED}, zone=keep.zone or profile.zone, units=keep.units or profile.units,
        devices=keep.devices or profile.devices))
    if moved.workout is not None:
        moved = replace(moved, pending=Pending.RESUME_CHOICE)
        outcome = say(moved, line("claim_moved"), *lines.where(moved.workout, moved.profile), line("ask_resume"))
    else:
        outcome = say(moved, line("claim_moved"), *lines.prompt(moved))
    return replace(outcome, account=UserState(profile=_settings_only(account.profile)))


def _declined(state: UserState) -> Outcome:
    state = replace(state, pending=None)
    return say(state, line("claim_declined"), *lines.prompt(state))
