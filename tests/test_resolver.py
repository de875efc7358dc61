"""The utterance resolver: typed text must reach the intent a device would send.

Every sample in the model is resolved back to its own intent, so a sample the
resolver cannot reach (or two intents fighting over a phrase) fails here, and
the chat and browser simulators can be trusted to behave like a device.
"""

from __future__ import annotations

import json
import time
from itertools import cycle
from typing import Any

import pytest

from simulator import Resolution, Resolver
from skill.alexa import intents
from skill.voice.content import for_locale
from tools.build_interaction_model import model_path

MODEL_PATH = model_path("en-US")
MODEL: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
LANGUAGE: dict[str, Any] = MODEL["interactionModel"]["languageModel"]
SAMPLES = [(intent["name"], sample) for intent in LANGUAGE["intents"] for sample in intent["samples"]]
# Real catalogue values to fill each slot type with: (what is said, the id it must resolve to).
EXERCISE_FILLS = [(said, ex_id) for ex_id, words in for_locale("en-US").exercises.items() for said in words.synonyms]
EQUIPMENT_FILLS = [(said, eq_id) for eq_id, words in for_locale("en-US").equipment.items() for said in words.synonyms]
DURATION_FILLS = [("ninety seconds", "PT90S"), ("two minutes", "PT2M"), ("a minute and a half", "PT1M30S")]
FILLS = {"exercise": EXERCISE_FILLS, "equipment": EQUIPMENT_FILLS, "duration": DURATION_FILLS}


def _filled_samples() -> list[tuple[str, str, str, str]]:
    """(intent, sample, slot, expected id) per slot sample and fill, rotating through the fills."""
    rotation = {slot: cycle(fills) for slot, fills in FILLS.items()}
    cases = []
    for name, sample in SAMPLES:
        for slot, fills in FILLS.items():
            if "{" + slot + "}" in sample:
                for _ in range(len({id_ for _, id_ in fills})):
                    said, expected = next(rotation[slot])
                    cases.append((name, sample.replace("{" + slot + "}", said), slot, expected))
    return cases


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.from_model_file(MODEL_PATH)


def _intent(resolver: Resolver, text: str) -> str | None:
    return resolver.resolve(text).intent


@pytest.mark.parametrize(("name", "sample"), [(n, s) for n, s in SAMPLES if "{" not in s])
def test_every_sample_resolves_to_its_intent(resolver: Resolver, name: str, sample: str) -> None:
    assert resolver.resolve(sample) == Resolution("intent", name, {}, False)
    assert resolver.resolve(f"ask hamstring coach to {sample}") == Resolution("intent", name, {}, True)


@pytest.mark.parametrize(("name", "text", "slot", "expected"), _filled_samples())
def test_every_slot_sample_resolves_with_its_value(
    resolver: Resolver, name: str, text: str, slot: str, expected: str
) -> None:
    resolution = resolver.resolve(text)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("intent", name, False)
    assert resolution.slots[slot].resolved_id == expected


def test_every_slot_sample_was_exercised() -> None:
    slot_samples = {s for _, s in SAMPLES if "{" in s}
    assert len(slot_samples) >= 40 and len(_filled_samples()) > len(slot_samples)


@pytest.mark.parametrize(
    "text",
    ["open hamstring coach", "launch hamstring coach", "start hamstring coach", "Alexa, open hamstring coach",
     "alexa talk to hamstring coach", "ask hamstring coach", "open Hamstring Coach please"],
)  # fmt: skip
def test_launch_forms(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text) == Resolution("launch", None, {}, True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ask hamstring coach for the next exercise", intents.NEXT_EXERCISE),
        ("Alexa, ask hamstring coach for the next exercise.", intents.NEXT_EXERCISE),
        ("ask hamstring coach to give me the next exercise", intents.NEXT_EXERCISE),
        ("ask hamstring coach what set am I on", intents.PROGRESS),
        ("ask hamstring coach for my streak", intents.STREAK),
        ("ask hamstring coach for a form tip", intents.FORM_TIP),
        ("tell hamstring coach to start my workout", intents.START_WORKOUT),
        ("tell hamstring coach I'm ready", intents.READY),
        ("tell hamstring coach that I'm ready", intents.READY),
        ("use hamstring coach to start a workout", intents.START_WORKOUT),
        ("start hamstring coach and start my workout", intents.START_WORKOUT),
        ("ask hamstring coach to continue my workout", intents.RESUME),
        ("ask hamstring coach to pick up where I left off", intents.RESUME),
        ("start my workout using hamstring coach", intents.START_WORKOUT),
        ("ask hamstring coach to stop", intents.STOP),
        ("ask hamstring coach to flibbertigibbet", intents.FALLBACK),
    ],
)
def test_one_shots(resolver: Resolver, text: str, intent: str) -> None:
    assert resolver.resolve(text) == Resolution("intent", intent, {}, True)


