"""A runner's stored state: profile (kept), current workout (expires) and a pending question.

Plain frozen dataclasses (hashable: the crawler keys states by value). The
store persists `to_dict()` and rebuilds with `from_dict()` (`skill.coach.serial`);
unknown or damaged data rebuilds as a fresh state rather than crashing a turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from skill.coach.evolve import replace
from skill.coach.programme import LEVELS, Level, exercise_ids

WORKOUT_EXPIRY_SECONDS = 24 * 60 * 60
HISTORY_LIMIT = 100  # written every turn, so bounded: months of two or three workouts a week
DEVICES_LIMIT = 8    # devices whose settings we remember asking for (a household's Echos)
REST_MIN_SECONDS = 15
REST_MAX_SECONDS = 180


class Phase(StrEnum):
    INTRO = "intro"        # exercise introduced; "ready" starts set `set_number`
    IN_SET = "in_set"      # a set in progress across replies; "done"/"ready" carries on at `part`
    RESTING = "resting"    # previous set done; "ready" starts set `set_number`
    PAUSED = "paused"      # `paused_phase` says where to go back to


class Pending(StrEnum):
    RESUME_CHOICE = "resume_choice"  # "welcome back ... carry on?"
    DELETE_DATA = "delete_data"      # "delete everything? yes or no"
    PAIN_CHOICE = "pain_choice"      # "skip this exercise, or finish for today?"
    ANCHOR_OFFER = "anchor_offer"    # "no partner: can you use an anchor instead?"
    SWAP_OFFER = "swap_offer"        # "swap in <Workout.offer> instead?"
    STEP_UP = "step_up"              # "ready to make <Workout.offer> harder?"
    REMINDER_CONFIRM = "reminder_confirm"  # "remind you <UserState.proposal>?"
    DELETE_EVERYONE = "delete_everyone"    # from the account, with voice profiles: "delete everyone's?"
    CLAIM_PROGRESS = "claim_progress"      # a voice profile's first visit: "is the account's progress yours?"
    TIMER_OFFER = "timer_offer"      # "shall I set a timer to bring you back?" (asked once)


@dataclass(frozen=True)
class Schedule:
    """A weekly reminder: days as iCalendar codes ("TU", "TH"), in week order, at hour:minute local time."""

    days: tuple[str, ...]
    hour: int
    minute: int = 0


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise's part of a workout: what the history keeps for progression."""

    exercise: str
    sets: int
    level: Level
    pain: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    finished_at: float
    exercises: tuple[str, ...]
    sets_done: int
    partial: bool = False                 # ended early, stopped and abandoned, or expired
    log: tuple[ExerciseDone, ...] = ()


@dataclass(frozen=True)
class Workout:
    plan: tuple[str, ...]
    started_at: float
    updated_at: float
    exercise_index: int = 0
    set_number: int = 1
    phase: Phase = Phase.INTRO
    part: int = 0
    paused_phase: Phase | None = None
    sets_done: int = 0  # across the whole workout, for the history record
    # A paced set is recorded as soon as its reply is sent. Until its coaching would have ended
    # (`coaching_until`), any request but "done" means the runner broke off: go back to `before_set`
    # (exercise index, set number, phase) so the set is done again rather than skipped.
    coaching_until: float = 0.0
    before_set: tuple[int, int, Phase] | None = None
    coaching_session: str = ""            # the session the set is being coached in (another device's is not)
    current_sets: int = 0                 # sets done of the current exercise
    pain: bool = False                    # pain reported during the current exercise
    done: tuple[ExerciseDone, ...] = ()   # exercises moved past
    offer: str | None = None              # the exercise a SWAP_OFFER proposes
    # The runner's own time (a rest a screen counts down, a self-paced set, setting up) ends about then; 0: none.
    # A screen wakes the skill at its end and waits for a tap after it; any move clears it.
    own_until: float = 0.0
    timer_until: float = 0.0              # a device timer was set to go off then (cancelled when the runner moves)

    @property
    def exercise_id(self) -> str:
        return self.plan[self.exercise_index]

    @property
    def is_last_exercise(self) -> bool:
        return self.exercise_index >= len(self.plan) - 1

    @property
    def current_phase(self) -> Phase:
        """The phase the runner is in, looking through a pause."""
        return (self.paused_phase or Phase.INTRO) if self.phase is Phase.PAUSED else self.phase

    def coaching(self, now: float, session: str) -> bool:
        """True while a paced set is still being coached in this session: a request now breaks it off."""
        return self.before_set is not None and now < self.coaching_until and session == self.coaching_session

    def log(self, level: Level) -> tuple[ExerciseDone, ...]:
        """What was done so far: the exercises moved past, plus the current one if a set of it was done."""
        current = (ExerciseDone(self.exercise_id, self.current_sets, level, self.pain),) if self.current_sets else ()
        return (*self.done, *current)


