"""The five exercises of the programme as facts: ids, doses per level, tempo, equipment, rests. No words.

What a runner hears about an exercise (its names, set-up steps, form cues,
the words said at each phase of a rep, each level's variant) is content, per
locale, in `skill/voice/content/<language>/exercises.toml`, keyed by the ids
here; a test checks that every locale has words for every id. Source:
seed/hamstring-exercises-article.txt. Each exercise has three levels that
differ in the work itself (reps and sets, tempo, a variant): the article gives
the ranges and the Swiss ball's harder variant; the other variants are the
coach's own, conservative progressions, and the content marks them so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    EASIER = "easier"
    STANDARD = "standard"
    HARDER = "harder"


LEVELS: tuple[Level, ...] = (Level.EASIER, Level.STANDARD, Level.HARDER)


@dataclass(frozen=True)
class Tempo:
    """How one rep is paced: (phase id, seconds) in order, then `reset` seconds of silence before the next.

    The content says the word for each phase id.
    """

    phases: tuple[tuple[str, float], ...]
    reset: float = 0.0

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.phases) + self.reset


@dataclass(frozen=True)
class Work:
    """One level of an exercise: what is done and counted."""

    sets: int
    reps: int | None            # per leg where `each_leg`; None: by distance
    tempo: Tempo | None
    distance_yards: int | None = None
    walk_seconds: float = 0.0   # a walk by distance is paced by time
    each_leg: bool = True
    variant: bool = False       # the level has its own variant (words in the content)


@dataclass(frozen=True)
class Exercise:
    """One exercise from the article."""

    id: str
    equipment: str | None  # an EQUIPMENT id; None needs nothing
    levels: Mapping[Level, Work]
    alternating: bool = False   # legs take turns within a set (TRX runners) rather than one side, then the other
    leg_on: str = "ball"        # how a leg is named: "ball" (heel on the ball), "stand" (the leg you stand on)
    default_rest_seconds: int = 60
    recovery_days: int = 0      # days its soreness lasts: the next workout within them is lighter

    def work(self, level: Level) -> Work:
        return self.levels[level]

    @property
    def by_distance(self) -> bool:
        return self.levels[Level.STANDARD].reps is None

    def __hash__(self) -> int:  # the levels mapping is not hashable; the id is the identity
        return hash(self.id)


# Equipment ids: the slot values of EquipmentType and the keys of a runner's equipment profile.
EQUIPMENT: tuple[str, ...] = ("trx", "stability_ball", "dumbbells", "partner")
ANCHOR_FOR = "partner"  # a fixed anchor (a heavy sofa, a loaded bar) can stand in for the partner
TYPICAL_WALK_YARDS = 20  # the inchworms' standard walk: how "use metres" shows what changed

_TRX = Tempo((("straighten", 1.5), ("pull_back", 1.0)))
_BALL = Tempo((("curl_in", 2.5), ("straighten", 2.0)))
_RDL = Tempo((("hinge", 2.5), ("stand", 1.5)))
_NORDIC = Tempo((("lower", 8.0), ("catch", 2.0)), reset=2.0)

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        id="inchworms", equipment=None, default_rest_seconds=45,
        levels={  # about 3 s a yard; a push-up at every plank (harder) adds a second a yard
            Level.EASIER: Work(sets=2, reps=None, tempo=None, distance_yards=10, walk_seconds=30, each_leg=False,
                               variant=True),
            Level.STANDARD: Work(sets=3, reps=None, tempo=None, distance_yards=20, walk_seconds=60, each_leg=False),
            Level.HARDER: Work(sets=3, reps=None, tempo=None, distance_yards=20, walk_seconds=80, each_leg=False,
                               variant=True),
        },
    ),
    Exercise(
        id="trx_hamstring_runners", equipment="trx", alternating=True,
        levels={
            Level.EASIER: Work(sets=2, reps=10, tempo=_TRX, variant=True),
            Level.STANDARD: Work(sets=3, reps=11, tempo=_TRX),
            Level.HARDER: Work(sets=3, reps=12, tempo=Tempo((("straighten", 2.5), ("pull_back", 1.0))),
                               variant=True),
        },
    ),
    Exercise(
        id="swiss_ball_curls", equipment="stability_ball",
        levels={
            Level.EASIER: Work(sets=3, reps=10, tempo=_BALL, each_leg=False, variant=True),  # both legs
            Level.STANDARD: Work(sets=3, reps=9, tempo=_BALL),
            Level.HARDER: Work(sets=3, reps=10, tempo=Tempo((("curl_in", 2.5), ("straighten", 3.0))),
                               variant=True),  # the article's: arms above the chest
        },
    ),
    Exercise(
        id="dumbbell_rdl", equipment="dumbbells", leg_on="stand", default_rest_seconds=90,
        levels={
            Level.EASIER: Work(sets=3, reps=6, tempo=_RDL, variant=True),  # kickstand
            Level.STANDARD: Work(sets=3, reps=7, tempo=_RDL),
            Level.HARDER: Work(sets=3, reps=8, tempo=Tempo((("hinge", 3.5), ("stand", 1.5))), variant=True),
        },
    ),
    Exercise(
        id="eccentric_curls", equipment="partner", default_rest_seconds=90, recovery_days=1,
        levels={
            Level.EASIER: Work(sets=2, reps=5, tempo=Tempo((("lower", 5.0), ("catch", 2.0)), reset=2.0),
                               each_leg=False, variant=True),  # hands-assisted, shorter range
            Level.STANDARD: Work(sets=3, reps=5, tempo=_NORDIC, each_leg=False),
            Level.HARDER: Work(sets=3, reps=6, tempo=Tempo((("lower", 10.0), ("catch", 2.0)), reset=2.0),
                               each_leg=False, variant=True),
        },
    ),
)

_BY_ID: dict[str, Exercise] = {exercise.id: exercise for exercise in EXERCISES}


def exercise(exercise_id: str) -> Exercise:
    """Look an exercise up by id; KeyError for an id that is not in the programme."""
    return _BY_ID[exercise_id]


def is_exercise(exercise_id: str) -> bool:
    return exercise_id in _BY_ID


def exercise_ids() -> tuple[str, ...]:
    return tuple(_BY_ID)
