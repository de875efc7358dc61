"""The device's time zone and distance units from the Alexa Settings API, at most once a day per device.

`GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone` answers a JSON
string ("America/Los_Angeles"), `.../System.distanceUnits` "METRIC" or "IMPERIAL";
neither needs a permission, and 204 means the runner never set it. Each call has
a short deadline (DEADLINE_SECONDS); a zone that fails (timeout, refused, 5xx)
skips the units call, since the API is not answering. Whatever fails, the turn
goes on with what the profile cached last, else UTC and the locale's customary
units, and the device is not asked again for a day (`Profile.devices`), so a
broken API costs one slow turn a day, not every turn.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass, replace

from skill.alexa.api import AlexaApi, ApiError
from skill.coach import calendar
from skill.coach.state import Profile

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 1.0     # per call; two calls at most, once a day per device
CHECK_EVERY_SECONDS = 24 * 3600
_UNITS = {"METRIC": "metric", "IMPERIAL": "imperial"}


@dataclass(frozen=True)
class DeviceSettings:
    """What the API said: an IANA zone and "metric" / "imperial", each None when unknown or failed."""

    zone: str | None = None
    units: str | None = None


def due(profile: Profile, device: str, now: float) -> bool:
    """True when this device's settings were never asked for, or not in the last day."""
    asked = dict(profile.devices).get(device)
    return asked is None or not 0 <= now - asked < CHECK_EVERY_SECONDS


def fetch(api: AlexaApi, device_id: str) -> DeviceSettings:
    """Ask the Settings API (two GETs); never raises."""
    api = replace(api, deadline=min(api.deadline, DEADLINE_SECONDS))
    base = f"/v2/devices/{urllib.parse.quote(device_id, safe='')}/settings"
    try:
        zone = api.call("settings", "GET", f"{base}/System.timeZone")
    except ApiError:
        return DeviceSettings()
    found_zone = zone if isinstance(zone, str) and calendar.is_zone(zone) else None
    try:
        units = api.call("settings", "GET", f"{base}/System.distanceUnits")
    except ApiError:
        return DeviceSettings(found_zone)
    return DeviceSettings(found_zone, _UNITS.get(units) if isinstance(units, str) else None)


def apply(profile: Profile, settings: DeviceSettings, device: str, now: float) -> Profile:
    """The profile with what the API said (what it did not say stays as cached), and the device marked asked."""
    profile = profile.with_device(device, now)
    return replace(profile, zone=settings.zone or profile.zone, units=settings.units or profile.units)
