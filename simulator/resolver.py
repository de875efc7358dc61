"""Typed text -> the intent and slots Alexa would send, read from the interaction model.

The terminal chat and the browser simulator build real request envelopes from
a `Resolution`, so what resolves here must be what the model file can deliver:
exact samples first, then Amazon's built-in phrasings, then slot patterns
(a resolved slot value beats an unresolved one). Text that matches nothing is
AMAZON.FallbackIntent, as on a device; there is deliberately no fuzzy match,
so a sample missing from the model shows up as a Fallback in the simulator too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.durations import parse_duration
from simulator.phrases import Language, for_language
from simulator.times import parse_time
from skill.alexa import intents

_WORDS = re.compile(r"\d+(?:\.\d+)?|(?:[^\W\d_]|')+")  # numbers, and words of any letters (é, ß, ã)
_SLOT = re.compile(r"(\{\w+\})")
_DURATION = "AMAZON.DURATION"
_TIME = "AMAZON.TIME"


@dataclass(frozen=True)
class ResolvedSlot:
    """One filled slot. `resolved_id` is None when entity resolution found no match."""

    name: str
    raw: str
    resolved_id: str | None
    resolved_name: str | None = None  # the slot value's name.value, for ER_SUCCESS_MATCH
    slot_type: str | None = None

    @property
    def value(self) -> str:
        """What Alexa puts in `slot.value`: the ISO string for a duration, "HH:MM" for a time, else the words."""
        if self.slot_type in (_DURATION, _TIME) and self.resolved_id:
            return self.resolved_id
        return self.raw


@dataclass(frozen=True)
class Resolution:
    """What a device would send: a launch, an intent with slots, or the end of the session."""

    kind: str  # "launch" | "intent" | "session_end"
    intent: str | None
    slots: dict[str, ResolvedSlot] = field(default_factory=dict)
    new_session: bool = False


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slot_types: dict[str, str]
    literal_words: int


def _replace_phrases(words: list[str], table: dict[str, str]) -> list[str]:
    """Rewrite word sequences found in `table`, longest phrase first, left to right."""
    longest = max(len(key.split()) for key in table)
    out: list[str] = []
    pos = 0
    while pos < len(words):
        for size in range(min(longest, len(words) - pos), 0, -1):
            replacement = table.get(" ".join(words[pos : pos + size]))
            if replacement is not None:
                out.extend(replacement.split())
                pos += size
                break
        else:
            out.append(words[pos])
            pos += 1
    return out


def canonical(text: str, language: Language | None = None) -> str:
    """Lowercase words, punctuation gone (apostrophes and decimal points kept), contractions unified."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    words = [w.strip("'") for w in _WORDS.findall(text)]
    contractions = (language or for_language("en")).contractions
    return " ".join(_replace_phrases([w for w in words if w], contractions)) if contractions else " ".join(
        w for w in words if w)


