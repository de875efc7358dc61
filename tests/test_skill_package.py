"""The ASK CLI skill package: a manifest `ask deploy` accepts and example phrases certification accepts.

Example phrases are the most common certification failure, so each one is run through the
simulator's resolver against the model in the package, and must quote a sample word for word.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.resolver import Resolver, canonical
from skill.alexa import intents
from skill.voice.content import for_locale
from tests.locales import LOCALES
from tools import skill_package as sp
from webhook import alexa

MODEL = Path(__file__).resolve().parent.parent / "interaction_models" / "en-US.json"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A package built with the placeholder endpoint, as `make skill-package` would write it."""
    assert sp.main(["--out", str(tmp_path / "skill-package"), "--placeholder"], environ={}) == 0
    return tmp_path / "skill-package"


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_package_has_the_files_ask_deploy_reads(package: Path) -> None:
    assert (package / "skill.json").is_file()
    assert (package / "interactionModels" / "custom" / "en-US.json").read_bytes() == MODEL.read_bytes()
    resources = read(package.parent / "ask-resources.json")
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    assert resources["profiles"]["default"] == {"skillMetadata": {"src": "./skill-package"}}


def test_manifest_structure(package: Path) -> None:
    manifest = read(package / "skill.json")["manifest"]
    assert manifest["manifestVersion"] == "1.0"
    publishing = manifest["publishingInformation"]
    assert publishing["category"] == "HEALTH_AND_FITNESS"
    countries = sorted({locale.split("-")[1] for locale in LOCALES})
    assert publishing["isAvailableWorldwide"] is False and publishing["distributionCountries"] == countries
    assert publishing["testingInstructions"].strip()
    store = publishing["locales"]["en-US"]
    assert store["name"] == "Hamstring Coach"
    assert 0 < len(store["summary"]) <= 160 and 0 < len(store["description"]) <= 4000
    assert 1 <= len(store["keywords"]) <= 30 and all(word.strip() for word in store["keywords"])
    privacy = manifest["privacyAndCompliance"]
    for flag in ("allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds"):
        assert isinstance(privacy[flag], bool), flag
    assert privacy["isExportCompliant"] is True and privacy["usesPersonalInfo"] is False
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": sp.PLACEHOLDER_URL, "sslCertificateType": "Trusted"}
    assert manifest["permissions"] == [{"name": "alexa::person_id:read"},
                                       {"name": "alexa::alerts:reminders:skill:readwrite"},
                                       {"name": "alexa::alerts:timers:skill:readwrite"}]


def test_manifest_locales_are_the_model_locales(package: Path) -> None:
    manifest = read(package / "skill.json")["manifest"]
    models = {path.stem for path in (package / "interactionModels" / "custom").glob("*.json")}
    assert set(manifest["publishingInformation"]["locales"]) == models == set(LOCALES)


def test_timers_permission_and_the_screen_are_declared_and_the_privacy_text_says_what_a_timer_holds(
        package: Path) -> None:
    manifest = read(package / "skill.json")["manifest"]
    assert {"name": "alexa::alerts:timers:skill:readwrite"} in manifest["permissions"]
    (apl,) = manifest["apis"]["custom"]["interfaces"]
    assert apl["type"] == "ALEXA_PRESENTATION_APL" and apl["supportedViewports"]
    assert all(v["minWidth"] <= v["maxWidth"] and v["mode"] == "HUB" for v in apl["supportedViewports"])
    description = manifest["publishingInformation"]["locales"]["en-US"]["description"]
    assert "timer holds only its length" in description and len(description) <= 4000
    assert "Alexa.Presentation.APL.UserEvent" in alexa.HANDLED_TYPES


def test_every_store_page_ends_with_its_health_disclaimer(package: Path) -> None:
    """A health and fitness skill says it is not medical advice, in every locale's own words."""
    pages = read(package / "skill.json")["manifest"]["publishingInformation"]["locales"]
    for locale in LOCALES:
        disclaimer = for_locale(locale).store["store"]["health_disclaimer"]
        assert len(disclaimer) > 100, locale
        assert pages[locale]["description"].endswith(f". {disclaimer}") and len(pages[locale]["description"]) <= 4000
        assert "health_disclaimer" not in pages[locale]
    assert "physiothérapeute" in pages["fr-CA"]["description"] and "kinésithérapeute" in pages["fr-FR"]["description"]


