"""docs/sample-workout.md and docs/transcripts/ are what the coach says today: regenerated, deterministic,
whole workouts in device time, and the time the coach promises is the time it takes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.coach import programme, timing
from skill.coach.programme import LEVELS
from skill.coach.state import profile_at
from tools import transcript

WITHIN = 0.15  # the estimate a runner hears is within 15% of the coached time


def test_committed_transcripts_match_a_fresh_render() -> None:
    for path, text in transcript.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make transcript`"


def test_render_is_deterministic_and_reads_as_a_whole_workout() -> None:
    text = transcript.render()
    assert text == transcript.render()
    conversation = text.split("## Estimated")[0]
    said = re.findall(r"\*\*Runner\*\* \(at \d+:\d\d\): (.*)", conversation)
    assert said == [turn.said for turn in transcript.SCRIPT]
    assert conversation.count("**Coach**") == len(transcript.SCRIPT)
    assert re.search(r"\[\d+(\.\d+)? s\]", text), "pauses are shown as [N s]"
    assert "Workout complete" in conversation and "<" not in conversation, "no SSML in the transcript"
    seconds = [int(s) for s in re.findall(r"\*\*Coach\*\* \(plays about (\d+) s\)", text)]
    assert max(seconds) <= 240, seconds
    table = text.split("## Estimated and coached minutes")[1]
    assert table.count("\n| ") == 1 + 3 * 5, "a row per exercise and level, plus the header"


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("exercise", programme.exercise_ids())
def test_the_estimate_is_within_15_percent_of_the_coached_time(exercise: str, level: programme.Level) -> None:
    """Heard before: "About 13 minutes" for 18 minutes of coaching. The estimate now comes from the same pacing."""
    for self_paced in (False, True):
        _, coached, _ = transcript.coached(exercise, level, self_paced=self_paced)
        profile = profile_at(level, self_paced=self_paced)
        estimate = timing.plan_seconds((exercise,), profile, transcript.ESTIMATE)
        assert abs(estimate - coached) <= WITHIN * coached, (exercise, level, self_paced, estimate, coached)


def test_a_transcript_per_exercise_and_level() -> None:
    files = transcript.transcripts()
    assert len(files) == 3 * len(programme.EXERCISES)
    for text in files.values():
        assert "Workout complete" in text and text.count("**Runner**") >= 3


@pytest.mark.parametrize("locale", transcript.LANGUAGE_LOCALES)
def test_the_sample_workout_in_each_language_is_heard_and_finishes(locale: str) -> None:
    """Every runner line is one of the locale's samples its model hears as intended (in_locale raises if not)."""
    text = transcript.render_locale(locale)
    assert text.count("**Runner**") == text.count("**Coach**") == len(transcript.SCRIPT)
    assert "<" not in text and re.search(r"\[\d+(\.\d+)? s\]", text)
    assert max(int(s) for s in re.findall(r"\*\*Coach\*\* \(plays about (\d+) s\)", text)) <= 240
    coach = " ".join(re.findall(r"\*\*Coach\*\* \(plays about \d+ s\): (.*)", text))
    assert not any(word in coach for word in (" the ", " set ", " rest ")), "English in what the coach says"


def test_check_flag_reports_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcript, "DOCS", tmp_path)
    monkeypatch.setattr(transcript, "SAMPLE_WORKOUTS", tmp_path / "sample-workouts")
    monkeypatch.setattr(transcript, "OUTPUT", tmp_path / "sample-workout.md")
    monkeypatch.setattr(transcript, "TRANSCRIPTS", tmp_path / "transcripts")
    assert transcript.main(["--check"]) == 1  # missing
    assert transcript.main([]) == 0
    assert transcript.main(["--check"]) == 0
    (tmp_path / "sample-workout.md").write_text("old\n", encoding="utf-8")
    assert transcript.main(["--check"]) == 1
