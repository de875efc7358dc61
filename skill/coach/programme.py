"""The five exercises of the programme as facts: ids, doses, tempo, equipment, rests. No words.

What a runner hears about an exercise (its names, set-up steps, form cues,
the words said at each phase of a rep) is content, per locale, in
`skill/voice/content/<language>/exercises.toml`, keyed by the ids here; a test
checks that every locale has words for every id. Source:
seed/hamstring-exercises-article.txt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tempo:
    """How one rep is paced: (phase id, seconds) in order. The content says the word for each phase."""

    phases: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Exercise:
    """One exercise from the article."""

    id: str
    equipment: str | None  # an EQUIPMENT id; None needs nothing
    sets: tuple[int, int]
    reps: tuple[int, int] | None
    distance_yards: int | None
    each_leg: bool      # the dose is per leg
    alternating: bool   # legs take turns within a set (TRX runners) rather than one side, then the other
    standing_leg: bool  # the leg named in a set is the one you stand on (the one-leg RDL), not the working one
    has_harder_variant: bool  # the article gives a harder variant (its words are content)
    tempo: Tempo | None
    default_rest_seconds: int
    minutes_estimate: int

    @property
    def by_distance(self) -> bool:
        return self.distance_yards is not None


# Equipment ids: the slot values of EquipmentType and the keys of a runner's equipment profile.
EQUIPMENT: tuple[str, ...] = ("trx", "stability_ball", "dumbbells", "partner")

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        id="inchworms", equipment=None, sets=(2, 3), reps=None, distance_yards=20,
        each_leg=False, alternating=False, standing_leg=False, has_harder_variant=False,
        tempo=None, default_rest_seconds=45, minutes_estimate=5,
    ),
    Exercise(
        id="trx_hamstring_runners", equipment="trx", sets=(3, 3), reps=(10, 12), distance_yards=None,
        each_leg=True, alternating=True, standing_leg=False, has_harder_variant=False,
        tempo=Tempo(phases=(("straighten", 1.5), ("pull_back", 1.0))),
        default_rest_seconds=60, minutes_estimate=6,
    ),
    Exercise(
        id="swiss_ball_curls", equipment="stability_ball", sets=(3, 3), reps=(8, 10), distance_yards=None,
        each_leg=True, alternating=False, standing_leg=False, has_harder_variant=True,
        tempo=Tempo(phases=(("curl_in", 1.5), ("straighten", 2.0))),
        default_rest_seconds=60, minutes_estimate=7,
    ),
    Exercise(
        id="dumbbell_rdl", equipment="dumbbells", sets=(3, 3), reps=(6, 8), distance_yards=None,
        each_leg=True, alternating=False, standing_leg=True, has_harder_variant=False,
        tempo=Tempo(phases=(("hinge", 2.5), ("stand", 1.5))),
        default_rest_seconds=90, minutes_estimate=8,
    ),
    Exercise(
        id="eccentric_curls", equipment="partner", sets=(2, 3), reps=(5, 5), distance_yards=None,
        each_leg=False, alternating=False, standing_leg=False, has_harder_variant=False,
        tempo=Tempo(phases=(("lower", 8.0), ("catch", 2.0), ("kneel", 2.0))),
        default_rest_seconds=90, minutes_estimate=6,
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