def test_skill_disabled_event_is_subscribed_and_handled(package: Path) -> None:
    """The webhook deletes a runner's data on SkillDisabled; Alexa sends it only to subscribers."""
    events = read(package / "skill.json")["manifest"]["events"]
    assert {"eventName": "SKILL_DISABLED"} in events["subscriptions"]
    assert events["endpoint"]["uri"] == sp.PLACEHOLDER_URL
    assert "AlexaSkillEvent.SkillDisabled" in alexa.HANDLED_TYPES


def test_every_example_phrase_resolves_in_the_packaged_model(package: Path) -> None:
    model_path = package / "interactionModels" / "custom" / "en-US.json"
    model = read(model_path)
    assert canonical(model["interactionModel"]["languageModel"]["invocationName"]) == for_locale("en-US").invocation
    resolver = Resolver.from_model_file(model_path)
    samples = sp.model_samples(model)
    phrases = read(package / "skill.json")["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    assert phrases[0].startswith("Alexa, open hamstring coach")
    assert resolver.resolve(phrases[0]).kind == "launch"
    known = set(intents.CUSTOM) | set(intents.BUILT_INS)
    for phrase in phrases[1:]:
        assert phrase.startswith(("Alexa, ask hamstring coach to ", "Alexa, ask hamstring coach for ")), phrase
        resolution = resolver.resolve(phrase)
        assert resolution.kind == "intent" and resolution.intent in known - {intents.FALLBACK}, phrase
        quoted = canonical(phrase).split(" ", 5)[5]  # after "alexa ask hamstring coach to|for"
        assert quoted in samples[resolution.intent], (phrase, resolution.intent)
    assert sp.phrase_problems(phrases, resolver, samples) == []


@pytest.mark.parametrize(
    ("phrases", "problem"),
    [
        (["Alexa, launch hamstring coach"], "first phrase"),
        (["Alexa, open hamstring coach", "Alexa, ask hamstring coach to juggle three flaming torches"],
         "resolves to no intent"),
        (["Alexa, open hamstring coach", "Alexa, ask hamstring coach for the next exercises please"],
         "is not a sample"),
        (["Alexa, open hamstring coach", "Alexa, tell hamstring coach next exercise"],
         "not one of ['alexa ask hamstring coach to '"),
        (["Alexa, open hamstring coach", *["Alexa, ask hamstring coach for the next exercise"] * 3], "more than 3"),
    ],
)
def test_phrase_check_catches_what_certification_rejects(phrases: list[str], problem: str) -> None:
    model = read(MODEL)
    problems = sp.phrase_problems(phrases, Resolver(model), sp.model_samples(model))
    assert any(problem in found for found in problems), problems


def test_endpoint_and_certificate_type_come_from_the_environment(tmp_path: Path) -> None:
    out = tmp_path / "skill-package"
    env = {"SKILL_ENDPOINT_URL": "https://coach.test/alexa", "SKILL_CERT_TYPE": "SelfSigned",
           "SKILL_PRIVACY_POLICY_URL": "https://coach.test/privacy"}
    assert sp.main(["--out", str(out)], environ=env) == 0
    manifest = read(out / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": "https://coach.test/alexa",
                                                      "sslCertificateType": "SelfSigned"}
    assert manifest["privacyAndCompliance"]["locales"]["en-US"] == {"privacyPolicyUrl": "https://coach.test/privacy"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set SKILL_ENDPOINT_URL"),
        ({"SKILL_ENDPOINT_URL": "http://coach.test/alexa"}, "https://"),
        ({"SKILL_ENDPOINT_URL": "https://coach.test:8443/alexa"}, "port 443"),
        ({"SKILL_ENDPOINT_URL": "https://coach.test/alexa", "SKILL_CERT_TYPE": "Homemade"}, "SKILL_CERT_TYPE"),
    ],
)
def test_a_bad_environment_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], env: dict[str, str], message: str
) -> None:
    out = tmp_path / "skill-package"
    assert sp.main(["--out", str(out)], environ=env) == 2
    assert message in capsys.readouterr().err
    assert not (out / "skill.json").exists() and not (tmp_path / "ask-resources.json").exists()


def test_a_locale_without_store_text_stops_the_build(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "en-US.json").write_bytes(MODEL.read_bytes())
    (models / "de-DE.json").write_bytes(MODEL.read_bytes())
    with pytest.raises(sp.PackageError, match="de-DE"):
        sp.build(tmp_path / "skill-package", sp.PLACEHOLDER_URL, models_dir=models)
