"""Every language is heard with its own letters: "zurück", "arrête-toi", "sì", "não" and the accented slot
synonyms ("haltères", "bola suíça") reach the intent and value a device would send.

tests/test_resolver.py checks English sample by sample; this checks what only the other languages have:
accented built-in phrasings and launch verbs from simulator/languages/<lang>.toml, and accented synonyms
from skill/voice/content/<lang>/exercises.toml, through each locale's real model.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from simulator import Resolver
from simulator.resolver import canonical
from skill.alexa import intents
from skill.voice.content import for_locale
from tests.locales import LOCALES, OTHER_LANGUAGES
from tools.build_interaction_model import model_path

# Language -> (what is typed, the intent, the slot's resolved id or None for a slot-free intent).
HEARD: dict[str, list[tuple[str, str, str | None]]] = {
    "de": [("zurück", intents.PREVIOUS, None), ("nächste", intents.NEXT, None), ("nö", intents.NO, None),
           ("hör auf", intents.STOP, None), ("ich habe TRX Bänder", intents.HAVE_EQUIPMENT, "trx"),
           ("ich habe keinen Stabilitätsball", intents.MISSING_EQUIPMENT, "stability_ball"),
           ("rumänisches Kreuzheben machen", intents.CHOOSE_EXERCISE, "dumbbell_rdl")],
    "fr": [("arrête-toi", intents.STOP, None), ("répète ça", intents.REPEAT, None), ("oublie ça", intents.CANCEL, None),
           ("à l'aide", intents.HELP, None), ("reviens en arrière", intents.PREVIOUS, None),
           ("tout à fait", intents.YES, None), ("écran d'accueil", intents.NAVIGATE_HOME, None),
           ("j'ai des haltères", intents.HAVE_EQUIPMENT, "dumbbells"),
           ("je n'ai pas de système de suspension", intents.MISSING_EQUIPMENT, "trx"),
           ("je veux faire le soulevé de terre roumain", intents.CHOOSE_EXERCISE, "dumbbell_rdl")],
    "es": [("sí", intents.YES, None), ("atrás", intents.PREVIOUS, None), ("atras", intents.PREVIOUS, None),
           ("¿qué puedo decir?", intents.HELP, None), ("cállate", intents.STOP, None),
           ("tengo un balón", intents.HAVE_EQUIPMENT, "stability_ball"),
           ("no tengo un compañero", intents.MISSING_EQUIPMENT, "partner"),
           ("quiero hacer nórdicos", intents.CHOOSE_EXERCISE, "eccentric_curls")],
    "it": [("sì", intents.YES, None), ("si", intents.YES, None),
           ("perché allenare i femorali", intents.WHY_HAMSTRINGS, None),
           ("perche allenare i femorali", intents.WHY_HAMSTRINGS, None), ("cosa c'è dopo", intents.WHATS_NEXT, None),
           ("qual è il prossimo esercizio", intents.WHATS_NEXT, None),
           ("qual'è il prossimo esercizio", intents.WHATS_NEXT, None)],
    "pt": [("não", intents.NO, None), ("nao", intents.NO, None), ("próximo", intents.NEXT, None),
           ("tenho uma bola suíça", intents.HAVE_EQUIPMENT, "stability_ball"),
           ("não tenho âncora", intents.MISSING_EQUIPMENT, "partner"),
           ("quero fazer flexão nórdica", intents.CHOOSE_EXERCISE, "eccentric_curls")],
}  # fmt: skip
# Language -> one-shots whose verb has an accent (launch verbs and store-page heads).
ONE_SHOTS: dict[str, list[tuple[str, str]]] = {
    "de": [("Alexa, öffne Hamstring Coach und starte mein Training", intents.START_WORKOUT)],
    "fr": [("Alexa, demande à coach ischios de commencer ma séance", intents.START_WORKOUT),
           ("Alexa, dis à coach ischios que j'ai fini", intents.DONE)],
    "es": [("Alexa, pídele a entrenador de isquios la siguiente serie", intents.READY),
           ("Alexa, pregúntale a entrenador de isquios cuánto queda", intents.HOW_LONG)],
    "it": [("Alexa, dì a coach femorali che ho finito", intents.DONE),
           ("Alexa, di' a coach femorali che ho finito", intents.DONE)],
    "pt": [("Alexa, peça ao coach de posterior para continuar", intents.RESUME),
           ("Alexa, peça ao coach de posterior para começar o treino", intents.START_WORKOUT)],
}  # fmt: skip
SLOT = {intents.HAVE_EQUIPMENT: "equipment", intents.MISSING_EQUIPMENT: "equipment",
        intents.CHOOSE_EXERCISE: "exercise"}


@cache
def resolver(locale: str) -> Resolver:
    return Resolver.from_model_file(model_path(locale))


@cache
def _model(locale: str) -> dict[str, list[str]]:
    """Intent -> its samples, as the locale's model file has them."""
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return {intent["name"]: intent["samples"] for intent in model["interactionModel"]["languageModel"]["intents"]}


