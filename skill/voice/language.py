"""A locale's rules for numbers, plurals, lists and units, from Babel (CLDR): no English in code.

Each function is cached per (locale, value): the same few counts, lists and
distances come back every turn, and Babel's lookups are not free.
"""

from __future__ import annotations

from datetime import date, time
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.lists import format_list
from babel.units import format_unit

YARD_METRES = 0.9144
IMPERIAL_LOCALES = frozenset({"en-US", "es-US"})  # where distances are said in yards by default


@cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


@lru_cache(maxsize=1024)
def plural_category(locale: str, number: int) -> str:
    """CLDR's plural category for `number` in this locale: "one", "few", "many", "other" ..."""
    return str(babel_locale(locale).plural_form(number))


@lru_cache(maxsize=1024)
def spoken_list(locale: str, items: tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C' as the locale joins a list."""
    return str(format_list(list(items), locale=babel_locale(locale)))


@lru_cache(maxsize=256)
def distance(locale: str, yards: int, units: str | None = None) -> str:
    """A distance in `units` ("metric" | "imperial"), else the locale's customary unit, spelled out by the
    locale's rules: "20 yards", "18 metres", "18 Meter" (20 yards is 18.3 m, said as a whole number)."""
    if units == "imperial" or (units != "metric" and locale in IMPERIAL_LOCALES):
        return str(format_unit(yards, "length-yard", length="long", locale=babel_locale(locale)))
    metres = round(yards * YARD_METRES)
    return str(format_unit(metres, "length-meter", length="long", locale=babel_locale(locale)))


@lru_cache(maxsize=256)
def clock_time(locale: str, hour: int, minute: int) -> str:
    """A time of day the locale's short way: "7:00 AM" (en-US), "07:00" (en-GB)."""
    return str(format_time(time(hour, minute), format="short", locale=babel_locale(locale)))


@lru_cache(maxsize=256)
def short_date(locale: str, iso: str) -> str:
    """A date without its year the locale's way: "Nov 30" (en-US), "30 Nov" (en-GB)."""
    return str(format_skeleton("MMMd", date.fromisoformat(iso), locale=babel_locale(locale)))
