"""Alexa request -> coach Event: intent table, slot resolution, durations.

The only place that knows intent names map to workout events. Slot values
resolve to programme ids through Alexa's entity resolution, else through the
locale's names and synonyms (its content). A slot Alexa could not resolve
becomes an UNCLEAR event (a spoken re-prompt), never an error; nothing from a
slot is spoken back.
"""

from __future__ import annotations

import hashlib
import math
import re
from functools import cache

from ask_sdk_model import IntentRequest, RequestEnvelope, Slot

from skill.alexa import intents
from skill.alexa.device import device_of
from skill.coach.events import SCREEN_KINDS, Event, Kind
from skill.coach.evolve import replace
from skill.voice import apl
from skill.voice.content import Content
from skill.voice.speech import estimator

INTENT_EVENTS: dict[str, Kind] = {
    intents.START_WORKOUT: Kind.START,
    intents.QUICK_WORKOUT: Kind.QUICK_START,
    intents.CHOOSE_EXERCISE: Kind.CHOOSE,
    intents.READY: Kind.READY,
    intents.DONE: Kind.DONE,
    intents.NEXT: Kind.NEXT,  # "next": the next set, or at an introduction the next exercise
    intents.NEXT_EXERCISE: Kind.NEXT_EXERCISE,
    intents.SKIP: Kind.SKIP,
    intents.WHATS_NEXT: Kind.WHATS_NEXT,
    intents.FINISH: Kind.FINISH,
    intents.REPEAT_SET: Kind.REPEAT_SET,
    intents.PAIN: Kind.PAIN,
    intents.TAKE_A_BREAK: Kind.TAKE_A_BREAK,
    intents.HOW_LONG: Kind.HOW_LONG,
    intents.HOW_MANY: Kind.HOW_MANY,
    intents.WHICH_LEG: Kind.WHICH_LEG,
    intents.WHAT_DO_I_NEED: Kind.WHAT_DO_I_NEED,
    intents.THANKS: Kind.THANKS,
    intents.EXERCISE_NAME: Kind.CHOOSE,
    intents.PROGRESS: Kind.PROGRESS,
    intents.FORM_TIP: Kind.FORM_TIP,
    intents.SET_REST: Kind.SET_REST,
    intents.SHORTER_REST: Kind.SHORTER_REST,
    intents.LONGER_REST: Kind.LONGER_REST,
    intents.SELF_PACED: Kind.SELF_PACED,
    intents.GUIDED_PACE: Kind.GUIDED,
    intents.HAVE_EQUIPMENT: Kind.HAVE_EQUIPMENT,
    intents.MISSING_EQUIPMENT: Kind.MISSING_EQUIPMENT,
    intents.HARDER: Kind.HARDER,
    intents.EASIER: Kind.EASIER,
    intents.WEEK_COUNT: Kind.WEEK_COUNT,
    intents.LAST_WORKOUT: Kind.LAST_WORKOUT,
    intents.STREAK: Kind.STREAK,
    intents.WHY_HAMSTRINGS: Kind.WHY,
    intents.DELETE_DATA: Kind.DELETE_DATA,
    intents.HELP: Kind.HELP,
    intents.STOP: Kind.STOP,
    intents.CANCEL: Kind.CANCEL,
    intents.FALLBACK: Kind.FALLBACK,
    intents.NAVIGATE_HOME: Kind.NAVIGATE_HOME,
    intents.REPEAT: Kind.REPEAT,
    intents.START_OVER: Kind.START_OVER,
    intents.PREVIOUS: Kind.GO_BACK,
    intents.PAUSE: Kind.PAUSE,
    intents.RESUME: Kind.RESUME,
    intents.YES: Kind.YES,
    intents.NO: Kind.NO,
    intents.HOW_AM_I_DOING: Kind.HOW_AM_I_DOING,
    intents.USE_METRIC: Kind.USE_METRIC,
    intents.USE_IMPERIAL: Kind.USE_IMPERIAL,
    intents.SET_REMINDER: Kind.REMIND,
    intents.LIST_REMINDERS: Kind.REMINDERS_LIST,
    intents.CANCEL_REMINDERS: Kind.REMINDERS_CANCEL,
    intents.MOVE_REMINDER: Kind.REMINDER_MOVE,
}

_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
WEEK_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@cache
def spoken_names(content: Content) -> dict[str, dict[str, str]]:
    """Slot name -> {what a runner may say (lowercase): programme id}, from the locale's content."""
    return {
        intents.EXERCISE_SLOT: {
            name: exercise_id
            for exercise_id, words in content.exercises.items()
            for name in (exercise_id, words.name.lower(), words.short.lower(), *words.synonyms)
        },
        intents.EQUIPMENT_SLOT: {
            name: key for key, words in content.equipment.items() for name in (key, *words.synonyms)
        },
        intents.DAY_SLOT: {
            name: code for code, names in content.weekday_names.items() for name in (code, *names)
        },
    }


def parse_duration(value: str | None) -> int | None:
    """ISO 8601 duration from AMAZON.DURATION ('PT90S', 'PT1M30S') -> whole seconds; None if not one."""
    match = _DURATION.match(value or "")
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return round(total) if math.isfinite(total) else None  # "PT999...9S" overflows to infinity


