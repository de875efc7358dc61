"""The coach's reminder effects (`skill.coach.reminders.Effect`) done with the Alexa Reminders API.

- create: `GET /v1/alerts/reminders` (an identical reminder of ours already there is kept, so a retried
  "yes" never sets two), then `POST /v1/alerts/reminders` with a recurring SCHEDULED_ABSOLUTE trigger:
  `FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;` from today, in the runner's zone
  (`timeZoneId`; left out when we know none, so Alexa uses the device's);
- list: the GET, each reminder's days and time read back from its recurrence rule;
- cancel: the GET, then `DELETE /v1/alerts/reminders/{alertToken}` for each;
- move: the GET, then `PUT /v1/alerts/reminders/{alertToken}` for each, same days at the new time.
The API lists only this skill's reminders. Each call gets the client's short deadline, and the whole effect
BUDGET_SECONDS; 401/403 mean the permission is missing ("no_permission"), anything else "failed", no API on
the device "unavailable". Never raises.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from skill.alexa.api import AlexaApi, ApiError
from skill.coach import calendar
from skill.coach.events import ApiResult
from skill.coach.reminders import Effect
from skill.coach.serial import WEEKDAYS, read_schedule
from skill.coach.state import Schedule

PATH = "/v1/alerts/reminders"
BUDGET_SECONDS = 3.0   # every call of one effect together, inside Alexa's 8 s and with the turn's store time
MAX_REMINDERS = 10     # at most this many of ours are moved or cancelled in one turn
_RULE = re.compile(r"(?:^|;)(BYDAY|BYHOUR|BYMINUTE)=([^;]*)")


def rule(schedule: Schedule) -> str:
    """The iCalendar recurrence rule Alexa keeps for a weekly reminder."""
    return (f"FREQ=WEEKLY;BYDAY={','.join(schedule.days)};BYHOUR={schedule.hour};BYMINUTE={schedule.minute};"
            "BYSECOND=0;INTERVAL=1;")


def body(schedule: Schedule, zone: str | None, text: str, locale: str, now: float) -> dict[str, Any]:
    """A reminder request: recurring from now (the runner's wall clock), spoken and pushed to the app."""
    start = calendar.local_time(now, zone).replace(tzinfo=None, second=0, microsecond=0)
    trigger: dict[str, Any] = {"type": "SCHEDULED_ABSOLUTE",
                               "recurrence": {"startDateTime": start.isoformat(timespec="milliseconds"),
                                              "recurrenceRules": [rule(schedule)]}}
    if zone:
        trigger["timeZoneId"] = zone
    return {"requestTime": datetime.fromtimestamp(now, UTC).replace(tzinfo=None).isoformat(timespec="milliseconds"),
            "trigger": trigger, "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
            "pushNotification": {"status": "ENABLED"}}


def schedule_of(alert: Any) -> Schedule | None:
    """The weekly days and time of one listed reminder (its recurrence rule), or None if it has none."""
    recurrence = (alert.get("trigger") or {}).get("recurrence") or {} if isinstance(alert, dict) else {}
    for text in recurrence.get("recurrenceRules") or ():
        parts = dict(_RULE.findall(str(text)))
        try:
            days = [d for d in parts.get("BYDAY", "").split(",") if d in WEEKDAYS]
            return read_schedule([days, int(parts.get("BYHOUR", "")), int(parts.get("BYMINUTE", "0"))])
        except ValueError:
            continue
    return None


def _path(alert: dict[str, Any]) -> str:
    return f"{PATH}/{urllib.parse.quote(alert['alertToken'], safe='')}"


class _Budget:
    """One deadline for all of an effect's calls: each gets the client's deadline or what is left."""

    def __init__(self, api: AlexaApi, seconds: float) -> None:
        self.api, self.ends = api, time.monotonic() + seconds

    def call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        left = self.ends - time.monotonic()
        if left < 0.1:
            raise ApiError("timeout")
        return replace(self.api, deadline=min(self.api.deadline, left)).call("reminders", method, path, payload)


def _ours(calls: _Budget) -> list[dict[str, Any]]:
    listed = calls.call("GET", PATH)
    alerts = listed.get("alerts") if isinstance(listed, dict) else None
    return [a for a in alerts or () if isinstance(a, dict) and isinstance(a.get("alertToken"), str)
            and a.get("status") != "COMPLETED"][:MAX_REMINDERS]


def perform(effect: Effect, api: AlexaApi | None, text: str, locale: str, now: float) -> ApiResult:
    """Do `effect`; the result says what happened, for the coach to say."""
    if api is None:
        return ApiResult("unavailable")
    calls = _Budget(api, BUDGET_SECONDS)
    try:
        alerts = _ours(calls)
        found = [s for s in map(schedule_of, alerts) if s is not None]
        if effect.action == "list":
            return ApiResult("ok", tuple(found), len(found))
        if effect.action == "create" and effect.schedule is not None:
            if effect.schedule not in found:
                calls.call("POST", PATH, body(effect.schedule, effect.zone, text, locale, now))
            return ApiResult("ok", (effect.schedule,), 1)
        if effect.action == "cancel":
            for alert in alerts:
                calls.call("DELETE", _path(alert))
            return ApiResult("ok", (), len(alerts))
        if effect.action == "move" and effect.schedule is not None:
            return _move(calls, alerts, effect, text, locale, now)
    except ApiError as error:
        return ApiResult("no_permission" if error.kind in ("unauthorized", "forbidden") else "failed")
    return ApiResult("failed")


def _move(calls: _Budget, alerts: list[dict[str, Any]], effect: Effect, text: str, locale: str,
          now: float) -> ApiResult:
    assert effect.schedule is not None
    moved = []
    for alert in alerts:
        old = schedule_of(alert)
        if old is None:
            continue
        new = Schedule(old.days, effect.schedule.hour, effect.schedule.minute)
        calls.call("PUT", _path(alert), body(new, effect.zone, text, locale, now))
        moved.append(new)
    return ApiResult("ok", tuple(moved), len(moved))
