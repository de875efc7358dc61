"""A runner's state as JSON-friendly data, and back: what the store writes and reads.

Written field by field (dataclasses.asdict deep-copies and was a measurable cost
per turn). Schema 3 adds the runner's zone and units, the devices asked for them,
progression offers, pain step-downs and a reminder; schema 2 (a level per exercise,
a log per workout) and schema 1 (one level for everything) are read and upgraded.
Anything malformed raises ValueError, KeyError or TypeError: the store logs it and
starts the runner afresh.
"""

from __future__ import annotations

from typing import Any

from skill.coach import calendar, programme
from skill.coach.programme import Level
from skill.coach.state import (
    DEVICES_LIMIT,
    HISTORY_LIMIT,
    ExerciseDone,
    HistoryEntry,
    Pending,
    Phase,
    Profile,
    Schedule,
    UserState,
    Workout,
)

SCHEMA_VERSION = 3
SCHEMAS = (1, 2, 3)
UNITS = ("metric", "imperial")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _done(done: ExerciseDone) -> list[Any]:
    return [done.exercise, done.sets, done.level.value, done.pain]


def _read_done(value: list[Any]) -> ExerciseDone:
    exercise, sets, level, pain = value
    if not programme.is_exercise(exercise):
        raise ValueError("log names an unknown exercise")
    return ExerciseDone(exercise, int(sets), Level(level), bool(pain))


def _schedule(schedule: Schedule | None) -> list[Any] | None:
    return None if schedule is None else [list(schedule.days), schedule.hour, schedule.minute]


def read_schedule(value: Any) -> Schedule | None:
    """A stored schedule, or None; days outside the week or a time off the clock raise ValueError."""
    if value is None:
        return None
    days, hour, minute = value
    if not days or any(d not in WEEKDAYS for d in days) or not (0 <= int(hour) < 24 and 0 <= int(minute) < 60):
        raise ValueError("not a weekly schedule")
    return Schedule(tuple(sorted(set(days), key=WEEKDAYS.index)), int(hour), int(minute))


def _units(value: Any) -> str | None:
    return value if value in UNITS else None


def history_list(history: tuple[HistoryEntry, ...]) -> list[Any]:
    """The workout history as JSON-friendly data (the store keeps it apart from the rest of the state)."""
    return [[h.finished_at, list(h.exercises), h.sets_done, h.partial, [_done(d) for d in h.log]] for h in history]


def read_history(items: list[Any]) -> tuple[HistoryEntry, ...]:
    history = []
    for item in items:
        finished_at, exercises, sets_done, *rest = item
        partial, log = (bool(rest[0]), tuple(_read_done(d) for d in rest[1])) if rest else (False, ())
        history.append(HistoryEntry(float(finished_at), tuple(exercises), int(sets_done), partial, log))
    return tuple(history)[-HISTORY_LIMIT:]


def to_dict(state: UserState, *, with_history: bool = True) -> dict[str, Any]:
    """`with_history=False` leaves the history out (the store writes it on its own, and only when it changed)."""
    p, w = state.profile, state.workout
    data = {
        "schema": SCHEMA_VERSION,
        "profile": {
            "missing_equipment": sorted(p.missing_equipment),
            "levels": {exercise: level.value for exercise, level in p.levels},
            "self_paced": p.self_paced,
            "rest_seconds": p.rest_seconds,
            "rotation": p.rotation,
            "tips": sorted(p.tips),
            "zone": p.zone,
            "units": p.units,
            "units_choice": p.units_choice,
            "devices": [list(d) for d in p.devices],
            "offered": [list(o) for o in p.offered],
            "stepped_down": sorted(p.stepped_down),
            "reminder": _schedule(p.reminder),
            "timers": p.timers,
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
            "coaching_session": w.coaching_session,
            "current_sets": w.current_sets,
            "pain": w.pain,
            "done": [_done(d) for d in w.done],
            "offer": w.offer,
            "own_until": w.own_until,
            "timer_until": w.timer_until,
        },
        "pending": None if state.pending is None else state.pending.value,
        "proposal": _schedule(state.proposal),
    }
    if with_history:
        data["profile"]["history"] = history_list(p.history)
    return data


def _profile(p: dict[str, Any], schema: int, history: tuple[HistoryEntry, ...] | None) -> Profile:
    if schema == 1:  # one level for every exercise
        level = Level(p["level"])
        levels = {} if level is Level.STANDARD else {e: level for e in programme.exercise_ids()}
    else:
        levels = {e: Level(v) for e, v in p["levels"].items() if programme.is_exercise(e)}
    if "history" in p:  # kept inside the state until the store split it out
        history = read_history(p["history"])
    return Profile(
        missing_equipment=frozenset(e for e in p["missing_equipment"] if e in programme.EQUIPMENT),
        levels=tuple(sorted((e, v) for e, v in levels.items() if v is not Level.STANDARD)),
        self_paced=bool(p["self_paced"]),
        rest_seconds=None if p["rest_seconds"] is None else int(p["rest_seconds"]),
        rotation=int(p["rotation"]),
        history=() if history is None else history,
        tips=frozenset(str(t) for t in p.get("tips", ())),
        zone=zone if isinstance(zone := p.get("zone"), str) and calendar.is_zone(zone) else None,
        units=_units(p.get("units")),
        units_choice=_units(p.get("units_choice")),
        devices=tuple(sorted(sorted(((str(d), float(t)) for d, t in p.get("devices", ())),
                                    key=lambda item: item[1])[-DEVICES_LIMIT:])),
        offered=tuple(sorted((e, float(t)) for e, t in p.get("offered", ()) if programme.is_exercise(e))),
        stepped_down=frozenset(e for e in p.get("stepped_down", ()) if programme.is_exercise(e)),
        reminder=read_schedule(p.get("reminder")),
        timers=None if p.get("timers") is None else bool(p["timers"]),
    )


def _workout(w: dict[str, Any]) -> Workout:
    plan = tuple(w["plan"])
    if not plan or not all(programme.is_exercise(e) for e in plan):
        raise ValueError("plan names an unknown exercise")
    offer = w.get("offer")
    return Workout(
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
        coaching_session=str(w.get("coaching_session", "")),
        current_sets=int(w.get("current_sets", 0)),
        pain=bool(w.get("pain", False)),
        done=tuple(_read_done(d) for d in w.get("done", ())),
        offer=offer if offer is None or programme.is_exercise(offer) else None,
        own_until=float(w.get("own_until", 0.0)),
        timer_until=float(w.get("timer_until", 0.0)),
    )


def from_dict(data: dict[str, Any], history: tuple[HistoryEntry, ...] | None = None) -> UserState:
    """Rebuild from stored data (schema 1, 2 or 3); anything malformed raises. `history`: the one kept apart
    (a history inside `data` wins: stored before the two were split)."""
    schema = data.get("schema")
    if schema not in SCHEMAS:
        raise ValueError("unknown schema")
    workout = None if data.get("workout") is None else _workout(data["workout"])
    pending = None if data.get("pending") is None else Pending(data["pending"])
    return UserState(profile=_profile(data["profile"], schema, history), workout=workout, pending=pending,
                     proposal=read_schedule(data.get("proposal")))


def _before_set(value: Any, plan_length: int) -> tuple[int, int, Phase] | None:
    if value is None:
        return None
    index, number, phase = value
    return min(int(index), plan_length - 1), max(1, int(number)), Phase(phase)
