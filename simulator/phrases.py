"""How Alexa hears a language, for the resolver: word tables per language, from simulator/languages/*.toml.

Kept apart from the matching logic so adding a phrasing (or a language) never touches the algorithm.
Every phrase is in canonical form (see `canonical` in `resolver`): lowercase, contractions contracted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES_DIR = Path(__file__).resolve().parent / "languages"


@dataclass(frozen=True)
class Language:
    code: str
    contractions: dict[str, str]         # variant -> canonical form
    built_in_phrases: dict[str, str]     # phrase -> built-in intent
    session_end: frozenset[str]
    launch_verbs: tuple[str, ...]
    connectors: frozenset[str]
    suffix_connectors: tuple[str, ...]
    leading_articles: frozenset[str]
    value_prefixes: tuple[str, ...]
    fillers: frozenset[str]
    wake_word: str
    opens: str                           # "alexa open {invocation}"
    one_shots: tuple[str, ...]           # "alexa ask {invocation} to "


@cache
def for_language(code: str) -> Language:
    """The tables for a language ("en", "de", ...), or a locale's language ("de-DE"); English if unknown."""
    path = LANGUAGES_DIR / f"{code.split('-')[0]}.toml"
    data = tomllib.loads((path if path.exists() else LANGUAGES_DIR / "en.toml").read_text(encoding="utf-8"))
    speech, examples = data["speech"], data["example_phrases"]
    return Language(
        code=path.stem if path.exists() else "en",
        contractions={variant: form for form, variants in data.get("contractions", {}).items()
                      for variant in variants},
        built_in_phrases={phrase: intent for intent, said in data["built_ins"].items() for phrase in said},
        session_end=frozenset(speech["session_end"]),
        launch_verbs=tuple(speech["launch_verbs"]),
        connectors=frozenset(speech["connectors"]),
        suffix_connectors=tuple(speech.get("suffix_connectors", ())),
        leading_articles=frozenset(speech["leading_articles"]),
        value_prefixes=tuple(speech["value_prefixes"]),
        fillers=frozenset(speech["fillers"]),
        wake_word=speech["wake_word"],
        opens=examples["opens"],
        one_shots=tuple(examples["one_shots"]),
    )
