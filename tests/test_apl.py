"""Screens: a Simple card with every introduction, and an APL document only for devices that can show it.

The document (skill/voice/apl/workout.json) is checked as data: APL structure, and
every `${...}` binding resolving in the data sources for every exercise, level,
status and set. The directive is checked through the real app.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient

from simulator.envelopes import Device
from skill.coach import lines, plan, programme
from skill.coach.events import SCREEN_KINDS
from skill.coach.screens import BUTTONS, position
from skill.coach.state import Level, Phase, Workout, profile_at
from skill.voice import apl
from skill.voice.render import card_text, screen_data
from tests.crawl import NOW, PHRASES, crawl
from tests.crawl_http import Replayer
from tests.locales import crawl_group
from tests.runner import Runner, Turn
from tests.ssml_check import MAX_RESPONSE_BYTES

pytestmark = crawl_group("en-US")  # the en-US crawl, on one xdist worker with the others using it

COMPONENTS = frozenset({"Container", "Text", "Sequence", "Frame", "Image", "TouchWrapper"})
CHILDREN = ("item", "items", "firstItem", "lastItem")
DATA_NAMES = frozenset({"data", "index", "ordinal", "length"})  # defined only inside a data-driven component
GLOBAL_NAMES = frozenset({"viewport", "environment"})
_EXPRESSION = re.compile(r"\$\{([^}]*)\}")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")


def bindings(node: Any, in_data: bool = False, where: str = "") -> Iterator[tuple[str, bool, str]]:
    """(dotted name, inside a data-driven component?, where) for every name used in a `${...}`."""
    if isinstance(node, dict):
        data_driven = "data" in node and node.get("type") in COMPONENTS
        for key, value in node.items():
            yield from bindings(value, in_data or (data_driven and key in CHILDREN), f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from bindings(value, in_data, f"{where}[{index}]")
    elif isinstance(node, str):
        for expression in _EXPRESSION.findall(node):
            for name in _NAME.findall(_STRING.sub("", expression)):
                yield name, in_data, where


def problems(document: dict[str, Any], datasources: dict[str, Any]) -> list[str]:
    """Every binding that would show nothing: unknown names, missing paths, data names out of scope."""
    scope = {parameter: datasources for parameter in document["mainTemplate"]["parameters"]}
    found = []
    for name, in_data, where in bindings(document["mainTemplate"]):
        root, *rest = name.split(".")
        if root in DATA_NAMES or root in GLOBAL_NAMES:
            if root in DATA_NAMES and not in_data:
                found.append(f"{name} used outside a data-driven component at {where}")
            continue
        value: Any = scope
        for part in (root, *rest):
            if not isinstance(value, dict) or part not in value:
                found.append(f"{name} does not resolve at {where}")
                break
            value = value[part]
        else:
            if value in ("", [], None):
                found.append(f"{name} is empty at {where}")
    return found


def components(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for key in CHILDREN:
            yield from components(node.get(key))
    elif isinstance(node, list):
        for item in node:
            yield from components(item)


def screens() -> Iterator[dict[str, Any]]:
    """The rendered Screen for every exercise, level, phase and set a workout can be in, as a voice reply and
    hands-free (a rest counted down on a screen)."""
    for exercise_id in programme.exercise_ids():
        for level in Level:
            profile = profile_at(level)
            for phase in Phase:
                paused = Phase.RESTING if phase is Phase.PAUSED else None
                workout = Workout((exercise_id,), NOW, NOW, phase=phase, paused_phase=paused)
                for number in range(1, plan.total_sets(workout, profile) + 1):
                    at = replace(workout, set_number=number)
                    screen = lines.screen(at, profile)
                    assert screen is not None
                    screen = replace(screen, step=position(at), buttons=tuple(k.value for k in BUTTONS[phase]))
                    yield screen_data(screen, NOW)
                    if phase is not Phase.PAUSED:
                        yield screen_data(replace(screen, rest_seconds=60, wake_at=NOW + 75, watch_until=NOW + 75), NOW)


def test_document_is_apl_the_simulated_device_can_show() -> None:
    document = apl.document()
    runtime = Device(apl=True).launch()["context"]["System"]["device"]["supportedInterfaces"]
    max_version = runtime["Alexa.Presentation.APL"]["runtime"]["maxVersion"]
    assert document["type"] == "APL"
    assert re.fullmatch(r"\d{4}\.\d", document["version"])
    assert tuple(map(int, document["version"].split("."))) <= tuple(map(int, max_version.split(".")))
    assert document["mainTemplate"]["parameters"] == ["payload"]
    assert document["mainTemplate"]["items"], "mainTemplate shows nothing"
    found = list(components(document["mainTemplate"]["items"]))
    assert {c["type"] for c in found} <= COMPONENTS and {"Text", "Sequence"} <= {c["type"] for c in found}
    assert len(json.dumps(document)) < 4_000


@pytest.mark.parametrize("screen", list(screens()), ids=lambda s: "-".join(map(str, list(s.values())[:5])) + (
    "-hands-free" if s["wake_ms"] else ""))
def test_every_binding_resolves_for_every_screen(screen: dict[str, Any]) -> None:
    datasources = apl.datasources(screen, PHRASES)
    assert problems(apl.document(), datasources) == []
    shown = datasources[apl.DATASOURCE]
    exercise = programme.exercise(screen["exercise_id"])
    title, card_lines = card_text(lines.card(exercise, profile_at(Level(screen["level"]))), PHRASES)
    assert (shown["exercise"], shown["dose"]) == (title, card_lines[0])
    setup = PHRASES.exercises[exercise.id].setup
    assert shown["steps"][: len(setup)] == list(setup)
    assert shown["progress"] == f"Set {screen['set_number']} of {screen['total_sets']}"
    assert shown["status"] == screen["status"] and shown["status_text"]
    json.dumps(datasources)  # plain JSON


def test_the_binding_check_catches_a_broken_document() -> None:
    datasources = apl.datasources(next(screens()), PHRASES)
    broken = copy.deepcopy(apl.document())
    texts = broken["mainTemplate"]["items"][0]["items"]
    texts[0]["text"] = "${payload.workout.progres}"
    texts[1]["text"] = "${data}"
    assert len(problems(broken, datasources)) == 2


def directives(turn: Turn) -> list[dict[str, Any]]:
    return [d for d in turn.response.get("directives", []) if d["type"].startswith("Alexa.Presentation")]


def test_apl_device_gets_the_screen_as_the_workout_moves(client: FlaskClient) -> None:
    runner = Runner(client, Device(apl=True))
    assert directives(runner.launch()) == []  # nothing to show before a workout
    shown = []
    for intent in ("StartWorkoutIntent", "ReadyIntent", "ProgressIntent", "AMAZON.PauseIntent"):
        (directive,) = directives(runner.say(intent))
        assert directive["type"] == "Alexa.Presentation.APL.RenderDocument" and directive["token"] == apl.TOKEN
        assert directive["document"] == apl.document()
        workout = directive["datasources"]["workout"]
        shown.append((workout["status"], workout["progress"]))
    assert shown == [("intro", "Set 1 of 3"), ("resting", "Set 2 of 3"), ("resting", "Set 2 of 3"),
                     ("paused", "Set 2 of 3")]


@pytest.mark.parametrize("interfaces", [{}, {"AudioPlayer": {}}, {"Alexa.Presentation.APLT": {}}])
def test_devices_without_apl_never_get_the_directive(client: FlaskClient, interfaces: dict[str, Any]) -> None:
    runner = Runner(client, Device(apl=False))
    for build in (runner.device.launch, lambda: runner.device.intent("StartWorkoutIntent"),
                  lambda: runner.device.intent("ReadyIntent"), lambda: runner.device.intent("AMAZON.RepeatIntent")):
        envelope = build()
        envelope["context"]["System"]["device"]["supportedInterfaces"] = interfaces
        turn = runner.send(envelope)
        assert turn.ssml and directives(turn) == []


def test_a_simple_card_with_every_introduction(client: FlaskClient) -> None:
    runner = Runner(client)
    runner.launch()
    cards = [runner.say(intent).response.get("card") for intent in ("StartWorkoutIntent", "ReadyIntent",
                                                                      "NextExerciseIntent", "ProgressIntent")]
    assert [c and (c["type"], c["title"], c["content"].split("\n")[0]) for c in cards] == [
        ("Simple", "One-leg Swiss ball hamstring curls", "3 sets of 9 reps each leg"), None,
        ("Simple", "Eccentric hamstring curls", "3 sets of 5 reps"), None]


def test_largest_reply_with_apl_stays_under_alexas_24_kb(client: FlaskClient) -> None:
    """Replays the crawl's longest reply on an APL device: speech, sealed repeat copy and document together."""
    chars, path = crawl().longest_chars
    replayer = Replayer(Runner(client, Device(apl=True)))
    turns = [replayer.event(event) for event in path]
    largest = max(turns, key=lambda t: len(t.ssml))
    size = len(json.dumps(largest.payload).encode("utf-8"))
    # on a screen the rest is counted on the screen, not spoken: its longest reply is a whole set
    assert len(largest.ssml) >= min(chars * 0.75, 1500) and directives(largest)
    assert size < MAX_RESPONSE_BYTES, size


