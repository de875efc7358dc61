"""A coach a runner can follow on a real Echo (issue 10), defect by defect, at the pure level in device time.

Each test is a script a runner said (see the issue) and what they hear now.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from skill.coach import programme
from skill.coach.events import Kind
from skill.coach.programme import Level
from skill.coach.respond import MIC_WINDOW_SECONDS
from skill.coach.state import Pending, Phase, UserState, Workout, profile_at
from tests.workout_helpers import MONDAY_NOON, Walker, reprompt, text


def keys(walk: Walker) -> list[str]:
    assert walk.last is not None
    return [getattr(s, "key", "") for s in walk.last.reply.speech]


def test_1_a_self_paced_set_says_which_leg_when_to_switch_and_how_to_come_back() -> None:
    walk = Walker()
    walk(Kind.CHOOSE, exercise="swiss_ball_curls")
    walk(Kind.SELF_PACED)
    reply = walk(Kind.READY).reply
    said = text(reply)
    assert "Start with your right heel on the ball, and switch legs after 9 reps." in said
    assert said.endswith('say "Alexa, tell hamstring coach done".') and reply.end_session
    assert reply.away > MIC_WINDOW_SECONDS and reply.says_how_to_come_back
    said = walk.said(Kind.DONE, new_session=True)  # "Alexa, tell hamstring coach done"
    assert "Rest 1 minute" in said and walk.state.workout.set_number == 2  # type: ignore[union-attr]


def test_2_a_rest_is_counted_when_it_fits_and_otherwise_never_contradicts_itself() -> None:
    last_rdl = Workout(plan=("dumbbell_rdl", "trx_hamstring_runners"), started_at=MONDAY_NOON, updated_at=MONDAY_NOON,
                       set_number=3, phase=Phase.RESTING, sets_done=2, current_sets=2)
    walk = Walker(state=UserState(workout=last_rdl))
    said = walk.said(Kind.READY)
    while walk.state.workout and walk.state.workout.phase is Phase.IN_SET:  # split where the legs switch
        said = walk.said(Kind.READY)
    assert "Rest 1 minute 30 seconds while you set up." in said.replace("a minute and a half", "1 minute 30 seconds")
    assert "[30 s] 1 minute." in said  # counted
    harder = UserState(profile=profile_at(Level.HARDER), workout=replace(last_rdl, set_number=1, sets_done=0,
                                                                          current_sets=0, phase=Phase.INTRO))
    walk = Walker(state=harder)
    for _ in range(4):
        said = walk.said(Kind.READY)
        assert not ("come_back_after_rest" in keys(walk) and "ready_for_set" in keys(walk)), said


def test_3_questions_about_what_is_next_never_move_the_workout() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    before = walk.state
    said = walk.said(Kind.WHATS_NEXT)
    assert said.startswith("Next: set 2 of 3 of Swiss ball curls. Then eccentric curls.")
    assert walk.state == before
    on_the_last = Walker(state=UserState(workout=Workout(("swiss_ball_curls",), MONDAY_NOON, MONDAY_NOON)))
    said = on_the_last.said(Kind.NEXT_EXERCISE)
    assert 'To end the workout here, say "finish".' in said and on_the_last.state.workout is not None
    assert not on_the_last.state.profile.history
    said = on_the_last.said(Kind.FINISH)
    assert "nothing to save" in said and not on_the_last.state.profile.history  # no 0-set workout logged


def test_4_skip_at_an_introduction_skips_the_exercise_and_next_in_a_rest_is_the_next_set() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.SKIP)
    assert said.startswith("Skipping Swiss ball curls. Next up: eccentric hamstring curls.")
    assert walk.state.workout.phase is Phase.INTRO  # type: ignore[union-attr]
    said = walk.said(Kind.SKIP)  # the last one: a swap is offered, nothing ends
    assert "Want to swap eccentric curls for two-arm, one-leg dumbbell Romanian deadlifts?" in said
    assert walk.state.pending is Pending.SWAP_OFFER and "Swap in" in reprompt(walk.last.reply)  # type: ignore[union-attr]
    assert "Switching to two-arm, one-leg dumbbell Romanian deadlifts" in walk.said(Kind.YES)
    walk(Kind.READY)
    said = walk.said(Kind.NEXT)  # "next" in the rest
    assert said.startswith("Set 2.")


def test_5_pain_is_answered_first_and_safely() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    walk.interrupt(after=30)
    outcome = walk(Kind.PAIN)  # "ouch", mid-set
    said = text(outcome.reply)
    assert said.startswith("You stopped during set 1, so it doesn't count")
    assert "Sharp or sudden pain means stop" in said and "normal, especially a day or two after eccentric" in said
    assert 'Say "skip" or "finish"' in said and "for set" not in said
    assert outcome.state.pending is Pending.PAIN_CHOICE and outcome.state.workout.sets_done == 0  # type: ignore[union-attr]
    assert reprompt(outcome.reply).startswith("Do you want to skip this exercise")
    said = walk.said(Kind.SKIP)
    assert "Next up: eccentric hamstring curls" in said
    assert walk.state.workout.done == () and walk.state.workout.exercise_index == 1  # type: ignore[union-attr]


def test_5_no_reply_claims_to_prevent_or_treat_injury() -> None:
    from skill.voice.content import for_locale

    words = " ".join(v for variants in for_locale("en-US").phrases.values() for v in variants).lower()
    assert not any(claim in words for claim in ("prevent", "treat", "cure", "heal", "injury-proof"))


def test_6_losing_the_partner_offers_an_anchor_and_a_ball_swaps_now() -> None:
    walk = Walker()
    walk(Kind.CHOOSE, exercise="eccentric_curls")
    walk(Kind.READY)
    said = walk.said(Kind.MISSING_EQUIPMENT, equipment="partner")
    assert "hook your heels under something heavy" in said and walk.state.pending is Pending.ANCHOR_OFFER
    assert "heels under the anchor" in walk.said(Kind.YES)
    assert "partner" not in walk.state.profile.missing_equipment and walk.state.workout.exercise_id == "eccentric_curls"
    walk(Kind.MISSING_EQUIPMENT, equipment="partner")
    said = walk.said(Kind.NO)
    assert "Switching to" in said and walk.state.workout.exercise_id != "eccentric_curls"  # type: ignore[union-attr]
    done = walk.state.workout.done  # type: ignore[union-attr]
    assert [(d.exercise, d.sets) for d in done] == [("eccentric_curls", 1)]  # the set done is kept
    said = walk.said(Kind.HAVE_EQUIPMENT, equipment="partner")
    assert "I'll put eccentric hamstring curls back in the rotation" in said
    ball = Walker()
    ball(Kind.START)
    ball(Kind.READY)
    said = ball.said(Kind.MISSING_EQUIPMENT, equipment="stability_ball")
    assert "Switching to" in said and ball.state.workout.exercise_id != "swiss_ball_curls"  # type: ignore[union-attr]


ARTICLE_REPS = {"trx_hamstring_runners": (10, 12), "swiss_ball_curls": (8, 10), "dumbbell_rdl": (6, 8)}


@pytest.mark.parametrize("exercise", [e.id for e in programme.EXERCISES])
def test_7_every_level_changes_the_work_itself(exercise: str) -> None:
    from skill.voice.content import for_locale

    levels = programme.exercise(exercise).levels
    works = [levels[level] for level in programme.LEVELS]
    assert len({(w.sets, w.reps, w.distance_yards, w.tempo, w.each_leg, w.variant) for w in works}) == 3
    if exercise in ARTICLE_REPS:  # standard counts inside the article's range, not its floor
        low, high = ARTICLE_REPS[exercise]
        assert low < levels[Level.STANDARD].reps < high and levels[Level.HARDER].reps == high  # type: ignore[operator]
    sources = for_locale("en-US").exercises[exercise].sources
    assert sources and all(source in ("article", "coach") for source in sources.values())
    assert (sources.get("harder") == "article") == (exercise == "swiss_ball_curls")  # the article's one variant


def test_9_everyday_questions_answer_and_change_nothing() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    before = walk.state
    answers = {
        Kind.HOW_LONG: "minutes left", Kind.HOW_MANY: "Swiss ball curls: 3 sets of 9 reps each leg. You're on set 2.",
        Kind.WHICH_LEG: "Right heel on the ball first, then the left.",
        Kind.WHAT_DO_I_NEED: "You'll need a stability ball and a partner.", Kind.THANKS: "You're welcome!",
    }  # fmt: skip
    for kind, expected in answers.items():
        said = walk.said(kind)
        assert expected in said or (kind is Kind.THANKS and "Any time." in said), (kind, said)
        assert walk.state == before, kind


def test_9_a_break_keeps_the_workout_and_enough_for_today_records_it() -> None:
    walk = Walker()
    walk(Kind.START)
    walk(Kind.READY)
    outcome = walk(Kind.TAKE_A_BREAK)
    assert outcome.reply.end_session and outcome.reply.says_how_to_come_back
    assert outcome.state.workout.phase is Phase.RESTING  # type: ignore[union-attr]  # not the 24-hour pause
    walk.wait(300)
    assert walk.said(Kind.READY, new_session=True).startswith("Set 2.")
    said = walk.said(Kind.FINISH)
    entry = walk.state.profile.history[-1]
    assert "Saved as a partial workout, 2 sets done" in said and entry.partial and walk.state.workout is None


def test_9_done_never_starts_a_set() -> None:
    walk = Walker()
    walk(Kind.START)
    said = walk.said(Kind.DONE)
    assert "We haven't started set 1 yet." in said and walk.state.workout.phase is Phase.INTRO  # type: ignore[union-attr]
    walk(Kind.READY)
    said = walk.said(Kind.DONE)
    assert "resting before set 2" in said and walk.state.workout.set_number == 2  # type: ignore[union-attr]


def test_9_yes_over_a_coached_set_counts_it_as_ready_does() -> None:
    """es-ES runners are taught «vale» to start, which Alexa hears as "yes": said over the set, it finishes it."""
    for kind in (Kind.READY, Kind.YES):
        walk = Walker()
        walk(Kind.START)
        walk(Kind.READY)
        walk.interrupt(after=30)
        said = walk.said(kind)
        assert "doesn't count" not in said and walk.state.workout.sets_done == 1, (kind, said)  # type: ignore[union-attr]
