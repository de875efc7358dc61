"""The five exercises of the programme, as data: the one source of truth.

Everything a runner hears about an exercise (name, equipment, dose, set-up
steps, form cues, the harder variant) and everything the interaction model
says about it (slot value and synonyms) comes from here. A test checks that
`interaction_models/en-US.json` agrees with this file.

Source: seed/hamstring-exercises-article.txt; its typos ("boy" for body,
"rounds" for round) are fixed here, not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tempo:
    """How one rep is paced, in seconds per phase (spoken as cue words)."""

    phases: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Exercise:
    """One exercise from the article."""

    id: str
    name: str
    short_name: str
    synonyms: tuple[str, ...]
    equipment: str | None
    equipment_phrase: str
    sets: tuple[int, int]
    reps: tuple[int, int] | None
    distance_yards: int | None
    each_leg: bool      # the dose is per leg
    alternating: bool   # legs take turns within a set (TRX runners) rather than one side, then the other
    standing_leg: bool  # the leg named in a set is the one you stand on (the one-leg RDL), not the working one
    setup: tuple[str, ...]
    form_cues: tuple[str, ...]
    harder_variant: str | None
    tempo: Tempo | None
    default_rest_seconds: int
    minutes_estimate: int

    @property
    def by_distance(self) -> bool:
        return self.distance_yards is not None


# Equipment ids: the slot values of EquipmentType and the keys of a runner's
# equipment profile. A None equipment needs nothing.
EQUIPMENT: dict[str, tuple[str, ...]] = {
    "trx": ("trx", "t r x", "suspension trainer", "trx straps", "straps"),
    "stability_ball": ("stability ball", "swiss ball", "exercise ball", "ball", "gym ball"),
    "dumbbells": ("dumbbells", "dumbbell", "weights", "free weights"),
    "partner": ("partner", "training partner", "friend", "anchor", "someone to hold my ankles"),
}

EQUIPMENT_NAMES: dict[str, str] = {
    "trx": "a TRX",
    "stability_ball": "a stability ball",
    "dumbbells": "dumbbells",
    "partner": "a partner",
}

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        id="inchworms",
        name="inchworms",
        short_name="inchworms",
        synonyms=("inchworm", "inch worms", "inch worm", "walkouts", "walk outs"),
        equipment=None,
        equipment_phrase="no equipment, just 20 yards of floor",
        sets=(2, 3),
        reps=None,
        distance_yards=20,
        each_leg=False,
        alternating=False,
        standing_leg=False,
        setup=(
            "Start in a push-up position.",
            "Walk your feet towards your hands, keeping your legs straight, "
            "until you feel a stretch in your hamstrings.",
            "Walk your hands forward to return to the push-up position, legs still straight.",
        ),
        form_cues=(
            "Keep your legs straight as you walk your feet in.",
            "Walk the feet in only until you feel the stretch in your hamstrings.",
            "Walk the hands back out to a full push-up position.",
        ),
        harder_variant=None,
        tempo=None,
        default_rest_seconds=45,
        minutes_estimate=5,
    ),
    Exercise(
        id="trx_hamstring_runners",
        name="TRX hamstring runners",
        short_name="hamstring runners",
        synonyms=(
            "trx runners",
            "hamstring runners",
            "trx hamstring runner",
            "suspension hamstring runners",
            "upside down mountain climbers",
        ),
        equipment="trx",
        equipment_phrase="a TRX or other suspension trainer",
        sets=(3, 3),
        reps=(10, 12),
        distance_yards=None,
        each_leg=True,
        alternating=True,
        standing_leg=False,
        setup=(
            "Lie on your back and put your heels in the TRX straps.",
            "Bend your knees to 90 degrees and lift your hips off the ground.",
            "Slowly straighten one leg at a time, as if you were running, "
            "like an upside-down mountain climber.",
        ),
        form_cues=(
            "Squeeze your glutes the whole time.",
            "Keep your hips off the ground.",
            "Straighten each leg slowly, like running upside down.",
        ),
        harder_variant=None,
        tempo=Tempo(phases=(("straighten", 1.5), ("pull back", 1.0))),
        default_rest_seconds=60,
        minutes_estimate=6,
    ),
    Exercise(
        id="swiss_ball_curls",
        name="one-leg Swiss ball hamstring curls",
        short_name="Swiss ball curls",
        synonyms=(
            "swiss ball curls",
            "swiss ball hamstring curls",
            "one leg swiss ball hamstring curls",
            "single leg swiss ball curls",
            "stability ball curls",
            "ball curls",
            "hamstring curls on the ball",
        ),
        equipment="stability_ball",
        equipment_phrase="a stability ball",
        sets=(3, 3),
        reps=(8, 10),
        distance_yards=None,
        each_leg=True,
        alternating=False,
        standing_leg=False,
        setup=(
            "Lie on your back with both heels on the ball and your knees bent to 90 degrees.",
            "Raise your hips off the ground, hands on the floor.",
            "Lift one leg off the ball, keeping it bent at 90 degrees, the other heel on the ball.",
        ),
        form_cues=(
            "Keep your hips up the whole time.",
            "Pull the ball towards your butt slowly, then slowly straighten the leg.",
            "Keep the lifted leg bent at 90 degrees.",
        ),
        harder_variant=(
            "For a greater challenge, raise your arms above your chest instead of resting them on the floor."
        ),
        tempo=Tempo(phases=(("curl in", 1.5), ("and slowly straighten", 2.0))),
        default_rest_seconds=60,
        minutes_estimate=7,
    ),
    Exercise(
        id="dumbbell_rdl",
        name="two-arm, one-leg dumbbell Romanian deadlifts",
        short_name="dumbbell R D Ls",
        synonyms=(
            "rdl",
            "rdls",
            "dumbbell rdl",
            "dumbbell rdls",
            "single leg rdl",
            "one leg rdl",
            "romanian deadlifts",
            "single leg romanian deadlift",
            "one leg deadlifts",
            "r d l",
        ),
        equipment="dumbbells",
        equipment_phrase="two dumbbells",
        sets=(3, 3),
        reps=(6, 8),
        distance_yards=None,
        each_leg=True,
        alternating=False,
        standing_leg=True,
        setup=(
            "Stand with your feet shoulder-width apart.",
            "Hold a dumbbell in each hand, palms facing backwards.",
            "Keeping the dumbbells close to your body and your back flat, push your hips back "
            "and lower the weights to your shins, or until you feel a stretch in your hamstrings.",
            "Extend your hips to stand up and return to the start.",
        ),
        form_cues=(
            "Keep your back flat and your shoulders pulled back; don't let them round forward.",
            "Keep the dumbbells close to your body.",
            "Push your hips back; lower only until you feel the stretch.",
        ),
        harder_variant=None,
        tempo=Tempo(phases=(("hinge back", 2.5), ("and stand tall", 1.5))),
        default_rest_seconds=90,
        minutes_estimate=8,
    ),
    Exercise(
        id="eccentric_curls",
        name="eccentric hamstring curls",
        short_name="eccentric curls",
        synonyms=(
            "eccentric curls",
            "eccentric hamstring curl",
            "nordic curls",
            "nordic hamstring curls",
            "nordics",
            "partner curls",
        ),
        equipment="partner",
        equipment_phrase="a partner to hold your ankles, or a fixed anchor",
        sets=(2, 3),
        reps=(5, 5),
        distance_yards=None,
        each_leg=False,
        alternating=False,
        standing_leg=False,
        setup=(
            "Kneel on the ground with a partner holding your ankles.",
            "Keep your knees, hips and upper body in a straight line.",
            "Slowly lean forward, taking as long as possible to reach the ground.",
            "Catch yourself with your hands and push straight back to the start.",
        ),
        form_cues=(
            "Take as long as possible on the way down.",
            "Keep knees, hips and upper body in one straight line.",
            "Catch yourself with your hands, then push straight back up.",
        ),
        harder_variant=None,
        tempo=Tempo(phases=(("lower slowly", 8.0), ("catch and push back", 2.0), ("back to kneeling", 2.0))),
        default_rest_seconds=90,
        minutes_estimate=6,
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
