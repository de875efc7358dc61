"""skill.speech renders every segment to SSML Alexa accepts, and tests.ssml_check catches what it must not."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.coach.reply import Line, Pause, Segment, line
from skill.voice.content import Content
from skill.voice.speech import (
    MAX_REPLY_SECONDS,
    MAX_SPEECH_CHARS,
    SpeechTooLong,
    check_limits,
    estimate_seconds,
    render_ssml,
    render_text,
)
from skill.voice.wording import stable_hash
from tests.ssml_check import validate_ssml

PHRASES = Content("en-US", {
    "welcome": ("Welcome to Hamstring Coach.",),
    "set_done": ("Set {number} done.", "That's set {number}.", "Set {number}, finished."),
    "exercise": ("Next up: {name}.",),
    "rest": ("Rest for {seconds:.0f} seconds.",),
    "text": ("{text}",),
})


def Text(text: str) -> Line:
    """Any text at all, as a line: what the renderer must escape and clean."""
    return line("text", text=text)


def ssml(*segments: Segment, variant: int = 0) -> str:
    return render_ssml(segments, PHRASES, variant)


def breaks(markup: str) -> list[str]:
    return re.findall(r'<break time="([^"]+)"/>', markup)


# --- rendering each segment kind ---------------------------------------------------------------


def test_text_renders_inside_speak() -> None:
    assert ssml(Text("Lie on your back.")) == "<speak>Lie on your back.</speak>"


def test_line_formats_its_params() -> None:
    assert ssml(line("exercise", name="eccentric curls")) == "<speak>Next up: eccentric curls.</speak>"
    assert ssml(line("rest", seconds=60.4)) == "<speak>Rest for 60 seconds.</speak>"


def test_pause_renders_as_break_in_seconds_or_ms() -> None:
    assert ssml(Pause(2)) == '<speak><break time="2s"/></speak>'
    assert ssml(Pause(0.5)) == '<speak><break time="500ms"/></speak>'
    assert ssml(Pause(10)) == '<speak><break time="10s"/></speak>'


def test_pieces_joined_with_single_spaces_and_whitespace_collapsed() -> None:
    out = ssml(Text("  Set one. \n"), Pause(1), line("welcome"), Text("\tgo  now "))
    assert out == '<speak>Set one. <break time="1s"/> Welcome to Hamstring Coach. go now</speak>'


def test_empty_segments_render_empty_speak() -> None:
    assert ssml() == "<speak></speak>"
    assert ssml(Text("   "), Pause(0)) == "<speak></speak>"


def test_unknown_segment_type_is_rejected() -> None:
    with pytest.raises(TypeError):
        render_ssml(["just a str"], PHRASES)  # type: ignore[list-item]


# --- escaping -----------------------------------------------------------------------------------

NASTY = ["<speak>", "Tom & Jerry", 'say "ready"', "a > b < c", "it's", "💪🏃‍♀️", "</speak><audio src='x'/>"]


@pytest.mark.parametrize("nasty", NASTY)
def test_text_is_escaped_and_round_trips(nasty: str) -> None:
    out = ssml(Text(nasty))
    validate_ssml(out)
    assert ET.fromstring(out).text == nasty


@pytest.mark.parametrize("nasty", NASTY)
def test_line_params_are_escaped_and_round_trip(nasty: str) -> None:
    out = ssml(line("exercise", name=nasty))
    validate_ssml(out)
    assert ET.fromstring(out).text == f"Next up: {nasty}."


def test_escapes_the_markup_characters() -> None:
    assert ssml(Text('<b> & "q"')) == '<speak>&lt;b&gt; &amp; "q"</speak>'


def test_control_characters_are_stripped() -> None:
    out = ssml(Text("ready\x00\x08\x0b\x1f\ufffe\ud83d now"), line("exercise", name="curls\x01"))
    validate_ssml(out)
    assert ET.fromstring(out).text == "ready now Next up: curls."


def test_five_kilobytes_of_text_renders_valid() -> None:
    out = ssml(Text("keep those hips up & squeeze < glutes > " * 128))
    assert 5000 < len(out) <= MAX_SPEECH_CHARS
    validate_ssml(out)


# --- pauses -------------------------------------------------------------------------------------


def test_long_pause_is_chained_breaks_none_over_ten_seconds() -> None:
    assert breaks(ssml(Pause(25))) == ["10s", "10s", "5s"]
    assert breaks(ssml(Pause(10.25))) == ["10s", "250ms"]
    assert breaks(ssml(Pause(30))) == ["10s", "10s", "10s"]
    validate_ssml(ssml(Pause(25)))


@pytest.mark.parametrize("seconds", [0, 0.0, -1, -0.0001, 0.0004])
def test_zero_and_negative_pauses_are_dropped(seconds: float) -> None:
    assert ssml(Text("a"), Pause(seconds), Text("b")) == "<speak>a b</speak>"
    assert render_text([Text("a"), Pause(seconds), Text("b")], PHRASES) == "a b"


@pytest.mark.parametrize("seconds", [float("inf"), float("nan")])
def test_non_finite_pause_is_a_programming_error(seconds: float) -> None:
    with pytest.raises(ValueError):
        ssml(Pause(seconds))


# --- variants and missing phrases ---------------------------------------------------------------


def test_variants_are_deterministic_and_cycle() -> None:
    renders = [ssml(line("set_done", number=2), variant=v) for v in range(6)]
    assert renders == [ssml(line("set_done", number=2), variant=v) for v in range(6)]
    assert len(set(renders[:3])) == 3  # every variant used once per cycle
    assert renders[:3] == renders[3:]
    start = stable_hash("set_done") % 3
    assert renders[0] == f"<speak>{PHRASES.phrases['set_done'][start].format(number=2)}</speak>"


def test_stable_hash_does_not_depend_on_process_salt() -> None:
    # Python's str hash() changes per process; the phrase a runner hears must not.
    assert stable_hash("welcome") == 936075699
    assert stable_hash("set_done") == 2246705698


def test_single_variant_phrase_ignores_variant() -> None:
    assert {ssml(line("welcome"), variant=v) for v in range(5)} == {
        "<speak>Welcome to Hamstring Coach.</speak>"
    }


def test_missing_phrase_key_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="no_such_phrase"):
        ssml(line("no_such_phrase"))
    with pytest.raises(KeyError, match="no_such_phrase"):
        render_text([line("no_such_phrase")], PHRASES)


def test_missing_template_param_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="number"):
        ssml(Line("set_done"))


@pytest.mark.parametrize("variants", [(), "Welcome."])
def test_phrase_needs_a_sequence_of_variants(variants: tuple[str, ...] | str) -> None:
    with pytest.raises(ValueError, match="'welcome' needs a non-empty sequence"):
        render_ssml([line("welcome")], Content("en-US", {"welcome": variants}))  # type: ignore[dict-item]


# --- plain text ---------------------------------------------------------------------------------


def test_render_text_shows_pauses_in_brackets_and_no_markup() -> None:
    segments = [line("set_done", number=1), Pause(10), Text("Tom & <Jerry>"), Pause(1.5), Pause(25)]
    out = render_text(segments, PHRASES)
    assert out.endswith("[10 s] Tom & <Jerry> [1.5 s] [25 s]")
    assert "<break" not in out and "&amp;" not in out


# --- estimates and limits -----------------------------------------------------------------------


def test_estimate_counts_words_and_pauses() -> None:
    assert estimate_seconds([], PHRASES) == 0
    assert estimate_seconds([Pause(25)], PHRASES) == pytest.approx(25)
    assert estimate_seconds([Text("one two three four five six seven eight nine ten")], PHRASES) == (
        pytest.approx(10 / 2.6)
    )


def test_estimate_is_monotonic_in_text_and_pauses() -> None:
    segments: list[Segment] = [line("welcome")]
    previous = estimate_seconds(segments, PHRASES)
    for extra in [
        Text("lift"),
        Pause(3),
        line("set_done", number=3),
        Pause(0),
        Text("and slowly straighten"),
    ]:
        segments.append(extra)
        current = estimate_seconds(segments, PHRASES)
        assert current >= previous
        previous = current


def test_check_limits_accepts_a_normal_reply() -> None:
    check_limits(ssml(Text("Set 1 done.")), 5.0)
    check_limits("x" * MAX_SPEECH_CHARS, MAX_REPLY_SECONDS)


def test_check_limits_rejects_over_8000_characters() -> None:
    with pytest.raises(SpeechTooLong, match="8001 characters"):
        check_limits("x" * (MAX_SPEECH_CHARS + 1), 1.0)


def test_check_limits_rejects_over_240_seconds() -> None:
    segments = [Pause(241)]
    with pytest.raises(SpeechTooLong, match="240"):
        check_limits(ssml(*segments), estimate_seconds(segments, PHRASES))
    assert issubclass(SpeechTooLong, ValueError)


# --- property: nothing from a request can break the SSML ----------------------------------------


# max_size keeps the worst case (every char '&' -> '&amp;') under Alexa's 8000 characters.
@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=500), param=st.text(max_size=500), seconds=st.floats(-5, 30))
def test_any_text_renders_to_valid_ssml(text: str, param: str, seconds: float) -> None:
    out = ssml(Text(text), Pause(seconds), line("exercise", name=param), variant=len(text))
    validate_ssml(out)
    check_limits(out, estimate_seconds([Text(text), Pause(seconds)], PHRASES))
