"""Phrase books per locale. Only en-US exists; other English locales borrow it."""

from __future__ import annotations

from skill.phrases import en_US
from skill.speech import PhraseBook

DEFAULT_LOCALE = "en-US"
_BOOKS: dict[str, PhraseBook] = {"en-US": en_US.PHRASES}


def for_locale(locale: str | None) -> PhraseBook:
    return _BOOKS.get(locale or DEFAULT_LOCALE, _BOOKS[DEFAULT_LOCALE])
