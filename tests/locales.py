"""The locales the tests run in: every published one, and one per language for the expensive suites."""

from __future__ import annotations

from typing import Any

import pytest

from skill.voice.content import published

LOCALES: tuple[str, ...] = tuple(published())
LANGUAGES: tuple[str, ...] = tuple({locale.split("-")[0]: locale for locale in reversed(LOCALES)}.values())[::-1]
"""The first published locale of each language (en-US, de-DE, ...): where the crawler runs in full."""
OTHER_LANGUAGES: tuple[str, ...] = tuple(locale for locale in LOCALES if not locale.startswith("en-"))


def language_locale(locale: str) -> str:
    """The locale whose crawl stands for `locale`'s language (en-GB -> en-US, fr-CA -> fr-FR)."""
    return next(first for first in LANGUAGES if first.split("-")[0] == locale.split("-")[0])


def sharing_its_crawl(locales: tuple[str, ...]) -> list[Any]:
    """`locales` as parameters that pytest-xdist keeps on the worker that crawls their language (`make test`
    runs `--dist loadgroup`): a crawl takes about a minute and is cached per process."""
    return [pytest.param(locale, marks=crawl_group(language_locale(locale))) for locale in locales]


def crawl_group(locale: str) -> pytest.MarkDecorator:
    """The xdist group of the tests that use `locale`'s crawl (tests/crawl.py)."""
    return pytest.mark.xdist_group(f"crawl-{locale}")
