"""Write the ASK CLI v2 project files so `ask deploy` (run from the repo root) pushes the skill's metadata.

    SKILL_ENDPOINT_URL=https://coach.example.com/alexa python -m tools.skill_package

writes skill-package/skill.json (the manifest), skill-package/interactionModels/custom/<locale>.json
(copied from interaction_models/) and ask-resources.json beside skill-package/. The webhook is
self-hosted, so ask-resources.json names only the metadata: no Lambda code, no infrastructure.

Environment: SKILL_ENDPOINT_URL (required; https on port 443, as Alexa demands), SKILL_CERT_TYPE
(Trusted, the default and the only one certification accepts; SelfSigned for a development skill
behind a self-signed certificate; Wildcard), SKILL_PRIVACY_POLICY_URL and SKILL_TERMS_URL (optional).
`--placeholder` uses a stand-in endpoint (tests, dry runs). Example phrases that do not resolve
against the model stop the build: certification rejects them, so it is better to hear it here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from simulator.phrases import Language, for_language
from simulator.resolver import Resolver, canonical
from skill.alexa import intents
from skill.alexa.identity import REMINDERS_SCOPE
from skill.voice.content import for_locale, published

ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT / "interaction_models"
OUT_DIR = ROOT / "skill-package"
PLACEHOLDER_URL = "https://hamstring-coach.example.com/alexa"
CERT_TYPES = ("Trusted", "SelfSigned", "Wildcard")
MAX_EXAMPLE_PHRASES = 3  # the store shows three; the first must open the skill
PERSON_ID_PERMISSION = "alexa::person_id:read"  # "skill personalization": recognised voices get a personId
TIMERS_PERMISSION = "alexa::alerts:timers:skill:readwrite"  # a timer brings an Echo Dot runner back after a rest
# The screens the APL document is laid out for (Echo Show landscape hubs, small to extra large).
APL_VIEWPORTS = [{"mode": "HUB", "shape": "RECTANGLE", "minWidth": low, "maxWidth": high, "minHeight": 480,
                  "maxHeight": 1279} for low, high in ((480, 959), (960, 1279), (1280, 1919), (1920, 2560))]



def store_text(locale: str) -> dict[str, Any]:
    """The locale's store page (name, summary, description, example phrases, keywords) from its content. The
    description always ends with the locale's health disclaimer: kept apart in the content, so a new
    description cannot drop it, and a locale can word it its own way (fr-CA)."""
    store = dict(for_locale(locale).store["store"])
    store["description"] = f"{store['description']} {store.pop('health_disclaimer')}"
    return store


def testing_instructions() -> str:
    return str(for_locale("en-US").store["certification"]["testing_instructions"])


class PackageError(Exception):
    """The package cannot be built as asked; the message says what to change."""


def check_endpoint(url: str, cert_type: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"SKILL_ENDPOINT_URL must be an https:// URL, got {url!r}")
    if parts.port not in (None, 443):
        raise PackageError(f"Alexa calls HTTPS endpoints on port 443 only; {url!r} names port {parts.port}")
    if cert_type not in CERT_TYPES:
        raise PackageError(f"SKILL_CERT_TYPE must be one of {', '.join(CERT_TYPES)}, got {cert_type!r}")


def manifest(endpoint: str, cert_type: str, locales: list[str], privacy_url: str = "",
             terms_url: str = "") -> dict[str, Any]:
    """The skill.json document for `locales` (each must be published, with its store text in its content)."""
    missing = [locale for locale in locales if locale not in published()]
    if missing:
        raise PackageError(f"no content for {missing}: publish them in skill/voice/content/locales.toml")
    legal = {key: url for key, url in (("privacyPolicyUrl", privacy_url), ("termsOfUseUrl", terms_url)) if url}
    https_endpoint = {"uri": endpoint, "sslCertificateType": cert_type}
    return {
        "manifest": {
            "manifestVersion": "1.0",
            "publishingInformation": {
                "locales": {locale: store_text(locale) for locale in locales},
                "isAvailableWorldwide": False,
                "distributionCountries": sorted({locale.split("-")[1] for locale in locales}),
                "testingInstructions": testing_instructions(),
                "category": "HEALTH_AND_FITNESS",
            },
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,  # progress is keyed by a peppered hash; no name, email or address
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
                **({"locales": {locale: legal for locale in locales}} if legal else {}),
            },
            # SKILL_DISABLED lets the webhook delete a runner's data when they disable the skill.
            "events": {"endpoint": dict(https_endpoint), "subscriptions": [{"eventName": "SKILL_DISABLED"}]},
            "apis": {"custom": {"endpoint": dict(https_endpoint), "interfaces": [
                {"type": "ALEXA_PRESENTATION_APL", "supportedViewports": APL_VIEWPORTS}]}},
            # Voice profiles (context.System.person: progress per household member), weekly reminders (asked for
            # in the dialogue; the consent card when not granted) and timers. No name is ever read.
            "permissions": [{"name": PERSON_ID_PERMISSION}, {"name": REMINDERS_SCOPE}, {"name": TIMERS_PERMISSION}],
        }
    }


def ask_resources(out_dir_name: str, profile: str = "default") -> dict[str, Any]:
    """ASK CLI v2's project file: metadata only (the webhook is hosted by us, not by Lambda)."""
    return {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {profile: {"skillMetadata": {"src": f"./{out_dir_name}"}}},
    }


