"""A runner's stored state: profile (kept), current workout (expires) and a pending question.

Plain frozen dataclasses with a JSON-friendly dict form. The store persists
`to_dict()` and rebuilds with `from_dict()`; unknown or damaged data rebuilds
as a fresh state rather than crashing a turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from skill.coach import programme

SCHEMA_VERSION = 1
WORKOUT_EXPIRY_SECONDS = 24 * 60 * 60
HISTORY_LIMIT = 100  # written every turn, so bounded: enough for this week, last time and a 100-day streak
REST_MIN_SECONDS = 15
REST_MAX_SECONDS = 180


class Phase(StrEnum):
    INTRO = "intro"        # exercise introduced; "ready" starts set `set_number`
    IN_SET = "in_set"      # a set in progress across replies; "done"/"ready" carries on at `part`
    RESTING = "resting"    # previous set done; "ready" starts set `set_number`
    PAUSED = "paused"      # `paused_phase` says where to go back to


class Level(StrEnum):
    EASIER = "easier"
    STANDARD = "standard"
    HARDER = "harder"


class Pending(StrEnum):
    RESUME_CHOICE = "resume_choice"  # "welcome back ... carry on?"
    DELETE_DATA = "delete_data"      # "delete everything? yes or no"


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
    # (`coaching_until`), a "stop" or "pause" means the runner broke off: go back to `before_set`
    # (exercise index, set number, phase) so the set is done again rather than skipped.
    coaching_until: float = 0.0
    before_set: tuple[int, int, Phase] | None = None

    @property
    def exercise_id(self) -> str:
        return self.plan[self.exercise_index]

    @property
    def is_last_exercise(self) -> bool:
        return self.exercise_index >= len(self.plan) - 1


@dataclass(frozen=True)
class HistoryEntry:
    finished_at: float
    exercises: tuple[str, ...]
    sets_done: int


@dataclass(frozen=True)
class Profile:
    missing_equipment: frozenset[str] = frozenset()
    level: Level = Level.STANDARD
    self_paced: bool = False
    rest_seconds: int | None = None  # None: each exercise's default
    rotation: int = 0
    history: tuple[HistoryEntry, ...] = ()

    def with_history(self, entry: HistoryEntry) -> Profile:
        return replace(self, history=(*self.history, entry)[-HISTORY_LIMIT:])


@dataclass(frozen=True)
class UserState:
    profile: Profile = field(default_factory=Profile)
    workout: Workout | None = None
    pending: Pending | None = None

    def expired(self, now: float) -> UserState:
        """Drop a workout untouched for a day: a runner coming back tomorrow starts fresh."""
        if self.workout and now - self.workout.updated_at > WORKOUT_EXPIRY_SECONDS:
            return replace(self, workout=None, pending=None)
        return self

    def to_dict(self) -> dict[str, Any]:
        """Written out field by field: dataclasses.asdict deep-copies and was a measurable cost per turn."""
        p, w = self.profile, self.workout
        return {
            "schema": SCHEMA_VERSION,
            "profile": {
                "missing_equipment": sorted(p.missing_equipment),
                "level": p.level.value,
                "self_paced": p.self_paced,
                "rest_seconds": p.rest_seconds,
                "rotation": p.rotation,
                "history": [[h.finished_at, list(h.exercises), h.sets_done] for h in p.history],
            },
            "workout": None if w is None else {
                "plan": list(w.plan),
                "started_at": w.started_at,
                "updated_at": w.updated_at,
                "exercise_index": w.exercise_index,
                "set_number": w.set_number,
                "phase": w.phase.value,
                "part": w.part,
                "paused_phase": None if w.paused_phase is None else w.paused_phase.value,
                "sets_done": w.sets_done,
                "coaching_until": w.coaching_until,
                "before_set": None if w.before_set is None else [*w.before_set[:2], w.before_set[2].value],
            },
            "pending": None if self.pending is None else self.pending.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UserState:
        """Rebuild from stored data; anything malformed yields a fresh state (logged by the store)."""
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError("unknown schema")
        p = data["profile"]
        profile = Profile(
            missing_equipment=frozenset(e for e in p["missing_equipment"] if e in programme.EQUIPMENT),
            level=Level(p["level"]),
            self_paced=bool(p["self_paced"]),
            rest_seconds=None if p["rest_seconds"] is None else int(p["rest_seconds"]),
            rotation=int(p["rotation"]),
            history=tuple(
                HistoryEntry(float(finished_at), tuple(exercises), int(sets_done))
                for finished_at, exercises, sets_done in p["history"]
            )[-HISTORY_LIMIT:],
        )
        workout = None
        if (w := data.get("workout")) is not None:
            plan = tuple(w["plan"])
            if not plan or not all(programme.is_exercise(e) for e in plan):
                raise ValueError("plan names an unknown exercise")
            workout = Workout(
                plan=plan,
                started_at=float(w["started_at"]),
                updated_at=float(w["updated_at"]),
                exercise_index=min(int(w["exercise_index"]), len(plan) - 1),
                set_number=max(1, int(w["set_number"])),
                phase=Phase(w["phase"]),
                part=int(w["part"]),
                paused_phase=None if w["paused_phase"] is None else Phase(w["paused_phase"]),
                sets_done=int(w["sets_done"]),
                coaching_until=float(w.get("coaching_until", 0.0)),
                before_set=_before_set(w.get("before_set"), len(plan)),
            )
        pending = None if data.get("pending") is None else Pending(data["pending"])
        return cls(profile=profile, workout=workout, pending=pending)


def _before_set(value: Any, plan_length: int) -> tuple[int, int, Phase] | None:
    if value is None:
        return None
    index, number, phase = value
    return min(int(index), plan_length - 1), max(1, int(number)), Phase(phase)
