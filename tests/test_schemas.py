"""Every interaction model and the skill manifest, against Amazon's own schemas (ask-smapi-model's spec.json).

A structural check only: it misses misspelled optional keys and undefined slots, so the rule checks in
tests/test_interaction_model.py and tests/test_skill_package.py stay beside it. `make test` fetches
the npm package's spec.json into var/smapi (tools/fetch_smapi_spec.py).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.locales import LOCALES
from tools import build_interaction_model as builder
from tools import skill_package

SPEC = Path(__file__).resolve().parent.parent / "var" / "smapi" / "spec.json"
MODEL = "v1.skill.interactionModel.InteractionModelData"
MANIFEST = "v1.skill.Manifest.SkillManifestEnvelope"


@cache
def validator(definition: str) -> jsonschema.Draft4Validator:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert spec["swagger"] == "2.0" and definition in spec["definitions"]
    return jsonschema.Draft4Validator({"$ref": f"#/definitions/{definition}", "definitions": spec["definitions"]})


def problems(definition: str, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator(definition).iter_errors(document)]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_interaction_model_matches_amazons_schema(locale: str) -> None:
    model = json.loads(builder.model_path(locale).read_text(encoding="utf-8"))
    assert problems(MODEL, model) == []


def test_the_skill_manifest_matches_amazons_schema() -> None:
    manifest = skill_package.manifest("https://coach.example.com/alexa", "Trusted", list(LOCALES),
                                      "https://coach.example.com/privacy", "https://coach.example.com/terms")
    assert problems(MANIFEST, manifest) == []


def test_the_check_catches_a_broken_model_and_manifest() -> None:
    model = json.loads(builder.model_path("en-US").read_text(encoding="utf-8"))
    model["interactionModel"]["languageModel"]["intents"][0]["samples"] = [42]
    assert problems(MODEL, model)
    manifest = skill_package.manifest("https://coach.example.com/alexa", "Trusted", ["en-US"])
    manifest["manifest"]["publishingInformation"]["isAvailableWorldwide"] = "yes"
    assert problems(MANIFEST, manifest)
