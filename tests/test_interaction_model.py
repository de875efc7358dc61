"""The interaction model checked offline, so a broken model fails here and not at `ask deploy`.

Covers what the Alexa console would reject (characters, duplicate samples,
undeclared slots, unknown slot types) and what would break the skill silently
(intents out of step with skill/alexa/intents.py, slot values out of step with
the programme and the content, a stale generated file).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from skill.alexa import intents
from skill.coach import programme
from skill.voice.content import for_locale
from tests.locales import LOCALES
from tools import build_interaction_model as builder

MAIN_INTENTS = (
    intents.START_WORKOUT, intents.READY, intents.DONE, intents.NEXT_EXERCISE, intents.SKIP, intents.WHATS_NEXT,
    intents.PROGRESS, intents.FORM_TIP, intents.CHOOSE_EXERCISE, intents.PAIN, intents.TAKE_A_BREAK,
    intents.HOW_LONG, intents.HOW_MANY, intents.WHICH_LEG, intents.FINISH,
)  # fmt: skip
CERTIFICATION_BUILT_INS = (
    intents.HELP, intents.STOP, intents.CANCEL, intents.FALLBACK, intents.NAVIGATE_HOME,
)  # fmt: skip
LAUNCH_WORDS = {"alexa", "amazon", "echo", "skill", "app", "open", "launch", "start", "begin", "ask", "tell",
                "use", "run", "load", "play", "talk", "resume"}  # fmt: skip
# A word is letters with inner apostrophes ("i'm"), or a spelled-out abbreviation ("t. r. x.").
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|(?:[^\W\d_]\.)+")  # letters of any language
SLOT_REF = re.compile(r"\{(\w+)\}")

REQUIRED: dict[str, tuple[str, ...]] = {
    intents.START_WORKOUT: ("start my hamstring workout", "begin my workout", "let's train my hamstrings",
                            "start a workout", "start my workout"),
    intents.READY: ("ready", "go", "next set", "i'm ready"),
    intents.DONE: ("done", "finished", "set done", "i'm done"),
    intents.NEXT_EXERCISE: ("next exercise", "the next exercise", "give me the next exercise", "move on"),
    intents.SKIP: ("skip", "skip this exercise", "skip this one"),
    intents.WHATS_NEXT: ("what's next", "what's the next exercise", "what comes next"),
    intents.PAIN: ("my knee hurts", "it hurts", "i felt a pull", "ouch", "i can't do this"),
    intents.TAKE_A_BREAK: ("i need a break", "hold on", "wait"),
    intents.FINISH: ("that's enough for today",),
    intents.HOW_LONG: ("how long is this workout", "how much longer"),
    intents.HOW_MANY: ("how many reps", "how many sets"),
    intents.WHICH_LEG: ("which leg",),
    intents.WHAT_DO_I_NEED: ("what do i need",),
    intents.THANKS: ("thanks",),
    intents.REPEAT_SET: ("repeat the set",),
    intents.PROGRESS: ("what set am I on", "how many sets are left", "where am I"),
    intents.FORM_TIP: ("form tip", "how do I do this", "remind me of the form", "give me a form reminder"),
    intents.QUICK_WORKOUT: ("quick workout",),
    intents.CHOOSE_EXERCISE: ("do the {exercise}", "I want {exercise}", "I want to do {exercise}"),
    intents.SET_REST: ("rest {duration}", "rest for {duration}", "set my rest to {duration}"),
    intents.SHORTER_REST: ("shorter rest",),
    intents.LONGER_REST: ("longer rest",),
    intents.SELF_PACED: ("I'll go at my own pace", "self paced"),
    intents.GUIDED_PACE: ("count the reps for me",),
    intents.HAVE_EQUIPMENT: ("I have {equipment}", "I have {equipment} now", "my {equipment} is here"),
    intents.MISSING_EQUIPMENT: ("I don't have {equipment}", "I don't have a {equipment}"),
    intents.HARDER: ("make it harder",),
    intents.EASIER: ("make it easier",),
    intents.WEEK_COUNT: ("how many workouts have I done this week",),
    intents.LAST_WORKOUT: ("what did I do last time",),
    intents.STREAK: ("what's my streak",),
    intents.WHY_HAMSTRINGS: ("why train hamstrings",),
    intents.DELETE_DATA: ("delete my data",),
    intents.RESUME: ("continue my workout", "pick up where I left off"),
    intents.HOW_AM_I_DOING: ("how am I doing",),
    intents.USE_METRIC: ("use metres",),
    intents.USE_IMPERIAL: ("use yards",),
    intents.SET_REMINDER: ("remind me to train on {day} and {other_day} at {time}",),
    intents.LIST_REMINDERS: ("what are my reminders",),
    intents.CANCEL_REMINDERS: ("cancel my reminders",),
    intents.MOVE_REMINDER: ("move it to {time}",),
}  # fmt: skip


def _key(sample: str) -> str:
    """How Alexa compares samples: case-insensitive, whitespace-normalised."""
    return " ".join(sample.lower().split())


@pytest.fixture(scope="module", params=LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def language(locale: str) -> dict[str, Any]:
    """Each published locale's model, as committed."""
    model = json.loads(builder.model_path(locale).read_text(encoding="utf-8"))
    return model["interactionModel"]["languageModel"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def english() -> dict[str, dict[str, Any]]:
    """en-US's intents by name: the English phrasings the issue asked for by name."""
    model = json.loads(builder.model_path("en-US").read_text(encoding="utf-8"))
    return {intent["name"]: intent for intent in model["interactionModel"]["languageModel"]["intents"]}


@pytest.fixture(scope="module")
def by_name(language: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {intent["name"]: intent for intent in language["intents"]}


@pytest.fixture(scope="module")
def types(language: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {kind["name"]: kind for kind in language["types"]}


def _spoken_forms(kind: dict[str, Any]) -> dict[str, set[str]]:
    """Value id -> every way to say it (name and synonyms), lowercased."""
    return {v["id"]: {_key(s) for s in (v["name"]["value"], *v["name"]["synonyms"])} for v in kind["values"]}


@pytest.mark.parametrize("locale", LOCALES)
def test_top_level_structure(locale: str) -> None:
    model = json.loads(builder.model_path(locale).read_text(encoding="utf-8"))
    assert list(model) == ["interactionModel"]
    language = model["interactionModel"]["languageModel"]
    assert {"invocationName", "intents", "types"} <= set(language)
    for intent in language["intents"]:
        assert isinstance(intent["name"], str) and isinstance(intent["samples"], list), intent
        assert all({"name", "type"} <= set(slot) for slot in intent.get("slots", [])), intent


def test_invocation_name(language: dict[str, Any]) -> None:
    name = language["invocationName"]
    assert name == name.lower() and 2 <= len(name.split()) <= 3 and all(WORD.fullmatch(w) for w in name.split())
    assert not set(name.split()) & LAUNCH_WORDS


def test_english_locales_keep_the_products_invocation_name() -> None:
    for locale in (locale for locale in LOCALES if locale.startswith("en-")):
        model = json.loads(builder.model_path(locale).read_text(encoding="utf-8"))
        assert model["interactionModel"]["languageModel"]["invocationName"] == "hamstring coach"


def test_intents_are_exactly_the_contract(language: dict[str, Any]) -> None:
    names = [intent["name"] for intent in language["intents"]]
    assert len(names) == len(set(names)), "an intent is defined twice"
    assert {n for n in names if not n.startswith("AMAZON.")} == set(intents.CUSTOM)
    assert {n for n in names if n.startswith("AMAZON.")} == set(intents.BUILT_INS)


@pytest.mark.parametrize("name", CERTIFICATION_BUILT_INS)
def test_certification_built_ins_present(by_name: dict[str, dict[str, Any]], name: str) -> None:
    assert name in by_name


def test_no_sample_in_two_intents(language: dict[str, Any]) -> None:
    owners = Counter(_key(s) for intent in language["intents"] for s in intent["samples"])
    assert [s for s, n in owners.items() if n > 1] == []


@pytest.mark.parametrize("name", [*intents.CUSTOM, *intents.BUILT_INS])
def test_slots_declared_and_used(by_name: dict[str, dict[str, Any]], name: str) -> None:
    intent = by_name[name]
    declared = [slot["name"] for slot in intent.get("slots", [])]
    assert len(declared) == len(set(declared))
    used: set[str] = set()
    for sample in intent["samples"]:
        refs = SLOT_REF.findall(sample)
        assert len(refs) == len(set(refs)), f"{sample!r} uses a slot twice"
        assert set(refs) <= set(declared), f"{sample!r} uses an undeclared slot"
        # A slot said on its own goes in an intent of its own (Amazon's advice), never beside other samples.
        assert SLOT_REF.sub("", sample).strip() or intent["samples"] == [sample], f"{sample!r} is only a slot"
        used |= set(refs)
    assert used == set(declared), f"{name}: declared slots never used: {set(declared) - used}"


def test_slot_types_are_defined(language: dict[str, Any], types: dict[str, dict[str, Any]]) -> None:
    used = {slot["type"] for intent in language["intents"] for slot in intent.get("slots", [])}
    assert {t for t in used if not t.startswith("AMAZON.")} == set(types), "undefined or unused slot type"


def test_sample_characters(language: dict[str, Any]) -> None:
    bad = [
        sample
        for intent in language["intents"]
        for sample in intent["samples"]
        if sample != " ".join(sample.split())
        or not all(SLOT_REF.fullmatch(w) or WORD.fullmatch(w) for w in sample.split())
    ]
    assert bad == []


def test_slot_value_characters(types: dict[str, dict[str, Any]]) -> None:
    spoken = [form for kind in types.values() for forms in _spoken_forms(kind).values() for form in forms]
    assert spoken and [form for form in spoken if not all(WORD.fullmatch(w) for w in form.split())] == []


@pytest.mark.parametrize(("name", "required"), REQUIRED.items())
def test_required_phrasings(english: dict[str, dict[str, Any]], name: str, required: tuple[str, ...]) -> None:
    samples = {_key(s) for s in english[name]["samples"]}
    assert [r for r in required if _key(r) not in samples] == []


@pytest.mark.parametrize("name", intents.CUSTOM)
def test_enough_samples(by_name: dict[str, dict[str, Any]], name: str) -> None:
    if name == intents.EXERCISE_NAME:  # one sample, the slot alone, by design
        assert by_name[name]["samples"] == ["{exercise}"]
        return
    assert len(by_name[name]["samples"]) >= (15 if name in MAIN_INTENTS else 6)


def test_exercise_type_matches_the_content(locale: str, types: dict[str, dict[str, Any]]) -> None:
    kind = types[intents.EXERCISE_TYPE]
    ids = [value["id"] for value in kind["values"]]
    assert sorted(ids) == sorted(programme.exercise_ids()) and len(ids) == len(set(ids))
    forms = _spoken_forms(kind)
    for exercise_id, words in for_locale(locale).exercises.items():
        # A synonym equal to the value name is written once, as the name: ASK needs it only there.
        assert {_key(s) for s in words.synonyms} <= forms[exercise_id], exercise_id


def test_equipment_type_matches_the_content(locale: str, types: dict[str, dict[str, Any]]) -> None:
    forms = _spoken_forms(types[intents.EQUIPMENT_TYPE])
    equipment = for_locale(locale).equipment
    assert sorted(equipment) == sorted(programme.EQUIPMENT)
    assert forms == {eq_id: {_key(s) for s in words.synonyms} for eq_id, words in equipment.items()}


@pytest.mark.parametrize("type_name", [intents.EXERCISE_TYPE, intents.EQUIPMENT_TYPE])
def test_no_synonym_names_two_values(types: dict[str, dict[str, Any]], type_name: str) -> None:
    counts = Counter(form for forms in _spoken_forms(types[type_name]).values() for form in forms)
    assert [form for form, n in counts.items() if n > 1] == []


def test_file_on_disk_is_generator_output(locale: str) -> None:
    assert builder.is_current(locale), "run: python -m tools.build_interaction_model"


def test_check_flags_a_stale_or_missing_file(tmp_path: Path) -> None:
    assert builder.main(["--check", "--dir", str(tmp_path)]) == 1  # missing
    stale = tmp_path / "en-US.json"
    stale.write_text(builder.render().replace("hamstring coach", "hamstring coacher"), encoding="utf-8")
    assert not builder.is_current("en-US", tmp_path)
    assert builder.main(["--check", "--dir", str(tmp_path)]) == 1
    assert builder.main(["--dir", str(tmp_path)]) == 0
    assert builder.main(["--check", "--dir", str(tmp_path)]) == 0