NORMAL_MODE_ONLY = frozenset({"SendEvent", "Idle"})  # ignored in fast mode (onMount runs in fast mode)


def _commands(node: Any, sequenced: bool = False, where: str = "") -> Iterator[tuple[dict[str, Any], bool, str]]:
    """Every command in a handler list, and whether it (or a command around it) names a sequencer."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _commands(item, sequenced, f"{where}[{index}]")
    elif isinstance(node, dict) and "type" in node:
        here = sequenced or bool(node.get("sequencer"))
        yield node, here, where
        yield from _commands(node.get("commands", []), here, f"{where}/commands")


def _handlers(node: Any, where: str = "") -> Iterator[tuple[list[Any], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("onMount", "onPress"):
                yield value, f"{where}/{key}"
            else:
                yield from _handlers(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _handlers(value, f"{where}[{index}]")


def test_every_command_that_must_run_in_normal_mode_has_a_sequencer() -> None:
    document = apl.document()
    found = []
    for handler, where in [*_handlers(document["mainTemplate"]), *[(c["commands"], f"commands/{n}")
                                                                     for n, c in document["commands"].items()]]:
        for command, sequenced, at in _commands(handler, where=where):
            found.append(command["type"])
            if command["type"] in NORMAL_MODE_ONLY:
                assert sequenced, f"{command['type']} at {at}{where} runs in fast mode and would be ignored"
    assert {"SendEvent", "Idle", "SetValue"} <= set(found)
    sequencers = {c.get("sequencer") for handler, _ in _handlers(document["mainTemplate"])
                  for c, _, _ in _commands(handler)} - {None}
    assert {"countdown", "wake", "heartbeat"} <= sequencers  # each on its own: none waits for another


def test_the_screen_sends_only_what_the_webhook_accepts_with_our_token() -> None:
    document = json.dumps(apl.document())
    sent = set(re.findall(r'"arguments": \["([a-z_]+)"', document))
    assert sent == {"rest_over", "heartbeat"}  # the rest are the buttons' events: ${data.event}
    assert Device().user_event("done", "0.1.intro.0.1")["request"]["token"] == apl.TOKEN
    screen = next(s for s in screens() if s["wake_ms"])
    data = apl.datasources(screen, PHRASES)[apl.DATASOURCE]
    assert {b["event"] for b in data["buttons"]} <= {k.value for k in SCREEN_KINDS}
    assert data["heartbeat_ms"] <= 25_000 and data["heartbeats"] * data["heartbeat_ms"] >= data["wake_ms"]
    assert data["lead_ms"] + data["rest_seconds"] * 1000 == data["wake_ms"]