def _language(locale: str) -> str:
    return locale.split("-")[0]


@pytest.mark.parametrize(("locale", "text", "intent", "value_id"),
                         [(loc, *case) for loc in OTHER_LANGUAGES for case in HEARD[_language(loc)]])
def test_accented_words_reach_their_intent(locale: str, text: str, intent: str, value_id: str | None) -> None:
    resolution = resolver(locale).resolve(text)
    assert resolution.intent == intent, text
    if value_id is not None:
        assert resolution.slots[SLOT[intent]].resolved_id == value_id, text


@pytest.mark.parametrize(("locale", "text", "intent"),
                         [(loc, *case) for loc in OTHER_LANGUAGES for case in ONE_SHOTS[_language(loc)]])
def test_accented_one_shots(locale: str, text: str, intent: str) -> None:
    resolution = resolver(locale).resolve(text)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("intent", intent, True), text


@pytest.mark.parametrize("locale", LOCALES)
def test_every_launch_verb_opens_the_skill(locale: str) -> None:
    heard = resolver(locale)
    said = [f"alexa {verb} {heard.invocation_name}" for verb in heard.language.launch_verbs]
    assert [text for text in said if heard.resolve(text).kind != "launch"] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_built_in_phrasing_is_heard(locale: str) -> None:
    """Each of Amazon's phrasings in the language's table reaches its built-in intent, unless one of our
    samples says the same words (a sample wins, as on a device)."""
    heard = resolver(locale)
    samples = {canonical(sample, heard.language): name for name, said in _model(locale).items() for sample in said}
    wrong = [(phrase, intent, heard.resolve(phrase).intent)
             for phrase, intent in heard.language.built_in_phrases.items()
             if heard.resolve(phrase).intent != samples.get(canonical(phrase, heard.language), intent)]
    assert wrong == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_synonym_as_written_resolves_to_its_value(locale: str) -> None:
    """A synonym with its accents ("soulevé de terre", "bola suíça"), said in one of the locale's own
    samples, is the value the model holds: no contraction or canonical form mangles it."""
    heard, content, model = resolver(locale), for_locale(locale), _model(locale)
    wrong = []
    for intent, slot, table in ((intents.CHOOSE_EXERCISE, "exercise", content.exercises),
                                (intents.HAVE_EQUIPMENT, "equipment", content.equipment)):
        sample = next(s for s in model[intent] if s.endswith(" {" + slot + "}"))
        for value_id, words in table.items():
            for said in words.synonyms:
                resolution = heard.resolve(sample.replace("{" + slot + "}", said))
                if resolution.intent != intent or resolution.slots[slot].resolved_id != value_id:
                    wrong.append((said, value_id, resolution.intent))
    assert wrong == []
