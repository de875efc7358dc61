"""What the coach says in one turn, as a plain value: keys and parameters, never words.

The coach decides *what* to say as a sequence of segments; `skill.voice`
alone turns them into words (per locale), SSML and screens, and `skill.alexa`
alone turns that into an ask-sdk response. Parameters that need words are
typed (an exercise's name, a count of sets, a list of exercises, a distance),
so each language words them its own way. Everything here is hashable, so a
rendered reply can be cached by its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Name:
    """An exercise's words: "name" (full), "short" (mid-workout) or "equipment" (what it needs)."""

    exercise: str
    form: str = "name"


@dataclass(frozen=True)
class Gear:
    """A piece of equipment's name, by equipment id ("a TRX")."""

    equipment: str


@dataclass(frozen=True)
class Names:
    """Exercises said as a list ("A and B"), in a `Name` form: full names, or "short" ones."""

    exercises: tuple[str, ...]
    form: str = "name"


@dataclass(frozen=True)
class Gears:
    """Equipment said as a list ("a stability ball and a partner")."""

    equipment: tuple[str, ...]


@dataclass(frozen=True)
class Count:
    """A counted noun ("2 workouts"): `noun` names the plural forms in the content."""

    number: int
    noun: str


@dataclass(frozen=True)
class Span:
    """A range of reps or sets ("8 to 10"), or one number when both ends are equal."""

    low: int
    high: int


@dataclass(frozen=True)
class Distance:
    """A distance, said in `units` ("metric" | "imperial": the runner's or device's choice), else in the
    locale's customary units."""

    yards: int
    units: str | None = None


@dataclass(frozen=True)
class Duration:
    """A length of time, said the locale's way: seconds under a minute, minutes (and a half) above."""

    seconds: int


@dataclass(frozen=True)
class Day:
    """A calendar date (ISO "2026-11-30"), said or shown the locale's short way ("30 Nov", "Nov 30")."""

    iso: str


@dataclass(frozen=True)
class Weekdays:
    """Days of the week as iCalendar codes ("TU", "TH"), said as the locale's plural list ("Tuesdays and
    Thursdays")."""

    days: tuple[str, ...]


@dataclass(frozen=True)
class ClockTime:
    """A time of day on the runner's clock, said the locale's way ("7:00 AM", "19:00")."""

    hour: int
    minute: int = 0


@dataclass(frozen=True)
class PersonName:
    """The recognised speaker's first name: Alexa says it (`<alexa:name>`); we never know or keep it."""


@dataclass(frozen=True)
class Word:
    """A single word from the content's word table ("right", "left")."""

    key: str


class Line(NamedTuple):
    """A phrase from the locale's content, e.g. line("set_done", number=2).

    Keys starting "exercise." are an exercise's own words (`skill.voice.wording` lists them).
    `args` holds the parameters as sorted (name, value) pairs so a Line is hashable. Line and Pause are
    named tuples, not dataclasses: a paced set's reply holds about 80 of them and is hashed as the render
    cache's key every turn, and a tuple's hash runs no Python (no other tuple shares a Reply's speech).
    """

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.args)


class Pause(NamedTuple):
    """Silence, in seconds. Rendering splits anything over 10 s into chained breaks."""

    seconds: float


Segment = Line | Pause
COME_BACK = "come_back_"  # phrase keys that tell the runner how to come back once the session has closed
Estimator = Callable[[Sequence[Segment]], float]
"""Seconds it takes to say some segments in the request's locale (the coach budgets replies with it)."""


@dataclass(frozen=True)
class Card:
    """The Alexa app's card for an exercise: its name, the dose (a Line) and its set-up steps."""

    exercise: str
    dose: Line


@dataclass(frozen=True)
class Screen:
    """What a device with a screen shows: the exercise and where the runner is."""

    exercise_id: str
    set_number: int
    total_sets: int
    status: str  # "intro" | "in_set" | "resting" | "paused" | "complete"
    level: str = "standard"  # the runner's Level value: the screen shows the dose at their level
    units: str | None = None  # the runner's distance units (None: the locale's), for the dose shown
    # Where the workout stands, named: a UserEvent carries it back, so one from a screen that has moved on
    # (an old set, a double tap) changes nothing.
    step: str = ""
    buttons: tuple[str, ...] = ()  # touch buttons, by the event each sends (`skill.coach.events.Kind` values)
    # Hands-free on a screen: the rest it counts down (seconds), when the screen wakes the skill (rest over;
    # 0: it doesn't) and until when its heartbeat keeps the session open, in the app's clock.
    rest_seconds: int = 0
    wake_at: float = 0.0
    watch_until: float = 0.0


@dataclass(frozen=True)
class Chart:
    """"How am I doing?" on a card and a screen: workouts per week, oldest week first, the exercises that
    moved up a level, and the sentences that were said."""

    weeks: tuple[tuple[str, int], ...]   # (ISO date of the week's Monday, workouts that week)
    moved_up: tuple[str, ...] = ()
    summary: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Timer:
    """A timer on the device through the Alexa Timers API: "set" for `seconds`, announcing the phrase `announce`
    when it goes off, or "cancel" (every timer this skill set for the runner)."""

    action: str
    seconds: int = 0
    announce: str = ""


@dataclass(frozen=True)
class Reply:
    """One turn's output. An open session always has a reprompt (no dead ends).

    `away` is how long the runner is busy on their own after the reply has played (a self-paced
    set, an uncounted rest) before they can answer: longer than the microphone stays open, and the
    reply must say how to come back (a "come_back_" line) and end the session on purpose.
    """

    speech: tuple[Segment, ...]
    reprompt: tuple[Segment, ...] = ()
    end_session: bool = False
    card: Card | None = None
    screen: Screen | None = None
    away: float = 0.0
    coaching: float = 0.0  # seconds from the reply's start in which it coaches a set (a request then breaks it off)
    chart: Chart | None = None         # progress over the weeks: a card, and the screen on devices with one
    ask_permission: str | None = None  # "reminders": send the Alexa app's card asking for that permission
    # On a screen: the session stays open without the microphone (no reprompt: nothing listens), the screen
    # counting down or waiting for a tap. `quiet`: say nothing and leave the screen as it is (a heartbeat, a
    # tap from a screen that has moved on).
    hands_free: bool = False
    quiet: bool = False
    timer: Timer | None = None
    ask_timer_permission: bool = False  # the Alexa app's card that asks for the timers permission

    def __post_init__(self) -> None:
        if not self.speech and not self.quiet:
            raise ValueError("a reply must say something")
        if not self.end_session and not self.reprompt and not (self.hands_free or self.quiet):
            raise ValueError("a reply that keeps the session open needs a reprompt")

    def seconds_of_pause(self) -> float:
        return sum(s.seconds for s in self.speech if isinstance(s, Pause))

    @property
    def says_how_to_come_back(self) -> bool:
        return any(isinstance(s, Line) and s.key.startswith(COME_BACK) for s in self.speech)


def silence() -> Reply:
    """Nothing to say and nothing to change on the screen: a heartbeat, a stale tap."""
    return Reply((), quiet=True)


def line(key: str, **params: Any) -> Line:
    """Shorthand used by the workout: line("set_done", number=2)."""
    return Line(key, tuple(sorted(params.items())))
