"""Build `interaction_models/en-US.json` from the catalogue and the sample utterances.

The slot values must never drift from `skill.catalogue` (the code resolves slot
ids against it), so that half of the model is generated, never hand-edited; the
samples are data in `interaction_samples.toml` (a formatter cannot reflow TOML
into one sample a line, so the file stays readable).
Usage: `python -m tools.build_interaction_model` writes the file;
`--check` exits 1 when the file on disk is stale (CI runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from skill import catalogue
from skill import intents as i

INVOCATION_NAME = "hamstring coach"
SAMPLES_PATH = Path(__file__).resolve().parent / "interaction_samples.toml"
MODEL_PATH = Path(__file__).resolve().parent.parent / "interaction_models" / "en-US.json"

# Which slots each custom intent declares: name -> slot type.
SLOTS: dict[str, dict[str, str]] = {
    i.CHOOSE_EXERCISE: {i.EXERCISE_SLOT: i.EXERCISE_TYPE},
    i.HAVE_EQUIPMENT: {i.EQUIPMENT_SLOT: i.EQUIPMENT_TYPE},
    i.MISSING_EQUIPMENT: {i.EQUIPMENT_SLOT: i.EQUIPMENT_TYPE},
    i.SET_REST: {i.DURATION_SLOT: "AMAZON.DURATION"},
}


def speakable(text: str) -> str:
    """Lowercase `text`, punctuation to spaces (digits stay, so the model test flags them)."""
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def _value(value_id: str, name: str, synonyms: list[str]) -> dict[str, Any]:
    """One slot value; a synonym equal to the value itself, or repeated, is dropped as noise."""
    unique = [s for s in dict.fromkeys(speakable(s) for s in synonyms) if s != name]
    return {"id": value_id, "name": {"value": name, "synonyms": unique}}


def exercise_type() -> dict[str, Any]:
    """ExerciseName: ids are catalogue ids; the runner may say the full name, the short name
    the coach uses, or any catalogue synonym."""
    values = [
        _value(ex.id, speakable(ex.name), [*ex.synonyms, ex.short_name])
        for ex in sorted(catalogue.EXERCISES, key=lambda ex: ex.id)
    ]
    return {"name": i.EXERCISE_TYPE, "values": values}


def equipment_type() -> dict[str, Any]:
    """EquipmentType: ids are catalogue.EQUIPMENT keys; the first synonym is the value name."""
    values = [
        _value(eq_id, speakable(names[0]), list(names[1:])) for eq_id, names in sorted(catalogue.EQUIPMENT.items())
    ]
    return {"name": i.EQUIPMENT_TYPE, "values": values}


def load_samples(path: Path = SAMPLES_PATH) -> dict[str, list[str]]:
    """Intent name -> its sample utterances, as written (ValueError if the intents drifted)."""
    samples: dict[str, list[str]] = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(samples) - set(i.CUSTOM) - set(i.BUILT_INS)
    missing = (set(i.CUSTOM) | set(i.BUILT_INS)) - set(samples)
    if unknown or missing:
        raise ValueError(f"{path.name} out of step with skill.intents: unknown={unknown} missing={missing}")
    return samples


def _intent(name: str, samples: list[str]) -> dict[str, Any]:
    intent: dict[str, Any] = {"name": name}
    slots = SLOTS.get(name, {})
    if slots:
        intent["slots"] = [{"name": slot, "type": kind} for slot, kind in sorted(slots.items())]
    intent["samples"] = sorted(dict.fromkeys(samples))
    return intent


def build_model() -> dict[str, Any]:
    """The whole model as a dict; intents and types sorted by name so diffs stay small."""
    samples = load_samples()
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": INVOCATION_NAME,
                "intents": [_intent(name, samples[name]) for name in sorted(samples)],
                "types": sorted([equipment_type(), exercise_type()], key=lambda t: t["name"]),
            }
        }
    }


def render() -> str:
    """The exact text the file should hold (indent 2, trailing newline)."""
    return json.dumps(build_model(), indent=2, ensure_ascii=False) + "\n"


def is_current(path: Path = MODEL_PATH) -> bool:
    """True when the file at `path` is exactly what `render()` produces (missing counts as stale)."""
    try:
        return path.read_text(encoding="utf-8") == render()
    except FileNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write interaction_models/en-US.json from the catalogue.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file on disk is stale")
    parser.add_argument("--output", type=Path, default=MODEL_PATH, help="where the model lives")
    args = parser.parse_args(argv)
    if args.check:
        if is_current(args.output):
            return 0
        print(f"{args.output} is stale: run python -m tools.build_interaction_model", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
