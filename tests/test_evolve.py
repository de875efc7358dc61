"""skill/coach/evolve.replace does what dataclasses.replace does, for every dataclass the coach makes."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from skill.coach import events, evolve, pacing, plan, programme, reply, state
from skill.coach.events import Kind
from skill.coach.workout import step
from tests.crawl import ev

MODULES = (events, pacing, plan, programme, reply, state)
CLASSES = [kind for module in MODULES for _, kind in inspect.getmembers(module, inspect.isclass)
           if dataclasses.is_dataclass(kind) and kind.__module__ == module.__name__]


def test_no_coach_dataclass_has_what_evolve_does_not_copy() -> None:
    assert len(CLASSES) >= 10
    for kind in CLASSES:
        assert all(field.init for field in dataclasses.fields(kind)), kind
        assert "InitVar" not in str(kind.__annotations__), kind
        assert not hasattr(kind, "__slots__"), kind
        assert kind.__init__.__code__.co_filename == "<string>", kind  # made by @dataclass: it only assigns


def test_replace_matches_the_standard_one_on_real_states() -> None:
    started = step(state.UserState(), ev(Kind.START))
    workout = started.state.workout
    assert workout is not None
    for value, changes in [(started.state, {"pending": None}), (workout, {"set_number": 2, "part": 1}),
                           (started.state.profile, {"rest_seconds": 45}), (started, {"forget_user": True}),
                           (started.reply, {"end_session": True})]:
        copied = evolve.replace(value, **changes)
        assert copied == dataclasses.replace(value, **changes) and copied is not value
        assert vars(copied) == vars(dataclasses.replace(value, **changes))  # nothing else rides along


def test_replace_refuses_what_the_class_does_not_have_and_runs_its_checks() -> None:
    with pytest.raises(TypeError):
        evolve.replace(state.Profile(), no_such_field=1)
    said = (reply.line("store_unavailable"),)
    with pytest.raises(ValueError, match="reprompt"):  # Reply.__post_init__ still runs
        evolve.replace(reply.Reply(said, said), reprompt=())