def _strip_prefix(text: str, prefixes: tuple[str, ...] | frozenset[str]) -> str | None:
    """`text` without the first of `prefixes` it starts with (whole words), else None."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if text.startswith(prefix + " "):
            return text[len(prefix) + 1 :]
    return None


class Resolver:
    """Resolves typed utterances against one interaction model; build once, reuse."""

    def __init__(self, model: dict[str, Any], language: Language | None = None) -> None:
        self.language = language or for_language("en")
        language_model = model["interactionModel"]["languageModel"]
        self.invocation_name: str = self._canonical(language_model["invocationName"])
        self._slots: dict[str, dict[str, str]] = {}
        self._exact: dict[str, str] = {}
        self._patterns: list[_Pattern] = []
        self._values: dict[str, dict[str, tuple[str, str]]] = {
            kind["name"]: self._value_index(kind["values"]) for kind in language_model.get("types", [])
        }
        for intent in language_model["intents"]:
            slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            self._slots[intent["name"]] = slot_types
            for sample in intent.get("samples", []):
                self._add_sample(intent["name"], sample, slot_types)

    @classmethod
    def from_model_file(cls, path: Path) -> Resolver:
        """The model at interaction_models/<locale>.json, heard as that locale's language."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), for_language(Path(path).stem))

    def _canonical(self, text: str) -> str:
        return canonical(text, self.language)

    def declared_slots(self, intent: str) -> dict[str, str]:
        """Slot name -> type for `intent`: a request envelope lists every declared slot, filled or not."""
        return dict(self._slots.get(intent, {}))

    def _value_index(self, values: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
        index: dict[str, tuple[str, str]] = {}
        for value in values:
            name = value["name"]
            for spoken in (name["value"], *name.get("synonyms", [])):
                index.setdefault(self._canonical(spoken), (value["id"], name["value"]))
        return index

    def _add_sample(self, intent: str, sample: str, slot_types: dict[str, str]) -> None:
        """Index one sample: slot-free samples by text, the rest as a pattern compiled once."""
        if "{" not in sample:
            self._exact.setdefault(self._canonical(sample), intent)
            return
        parts, literal = [], 0
        for segment in _SLOT.split(sample):
            if _SLOT.fullmatch(segment):
                parts.append(rf"(?P<{segment[1:-1]}>\S+(?: \S+)*?)")
            elif text := self._canonical(segment):
                parts.append(re.escape(text))
                literal += len(text.split())
        regex = re.compile(" ".join(parts))
        self._patterns.append(_Pattern(intent, regex, slot_types, literal))

    def _slot(self, name: str, slot_type: str | None, raw: str) -> ResolvedSlot:
        """Entity resolution: a value or synonym (seeing past "a", "the", ...) gives its id."""
        if slot_type == _DURATION:
            return ResolvedSlot(name, raw, parse_duration(raw, self.language.durations), None, slot_type)
        if slot_type == _TIME:
            return ResolvedSlot(name, raw, parse_time(raw, self.language.code), None, slot_type)
        index = self._values.get(slot_type or "", {})
        candidates = [raw]
        bare = _strip_prefix(raw, self.language.value_prefixes)
        if bare:
            candidates.append(bare)
        for text in candidates:
            if text in index:
                value_id, value_name = index[text]
                return ResolvedSlot(name, raw, value_id, value_name, slot_type)
        return ResolvedSlot(name, raw, None, None, slot_type)

    def _match(self, candidates: list[str]) -> tuple[str, dict[str, ResolvedSlot]] | None:
        """Best intent for the first candidate that matches: exact, built-in, then patterns."""
        for text in candidates:
            intent = self._exact.get(text) or self.language.built_in_phrases.get(text)
            if intent:
                return intent, {}
        best: tuple[tuple[bool, int, int, int], str, dict[str, ResolvedSlot]] | None = None
        for rank, text in enumerate(candidates):
            for order, pattern in enumerate(self._patterns):
                found = pattern.regex.fullmatch(text)
                if not found:
                    continue
                slots = {
                    name: self._slot(name, pattern.slot_types.get(name), raw) for name, raw in found.groupdict().items()
                }
                resolved = all(slot.resolved_id is not None for slot in slots.values())
                if not resolved and pattern.literal_words == 0:
                    continue  # a slot on its own matches only a value it knows: anything else is Fallback
                score = (resolved, pattern.literal_words, -rank, -order)
                if best is None or score > best[0]:
                    best = (score, pattern.intent, slots)
        return (best[1], best[2]) if best else None

    def _variants(self, requests: list[str], articles: bool) -> list[str]:
        """Each request, then without fillers ("please"), then (one-shots) without a leading article."""
        variants: list[str] = []
        fillers = self.language.fillers
        for text in requests:
            words = text.split()
            while words and words[-1] in fillers:
                words.pop()
            while words and words[0] in fillers:
                words.pop(0)
            variants += [text, " ".join(words)]
        if articles:
            leading = self.language.leading_articles
            variants += [rest for v in list(variants) if (rest := _strip_prefix(v, leading))]
        return [v for v in dict.fromkeys(variants) if v]

    def _intent(self, requests: list[str], new_session: bool) -> Resolution:
        match = self._match(self._variants(requests, articles=new_session))
        if match is None:
            return Resolution("intent", intents.FALLBACK, {}, new_session)
        return Resolution("intent", match[0], match[1], new_session)

    def _one_shot(self, text: str) -> list[str] | None:
        """Readings of X in "ask hamstring coach to X" / "X using hamstring coach" ([] is a plain
        launch); None when the invocation name is not said."""
        name = self.invocation_name
        rest: str | None = "" if text == name else None
        for verb in self.language.launch_verbs:
            head = f"{verb} {name}"
            if text == head or text.startswith(head + " "):
                rest = text[len(head) + 1 :]
                break
        for connector in self.language.suffix_connectors:
            tail = f" {connector} {name}"
            if rest is None and text.endswith(tail):
                rest = text[: -len(tail)]
        if rest is None:
            return None
        if all(word in self.language.fillers for word in rest.split()):
            return []
        bare = _strip_prefix(rest, self.language.connectors)
        return [bare, rest] if bare else [rest]

    def resolve(self, text: str) -> Resolution:
        """Resolve one typed utterance; never raises for odd input (it becomes a Fallback)."""
        words = self._canonical(text).split()
        while words and words[0] == self.language.wake_word:
            words.pop(0)
        said = " ".join(words)
        if said in self.language.session_end:
            return Resolution("session_end", None, {}, False)
        requests = self._one_shot(said)
        if requests == []:
            return Resolution("launch", None, {}, True)
        if requests is not None:
            return self._intent(requests, new_session=True)
        return self._intent([said], new_session=False)
