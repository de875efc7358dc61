"""What the coach says in one turn, as a plain value (no SSML, no ask-sdk).

The workout decides *what* to say as a sequence of segments; `skill.speech`
alone turns that into SSML, and the handlers alone turn it into an ask-sdk
response. Keeping the value plain is what lets the workout logic be tested
with nothing but Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Line:
    """A phrase from the locale's phrase file, e.g. Line("set_done", {"number": 2})."""

    key: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Text:
    """Text spoken as is (escaped on rendering): catalogue cues, exercise names."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Silence, in seconds. Rendering splits anything over 10 s into chained breaks."""

    seconds: float


Segment = Line | Text | Pause


@dataclass(frozen=True)
class Card:
    """A simple card for the Alexa app: title plus lines of text."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Screen:
    """What a device with a screen shows: the exercise and where the runner is."""

    exercise_id: str
    set_number: int
    total_sets: int
    status: str  # "intro" | "in_set" | "resting" | "paused" | "complete"
    level: str = "standard"  # the runner's Level value: the screen shows the dose at their level


@dataclass(frozen=True)
class Reply:
    """One turn's output. An open session always has a reprompt (no dead ends)."""

    speech: tuple[Segment, ...]
    reprompt: tuple[Segment, ...] = ()
    end_session: bool = False
    card: Card | None = None
    screen: Screen | None = None

    def __post_init__(self) -> None:
        if not self.speech:
            raise ValueError("a reply must say something")
        if not self.end_session and not self.reprompt:
            raise ValueError("a reply that keeps the session open needs a reprompt")

    def seconds_of_pause(self) -> float:
        return sum(s.seconds for s in self.speech if isinstance(s, Pause))


def line(key: str, **params: object) -> Line:
    """Shorthand used by the workout: line("set_done", number=2)."""
    return Line(key, MappingProxyType(dict(params)))
