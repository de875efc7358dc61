"""docs/sample-workout.md is what the coach says today: regenerated, deterministic, a whole workout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import transcript


def test_committed_transcript_matches_a_fresh_render() -> None:
    committed = transcript.OUTPUT.read_text(encoding="utf-8")
    assert committed == transcript.render(), "docs/sample-workout.md is stale: run `make transcript`"


def test_render_is_deterministic_and_reads_as_a_whole_workout() -> None:
    text = transcript.render()
    assert text == transcript.render()
    assert [f"**Runner:** {turn.said}" in text for turn in transcript.SCRIPT] == [True] * len(transcript.SCRIPT)
    assert text.count("**Coach**") == len(transcript.SCRIPT)
    assert re.search(r"\[\d+(\.\d+)? s\]", text), "pauses are shown as [N s]"
    assert "Workout complete" in text and "<" not in text.split("## Coaching time")[0], "no SSML in the transcript"
    seconds = [int(s) for s in re.findall(r"\*\*Coach\*\* \(about (\d+) s\)", text)]
    assert max(seconds) <= 240, seconds
    table = text.split("## Coaching time per set (guided)")[1]
    assert table.count("\n| ") == 1 + 3 * 5, "a row per exercise and level, plus the header"


def test_check_flag_reports_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sample-workout.md"
    monkeypatch.setattr(transcript, "OUTPUT", target)
    assert transcript.main(["--check"]) == 1  # missing
    assert transcript.main([]) == 0
    assert transcript.main(["--check"]) == 0
    target.write_text("old\n", encoding="utf-8")
    assert transcript.main(["--check"]) == 1