@dataclass(frozen=True)
class Profile:
    missing_equipment: frozenset[str] = frozenset()
    levels: tuple[tuple[str, Level], ...] = ()  # exercise id -> level, sorted; absent means standard
    self_paced: bool = False
    rest_seconds: int | None = None  # None: each exercise's default
    rotation: int = 0
    history: tuple[HistoryEntry, ...] = ()
    tips: frozenset[str] = frozenset()  # one-time tips already given ("rest_adjustable"), cards sent ("timer_card")
    timers: bool | None = None  # may the coach set a timer to bring them back? None: not asked yet
    zone: str | None = None             # the device's IANA time zone (Settings API); None: UTC
    units: str | None = None            # the device's distance units, "metric" | "imperial"; None: the locale's
    units_choice: str | None = None     # "use metres" / "use yards": beats the device's
    devices: tuple[tuple[str, float], ...] = ()  # device hash -> when we last asked for its settings
    offered: tuple[tuple[str, float], ...] = ()  # exercise -> its newest qualifying workout when a step up was offered
    stepped_down: frozenset[str] = frozenset()   # made a level easier after pain: said when next planned
    reminder: Schedule | None = None    # the reminder set through us (Alexa keeps the real one)

    @property
    def distance_units(self) -> str | None:
        """What distances are said in: the runner's choice, else the device's, else (None) the locale's."""
        return self.units_choice or self.units

    def level(self, exercise_id: str) -> Level:
        return dict(self.levels).get(exercise_id, Level.STANDARD)

    def with_level(self, exercise_id: str, level: Level) -> Profile:
        levels = {**dict(self.levels), exercise_id: level}
        return replace(self, levels=tuple(sorted((e, v) for e, v in levels.items() if v is not Level.STANDARD)))

    def with_history(self, entry: HistoryEntry) -> Profile:
        """Record a workout. An exercise that hurt in it steps down a level for next time (and is said so
        when next planned): the programme's deload rule, applied however the workout ended."""
        profile = replace(self, history=(*self.history, entry)[-HISTORY_LIMIT:])
        for done in entry.log:
            if done.pain and done.level is not LEVELS[0]:  # at the easiest already: the finish says go gently
                easier = LEVELS[LEVELS.index(done.level) - 1]
                profile = replace(profile.with_level(done.exercise, easier),
                                  stepped_down=profile.stepped_down | {done.exercise})
        return profile

    def with_device(self, device: str, checked_at: float) -> Profile:
        """Remember when a device's settings were asked for (the newest DEVICES_LIMIT devices)."""
        devices = {**dict(self.devices), device: checked_at}
        newest = sorted(devices.items(), key=lambda item: item[1])[-DEVICES_LIMIT:]
        return replace(self, devices=tuple(sorted(newest)))


def profile_at(level: Level, **fields: Any) -> Profile:
    """A profile with every exercise at `level` (transcripts, tests)."""
    levels = () if level is Level.STANDARD else tuple(sorted((e, level) for e in exercise_ids()))
    return replace(Profile(**fields), levels=levels)


def record(workout: Workout, profile: Profile, finished_at: float, *, partial: bool) -> HistoryEntry:
    """The history entry for a workout that ends now (finished, ended early or expired)."""
    log = workout.log(profile.level(workout.exercise_id))
    return HistoryEntry(finished_at, tuple(done.exercise for done in log), workout.sets_done, partial, log)


@dataclass(frozen=True)
class UserState:
    profile: Profile = field(default_factory=Profile)
    workout: Workout | None = None
    pending: Pending | None = None
    proposal: Schedule | None = None  # the reminder a REMINDER_CONFIRM question proposes

    def expired(self, now: float) -> UserState:
        """Drop a workout untouched for a day (recorded as partial if anything was done): a runner coming
        back tomorrow starts fresh."""
        workout = self.workout
        if workout is None or now - workout.updated_at <= WORKOUT_EXPIRY_SECONDS:
            return self
        profile = self.profile
        if workout.sets_done:
            profile = profile.with_history(record(workout, profile, workout.updated_at, partial=True))
        return replace(self, profile=profile, workout=None, pending=None)