def test_one_shot_with_a_slot(resolver: Resolver) -> None:
    resolution = resolver.resolve("ask hamstring coach to rest for ninety seconds")
    assert (resolution.intent, resolution.new_session) == (intents.SET_REST, True)
    assert resolution.slots["duration"].resolved_id == "PT90S"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stop", intents.STOP), ("cancel", intents.CANCEL), ("never mind", intents.CANCEL),
        ("help", intents.HELP), ("what can I say", intents.HELP), ("next", intents.NEXT),
        ("skip forward", intents.NEXT), ("skip", intents.SKIP), ("repeat", intents.REPEAT),
        ("say that again", intents.REPEAT),
        ("start over", intents.START_OVER), ("restart", intents.START_OVER), ("go back", intents.PREVIOUS),
        ("previous", intents.PREVIOUS), ("pause", intents.PAUSE), ("resume", intents.RESUME),
        ("continue", intents.RESUME), ("yes", intents.YES), ("yeah", intents.YES), ("yep", intents.YES),
        ("sure", intents.YES), ("no", intents.NO), ("nope", intents.NO), ("home", intents.NAVIGATE_HOME),
        ("go home", intents.NAVIGATE_HOME), ("Stop!", intents.STOP), ("alexa, stop", intents.STOP),
    ],
)  # fmt: skip
def test_built_in_phrasings(resolver: Resolver, text: str, intent: str) -> None:
    assert resolver.resolve(text) == Resolution("intent", intent, {}, False)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("next set", intents.READY), ("next exercise", intents.NEXT_EXERCISE), ("next", intents.NEXT),
     ("skip this exercise", intents.SKIP), ("wait", intents.TAKE_A_BREAK), ("go", intents.READY),
     ("keep going", intents.RESUME)],
)  # fmt: skip
def test_custom_sample_beats_built_in(resolver: Resolver, text: str, intent: str) -> None:
    assert _intent(resolver, text) == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [("What's next?", intents.WHATS_NEXT), ("whats next", intents.WHATS_NEXT),
     ("I will go at my own pace", intents.SELF_PACED), ("ill go at my own pace", intents.SELF_PACED),
     ("I am ready!", intents.READY), ("  READY  ", intents.READY),
     ("next exercise, please", intents.NEXT_EXERCISE),
     ("How do I do this again?", intents.FORM_TIP), ("i do not have a trx", intents.MISSING_EQUIPMENT)],
)  # fmt: skip
def test_normalisation(resolver: Resolver, text: str, intent: str) -> None:
    assert _intent(resolver, text) == intent


@pytest.mark.parametrize(
    ("text", "intent", "slot", "raw", "value_id"),
    [
        ("my partner is here", intents.HAVE_EQUIPMENT, "equipment", "partner", "partner"),
        ("I have a TRX", intents.HAVE_EQUIPMENT, "equipment", "trx", "trx"),
        ("I have two dumbbells now", intents.HAVE_EQUIPMENT, "equipment", "two dumbbells", "dumbbells"),
        ("I don't have a swiss ball", intents.MISSING_EQUIPMENT, "equipment", "swiss ball", "stability_ball"),
        ("do the nordics", intents.CHOOSE_EXERCISE, "exercise", "nordics", "eccentric_curls"),
        ("I want to do inchworms", intents.CHOOSE_EXERCISE, "exercise", "inchworms", "inchworms"),
        ("do the R D L", intents.CHOOSE_EXERCISE, "exercise", "r d l", "dumbbell_rdl"),
        ("I have a unicorn", intents.HAVE_EQUIPMENT, "equipment", "unicorn", None),
        ("do the splits", intents.CHOOSE_EXERCISE, "exercise", "splits", None),
    ],
)
def test_slot_values_resolve_by_name_or_synonym(
    resolver: Resolver, text: str, intent: str, slot: str, raw: str, value_id: str | None
) -> None:
    resolution = resolver.resolve(text)
    assert resolution.intent == intent
    assert (resolution.slots[slot].raw, resolution.slots[slot].resolved_id) == (raw, value_id)


@pytest.mark.parametrize(
    ("said", "iso"),
    [("ninety seconds", "PT90S"), ("90 seconds", "PT90S"), ("two minutes", "PT2M"), ("a minute", "PT1M"),
     ("a minute and a half", "PT1M30S"), ("one minute thirty seconds", "PT1M30S"), ("45 seconds", "PT45S"),
     ("forty-five seconds", "PT45S"), ("half a minute", "PT30S"), ("one and a half minutes", "PT1M30S"),
     ("a hundred and twenty seconds", "PT120S"), ("2 minutes and 30 seconds", "PT2M30S"), ("blah", None),
     ("a few seconds", None)],
)  # fmt: skip
def test_durations(resolver: Resolver, said: str, iso: str | None) -> None:
    resolution = resolver.resolve(f"rest for {said}")
    assert resolution.intent == intents.SET_REST
    slot = resolution.slots["duration"]
    assert slot.resolved_id == iso
    assert slot.value == (iso or slot.raw)


@pytest.mark.parametrize("text", ["flibber jabber", "what is the capital of france", "", "alexa", "?!"])
def test_nonsense_is_fallback(resolver: Resolver, text: str) -> None:
    assert resolver.resolve(text) == Resolution("intent", intents.FALLBACK, {}, False)


def test_exit_ends_the_session(resolver: Resolver) -> None:
    assert resolver.resolve("Alexa, exit").kind == "session_end"


def test_declared_slots_for_envelopes(resolver: Resolver) -> None:
    assert resolver.declared_slots(intents.SET_REST) == {"duration": "AMAZON.DURATION"}
    assert resolver.declared_slots(intents.READY) == {}


def test_resolving_is_fast(resolver: Resolver) -> None:
    texts = [sample for _, sample in SAMPLES if "{" not in sample] + ["do the nordics", "flibber jabber"]
    started = time.perf_counter()
    for text in texts * 3:
        resolver.resolve(text)
    per_call = (time.perf_counter() - started) / (len(texts) * 3)
    assert per_call < 0.005, f"{per_call * 1000:.2f} ms per utterance"
