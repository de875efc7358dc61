"""Every spoken or displayed word lives in the per-locale content, not in Python.

Counts string literals of three or more words in skill/ and webhook/, leaving
out docstrings, log and exception messages and metric help texts (they are for
operators, not runners). A new phrase written into code fails here: put it in
skill/voice/content/<language>/phrases.toml and say it with `line(key, ...)`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from skill.coach import programme
from skill.voice.content import for_locale, published

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 5
LOG_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
METRICS = frozenset({"Counter", "Histogram", "Gauge", "Summary"})
_WORD = re.compile(r"[^\W\d_]")  # a token with at least one letter is a word


def _words(text: str) -> int:
    return sum(1 for token in text.split() if _WORD.search(token))


def _exempt(tree: ast.AST) -> set[int]:
    """ids of the nodes that may hold prose: docstrings, log/metric calls, raised exceptions."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings, attribute docs
            exempt.add(id(node.value))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in LOG_CALLS or name in METRICS:
                exempt.update(id(sub) for sub in ast.walk(node))
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exempt.update(id(sub) for sub in ast.walk(node.exc))
    return exempt


def wordy_literals(*folders: str) -> list[str]:
    """'path:line: text' for each string literal (or f-string) of three or more words."""
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            exempt = _exempt(tree)
            inside_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                               for part in node.values}
            for node in ast.walk(tree):
                if id(node) in exempt or id(node) in inside_fstrings:
                    continue
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = node.value
                elif isinstance(node, ast.JoinedStr):
                    text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
                else:
                    continue
                if _words(text) >= 3:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:60]!r}")
    return found


def test_at_most_a_handful_of_wordy_literals_in_code(capsys: pytest.CaptureFixture[str]) -> None:
    found = wordy_literals("skill", "webhook")
    with capsys.disabled():
        print(f"\nwordy literals in skill/ and webhook/: {len(found)}")
    assert len(found) <= LIMIT, "\n".join(found)


def test_the_counter_sees_a_phrase_in_code(tmp_path: Path) -> None:
    assert _words("Rest 60 seconds now.") == 3 and _words("[\x00-\x08 \x0b]") == 0
    tree = ast.parse('"""Doc string of words."""\nSAY = "Keep your hips up."\nlog.info("a b c d")\n')
    assert len(_exempt(tree)) >= 2


@pytest.mark.parametrize("locale", list(published()))
def test_every_exercise_and_equipment_has_words(locale: str) -> None:
    content = for_locale(locale)
    assert sorted(content.exercises) == sorted(programme.exercise_ids())
    assert sorted(content.equipment) == sorted(programme.EQUIPMENT)
    for exercise in programme.EXERCISES:
        words = content.exercises[exercise.id]
        assert words.name and words.short and words.equipment and words.setup and words.form_cues
        with_variant = {level.value for level, work in exercise.levels.items() if work.variant}
        assert set(words.variants) == with_variant == set(words.sources), exercise.id
        assert set(words.sources.values()) <= {"article", "coach"}, exercise.id
        phases = {phase for work in exercise.levels.values() if work.tempo for phase, _ in work.tempo.phases}
        assert set(words.tempo) == phases, exercise.id