def parse_time(value: str | None) -> tuple[int, int] | None:
    """AMAZON.TIME's "07:00" -> (7, 0); a part of the day ("MO", "EV") or anything else -> None (asked again)."""
    match = _TIME.match(value or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def weekdays(slots: dict[str, Slot], content: Content) -> tuple[str, ...]:
    """The days said, as iCalendar codes in week order, each once."""
    found = {resolve_slot(slots.get(name), intents.DAY_SLOT, content) for name in intents.DAY_SLOTS}
    return tuple(day for day in WEEK_ORDER if day in found)


def resolve_slot(slot: Slot | None, slot_name: str, content: Content) -> str | None:
    """The programme id Alexa matched (ER_SUCCESS_MATCH), else an exact name or synonym, else None."""
    if slot is None:
        return None
    known = spoken_names(content)[slot_name]
    resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in resolutions or []:
        code = authority.status.code.value if authority.status and authority.status.code else ""
        if code == "ER_SUCCESS_MATCH":
            for wrapper in authority.values or []:
                value_id = wrapper.value.id if wrapper.value else None
                if value_id in known.values():
                    return value_id
    spoken = (slot.value or "").strip().lower()
    return known.get(spoken)


def event_for_intent(request: IntentRequest, now: float, new_session: bool, content: Content) -> Event:
    """Map an intent (with its slots) to an event; unknown intents are treated as Fallback."""
    name = request.intent.name if request.intent else ""
    kind = INTENT_EVENTS.get(name or "", Kind.FALLBACK)
    slots = (request.intent.slots or {}) if request.intent else {}
    estimate = estimator(content)
    if kind is Kind.CHOOSE:
        exercise = resolve_slot(slots.get(intents.EXERCISE_SLOT), intents.EXERCISE_SLOT, content)
        if exercise is None:
            return Event(Kind.UNCLEAR, now, new_session, unclear="exercise", estimate=estimate)
        return Event(kind, now, new_session, exercise=exercise, estimate=estimate)
    if kind in (Kind.HAVE_EQUIPMENT, Kind.MISSING_EQUIPMENT):
        equipment = resolve_slot(slots.get(intents.EQUIPMENT_SLOT), intents.EQUIPMENT_SLOT, content)
        if equipment is None:
            return Event(Kind.UNCLEAR, now, new_session, unclear="equipment", estimate=estimate)
        return Event(kind, now, new_session, equipment=equipment, estimate=estimate)
    if kind is Kind.SET_REST:
        slot = slots.get(intents.DURATION_SLOT)
        seconds = parse_duration(slot.value if slot else None)
        if seconds is None:
            return Event(Kind.UNCLEAR, now, new_session, unclear="duration", estimate=estimate)
        return Event(kind, now, new_session, seconds=seconds, estimate=estimate)
    if kind in (Kind.REMIND, Kind.REMINDER_MOVE):
        return _reminder(kind, slots, now, new_session, content)
    return Event(kind, now, new_session, estimate=estimate)


def _reminder(kind: Kind, slots: dict[str, Slot], now: float, new_session: bool, content: Content) -> Event:
    """Days (setting one) and a time of day, or an UNCLEAR event naming what is missing."""
    estimate = estimator(content)
    days = weekdays(slots, content) if kind is Kind.REMIND else ()
    slot = slots.get(intents.TIME_SLOT)
    time = parse_time(slot.value if slot else None)
    if kind is Kind.REMIND and not days:
        return Event(Kind.UNCLEAR, now, new_session, unclear="days", estimate=estimate)
    if time is None:
        return Event(Kind.UNCLEAR, now, new_session, unclear="time", estimate=estimate)
    return Event(kind, now, new_session, days=days, time=time, estimate=estimate)


FOREIGN_STEP = "foreign"  # a UserEvent from a document that is not ours: it names no position of ours


def session_tag(envelope: RequestEnvelope) -> str:
    """A short tag for the request's session (not its id): a barge-in is a request in the session coaching."""
    session_id = envelope.session.session_id if envelope.session is not None else None
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:12] if session_id else ""


def event_for_screen(arguments: list[object] | None, token: str | None, now: float, new_session: bool,
                     content: Content) -> Event:
    """A UserEvent's [event, position] (the webhook has checked their shape) -> the event, from that position.

    A token from another document names no position of ours, so it changes nothing.
    """
    kind, step = (arguments or ["", ""])[:2]
    known = {k.value: k for k in SCREEN_KINDS}
    step = str(step) if token == apl.TOKEN else FOREIGN_STEP
    return Event(known.get(str(kind), Kind.HEARTBEAT), now, new_session, step=step or FOREIGN_STEP,
                 estimate=estimator(content))


def event_for(envelope: RequestEnvelope, now: float, content: Content) -> Event:
    """Launch, an intent or a screen's UserEvent -> the coach's event, with the session and the device."""
    request = envelope.request
    new_session = envelope.session is None or bool(envelope.session.new)
    if request.object_type == "LaunchRequest":
        event = Event(Kind.LAUNCH, now, new_session, estimate=estimator(content))
    elif request.object_type == "Alexa.Presentation.APL.UserEvent":
        event = event_for_screen(request.arguments, request.token, now, new_session, content)
    else:
        event = event_for_intent(request, now, new_session, content)
    return replace(event, session=session_tag(envelope), device=device_of(envelope))
