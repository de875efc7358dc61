"""Build `interaction_models/<locale>.json` for every published locale from its content files.

Everything comes from the locale's content (skill/voice/content/): the
invocation name and samples from samples.toml, the slot values and synonyms
from exercises.toml, keyed by the programme's ids (the code resolves slots to
those ids), so a model is generated, never hand-edited. Which slots each
intent declares is the code's contract (`skill.alexa.intents`).
Usage: `python -m tools.build_interaction_model` writes the files;
`--check` exits 1 when a file on disk is stale (a test checks the same).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from skill.alexa import intents as i
from skill.voice.content import Content, for_locale, published

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"

# Which slots each custom intent declares: name -> slot type.
SLOTS: dict[str, dict[str, str]] = {
    i.CHOOSE_EXERCISE: {i.EXERCISE_SLOT: i.EXERCISE_TYPE},
    i.EXERCISE_NAME: {i.EXERCISE_SLOT: i.EXERCISE_TYPE},
    i.HAVE_EQUIPMENT: {i.EQUIPMENT_SLOT: i.EQUIPMENT_TYPE},
    i.MISSING_EQUIPMENT: {i.EQUIPMENT_SLOT: i.EQUIPMENT_TYPE},
    i.SET_REST: {i.DURATION_SLOT: "AMAZON.DURATION"},
    i.SET_REMINDER: {**{slot: i.WEEKDAY_TYPE for slot in i.DAY_SLOTS}, i.TIME_SLOT: "AMAZON.TIME"},
    i.MOVE_REMINDER: {i.TIME_SLOT: "AMAZON.TIME"},
}


def speakable(text: str) -> str:
    """Lowercase `text` (NFC), punctuation to spaces; every letter stays, accents too ("flexão nórdica"),
    and digits stay, so the model test flags them."""
    return " ".join(_NOT_SPOKEN.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


_NOT_SPOKEN = re.compile(r"[^\w' ]|_")


def _value(value_id: str, name: str, synonyms: list[str]) -> dict[str, Any]:
    """One slot value; a synonym equal to the value itself, or repeated, is dropped as noise."""
    unique = [s for s in dict.fromkeys(speakable(s) for s in synonyms) if s != name]
    return {"id": value_id, "name": {"value": name, "synonyms": unique}}


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def exercise_type(content: Content) -> dict[str, Any]:
    """ExerciseName: ids are programme ids; the runner may say the full name, the short name
    the coach uses, or any synonym."""
    values = [
        _value(exercise_id, speakable(words.name), [*words.synonyms, words.short])
        for exercise_id, words in sorted(content.exercises.items())
    ]
    return {"name": i.EXERCISE_TYPE, "values": values}


def equipment_type(content: Content) -> dict[str, Any]:
    """EquipmentType: ids are programme equipment ids; the first synonym is the value name."""
    values = [
        _value(eq_id, speakable(words.synonyms[0]), list(words.synonyms[1:]))
        for eq_id, words in sorted(content.equipment.items())
    ]
    return {"name": i.EQUIPMENT_TYPE, "values": values}


def weekday_type(content: Content) -> dict[str, Any]:
    """Weekday: ids are iCalendar day codes (MO ... SU, what a reminder's rule uses); the first name is the value."""
    values = [_value(code, speakable(said[0]), list(said[1:])) for code, said in content.weekday_names.items()]
    return {"name": i.WEEKDAY_TYPE, "values": values}


def load_samples(content: Content) -> dict[str, list[str]]:
    """Intent name -> its sample utterances, as written (ValueError if the intents drifted)."""
    samples = {intent: list(said) for intent, said in content.samples.items()}
    unknown = set(samples) - set(i.CUSTOM) - set(i.BUILT_INS)
    missing = (set(i.CUSTOM) | set(i.BUILT_INS)) - set(samples)
    if unknown or missing:
        raise ValueError(f"{content.locale} samples out of step with skill.alexa.intents: "
                         f"unknown={unknown} missing={missing}")
    return samples


def _intent(name: str, samples: list[str]) -> dict[str, Any]:
    intent: dict[str, Any] = {"name": name}
    slots = SLOTS.get(name, {})
    if slots:
        intent["slots"] = [{"name": slot, "type": kind} for slot, kind in sorted(slots.items())]
    intent["samples"] = sorted(dict.fromkeys(samples))
    return intent


def build_model(locale: str = "en-US") -> dict[str, Any]:
    """The locale's whole model as a dict; intents and types sorted by name so diffs stay small."""
    content = for_locale(locale)
    samples = load_samples(content)
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": content.invocation,
                "intents": [_intent(name, samples[name]) for name in sorted(samples)],
                "types": sorted([equipment_type(content), exercise_type(content), weekday_type(content)],
                                key=lambda t: t["name"]),
            }
        }
    }


def render(locale: str = "en-US") -> str:
    """The exact text the locale's file should hold (indent 2, trailing newline)."""
    return json.dumps(build_model(locale), indent=2, ensure_ascii=False) + "\n"


def is_current(locale: str = "en-US", models_dir: Path = MODELS_DIR) -> bool:
    """True when the locale's file is exactly what `render()` produces (missing counts as stale)."""
    try:
        return (models_dir / f"{locale}.json").read_text(encoding="utf-8") == render(locale)
    except FileNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write interaction_models/<locale>.json from the content.")
    parser.add_argument("--check", action="store_true", help="exit 1 if any file on disk is stale")
    parser.add_argument("--dir", type=Path, default=MODELS_DIR, help="where the models live")
    args = parser.parse_args(argv)
    if args.check:
        stale = [locale for locale in published() if not is_current(locale, args.dir)]
        for locale in stale:
            print(f"{args.dir / locale}.json is stale: run python -m tools.build_interaction_model", file=sys.stderr)
        return 1 if stale else 0
    args.dir.mkdir(parents=True, exist_ok=True)
    for locale in published():
        path = args.dir / f"{locale}.json"
        path.write_text(render(locale), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