def phrase_problems(phrases: list[str], resolver: Resolver, samples: dict[str, set[str]],
                    invocation: str = "hamstring coach") -> list[str]:
    """Why each example phrase would fail certification ([] when all are fine).

    The first must open the skill; the others must be the language's one-shot ("Alexa, ask hamstring
    coach to/for X" in English) where X is, word for word, a sample of the intent the resolver picks
    (Amazon's rule, checked strictly).
    """
    language = resolver.language
    opens = language.opens.format(invocation=invocation)
    heads = [head.format(invocation=invocation) for head in language.one_shots]
    problems = [] if len(phrases) <= MAX_EXAMPLE_PHRASES else [f"more than {MAX_EXAMPLE_PHRASES} phrases"]
    for index, phrase in enumerate(phrases):
        said = canonical(phrase, language)
        resolution = resolver.resolve(phrase)
        if index == 0:
            if not said.startswith(opens) or resolution.kind != "launch":
                problems.append(f"first phrase must be {opens!r}: {phrase!r}")
            continue
        rest = next((said[len(head):] for head in heads if said.startswith(head)), None)
        if rest is None:
            problems.append(f"not one of {heads}: {phrase!r}")
        elif resolution.kind != "intent" or resolution.intent in (None, intents.FALLBACK):
            problems.append(f"resolves to no intent: {phrase!r}")
        elif rest not in samples.get(resolution.intent or "", set()):
            problems.append(f"{rest!r} is not a sample of {resolution.intent}: {phrase!r}")
    return problems


def model_samples(model: dict[str, Any], language: Language | None = None) -> dict[str, set[str]]:
    """Intent -> its slot-free samples, canonical (what an example phrase must quote)."""
    return {
        intent["name"]: {canonical(sample, language) for sample in intent.get("samples", []) if "{" not in sample}
        for intent in model["interactionModel"]["languageModel"]["intents"]
    }


def build(out_dir: Path, endpoint: str, cert_type: str = "Trusted", *, models_dir: Path = MODELS_DIR,
          privacy_url: str = "", terms_url: str = "") -> list[Path]:
    """Check everything, then write the package; returns the files written."""
    check_endpoint(endpoint, cert_type)
    for url in (privacy_url, terms_url):
        if url and urlsplit(url).scheme != "https":
            raise PackageError(f"privacy and terms URLs must be https://, got {url!r}")
    model_paths = sorted(models_dir.glob("*.json"))
    if not model_paths:
        raise PackageError(f"no interaction models in {models_dir}")
    locales = [path.stem for path in model_paths]
    document = manifest(endpoint, cert_type, locales, privacy_url, terms_url)
    for path in model_paths:
        model = json.loads(path.read_text(encoding="utf-8"))
        phrases = store_text(path.stem)["examplePhrases"]
        invocation = model["interactionModel"]["languageModel"]["invocationName"]
        language = for_language(path.stem)
        problems = phrase_problems(phrases, Resolver(model, language), model_samples(model, language), invocation)
        if problems:
            raise PackageError(f"example phrases for {path.stem} would fail certification: {'; '.join(problems)}")
    custom = out_dir / "interactionModels" / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    for stale in custom.glob("*.json"):  # a locale dropped from interaction_models/ must not linger
        stale.unlink()
    written = [out_dir / "skill.json", out_dir.parent / "ask-resources.json"]
    written[0].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written[1].write_text(json.dumps(ask_resources(out_dir.name), indent=2) + "\n", encoding="utf-8")
    for path in model_paths:
        target = custom / path.name
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    env = dict(os.environ if environ is None else environ)
    parser = argparse.ArgumentParser(prog="python -m tools.skill_package",
                                     description="Write skill-package/ for `ask deploy`.")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="the skill-package directory to write")
    parser.add_argument("--placeholder", action="store_true", help=f"use {PLACEHOLDER_URL} as the endpoint")
    args = parser.parse_args(argv)
    endpoint = PLACEHOLDER_URL if args.placeholder else env.get("SKILL_ENDPOINT_URL", "")
    if not endpoint:
        print("skill_package: set SKILL_ENDPOINT_URL to the public HTTPS URL of POST /alexa, e.g. "
              "SKILL_ENDPOINT_URL=https://coach.example.com/alexa make skill-package", file=sys.stderr)
        return 2
    try:
        written = build(args.out, endpoint, env.get("SKILL_CERT_TYPE") or "Trusted",
                        privacy_url=env.get("SKILL_PRIVACY_POLICY_URL", ""), terms_url=env.get("SKILL_TERMS_URL", ""))
    except PackageError as error:
        print(f"skill_package: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
