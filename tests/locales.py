"""The locales the tests run in: every published one, and one per language for the expensive suites."""

from __future__ import annotations

from skill.voice.content import published

LOCALES: tuple[str, ...] = tuple(published())
LANGUAGES: tuple[str, ...] = tuple({locale.split("-")[0]: locale for locale in reversed(LOCALES)}.values())[::-1]
"""The first published locale of each language (en-US, de-DE, ...): where the crawler runs in full."""
OTHER_LANGUAGES: tuple[str, ...] = tuple(locale for locale in LOCALES if not locale.startswith("en-"))
