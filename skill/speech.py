"""Turns a turn's `Reply` segments into SSML or plain text: the only module that knows SSML.

Everything that can reach a phrase (catalogue text, slot values echoed back, the
phrase templates themselves) goes through one cleaning path here, so a stray
`&`, `<` or control character can never make Alexa reject a reply. What can go
wrong is a programming error: a missing phrase key or template parameter raises
KeyError, a non-finite pause raises ValueError; `check_limits` turns Alexa's
size and duration limits into `SpeechTooLong` before a reply leaves the skill.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from skill.reply import Line, Pause, Segment, Text

PhraseBook = Mapping[str, Sequence[str]]  # phrase key -> variants (str.format templates)

MAX_SPEECH_CHARS = 8000  # Alexa outputSpeech limit: the whole SSML string, tags included
MAX_BREAK_SECONDS = 10.0  # Alexa <break> limit; longer rests are chained breaks
MAX_REPLY_SECONDS = 240.0  # Alexa audio per response
WORDS_PER_SECOND = 2.6  # Alexa's default voice speaks roughly 150-160 words a minute

_MAX_BREAK_MS = int(MAX_BREAK_SECONDS * 1000)
# Characters XML 1.0 forbids outright (plus lone surrogates and U+FFFE/U+FFFF): no escape exists for
# them, so they are dropped rather than letting one byte from a request break the whole reply.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class SpeechTooLong(ValueError):
    """The rendered reply would be cut off or rejected by Alexa (over 8000 chars or 240 s)."""


def stable_hash(key: str) -> int:
    """A hash that is the same in every process (str hash() is salted per process)."""
    return zlib.crc32(key.encode("utf-8"))


@lru_cache(maxsize=4096)  # the same cues and counts come back every set: clean each once per process
def _clean(text: str) -> str:
    """Drop characters XML cannot carry and collapse whitespace runs to one space."""
    return " ".join(_ILLEGAL_XML.sub("", text).split())


def _phrase(segment: Line, phrases: PhraseBook, variant: int) -> str:
    """The chosen variant of a phrase, formatted; KeyError names a missing key or parameter."""
    if segment.key not in phrases:
        raise KeyError(segment.key)
    variants = phrases[segment.key]
    if isinstance(variants, str) or not variants:  # a bare str would be "variants" of one letter each
        raise ValueError(f"phrase {segment.key!r} needs a non-empty sequence of variants")
    template = variants[(variant + stable_hash(segment.key)) % len(variants)]
    return template.format(**segment.params)


def _pause_ms(seconds: float) -> int:
    """A pause in whole milliseconds (integers keep chaining exact: 25 s is 10+10+5)."""
    if not math.isfinite(seconds):
        raise ValueError(f"pause must be a finite number of seconds, got {seconds!r}")
    return max(0, round(seconds * 1000))


def _pieces(segments: Iterable[Segment], phrases: PhraseBook, variant: int) -> Iterator[str | int]:
    """Cleaned plain text (str) and positive pauses in ms (int), in order; empty pieces dropped."""
    for segment in segments:
        if isinstance(segment, Pause):
            ms = _pause_ms(segment.seconds)
            if ms:
                yield ms
            continue
        if isinstance(segment, Line):
            text = _phrase(segment, phrases, variant)
        elif isinstance(segment, Text):
            text = segment.text
        else:
            raise TypeError(f"not a speech segment: {segment!r}")
        text = _clean(text)
        if text:
            yield text


def _seconds_label(ms: int) -> str:
    """10000 -> "10", 1500 -> "1.5": no float noise, no exponent."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=4096)
def _escape(text: str) -> str:
    return escape(text)


@lru_cache(maxsize=1024)
def _breaks(ms: int) -> str:
    """One pause as <break/> tags of at most 10 s each, e.g. 25 s -> 10s, 10s, 5s."""
    tags = []
    while ms > 0:
        chunk = min(ms, _MAX_BREAK_MS)
        time = f"{chunk // 1000}s" if chunk % 1000 == 0 else f"{chunk}ms"
        tags.append(f'<break time="{time}"/>')
        ms -= chunk
    return "".join(tags)


def render_text(segments: Iterable[Segment], phrases: PhraseBook, variant: int = 0) -> str:
    """Plain text with pauses shown as "[10 s]": for transcripts, cards and the terminal chat."""
    return " ".join(
        f"[{_seconds_label(p)} s]" if isinstance(p, int) else p for p in _pieces(segments, phrases, variant)
    )


def render_ssml(segments: Iterable[Segment], phrases: PhraseBook, variant: int = 0) -> str:
    """'<speak>...</speak>' with every piece of text escaped, so any input yields valid SSML."""
    body = " ".join(
        _breaks(p) if isinstance(p, int) else _escape(p) for p in _pieces(segments, phrases, variant)
    )
    return f"<speak>{body}</speak>"


def estimate_seconds(segments: Iterable[Segment], phrases: PhraseBook, variant: int = 0) -> float:
    """Rough speaking time: pauses plus words at ~2.6 words/s (Alexa's default rate, ~155 wpm)."""
    words = 0
    pause_ms = 0
    for piece in _pieces(segments, phrases, variant):
        if isinstance(piece, int):
            pause_ms += piece
        else:
            words += len(piece.split())
    return pause_ms / 1000 + words / WORDS_PER_SECOND


def render_checked(segments: Iterable[Segment], phrases: PhraseBook, variant: int = 0) -> str:
    """render_ssml and check_limits in one pass over the segments: what a live turn uses."""
    pieces = list(_pieces(segments, phrases, variant))
    pause_ms = sum(p for p in pieces if isinstance(p, int))
    words = sum(len(p.split()) for p in pieces if isinstance(p, str))
    ssml = "<speak>" + " ".join(_breaks(p) if isinstance(p, int) else _escape(p) for p in pieces) + "</speak>"
    check_limits(ssml, pause_ms / 1000 + words / WORDS_PER_SECOND)
    return ssml


def check_limits(ssml: str, seconds: float) -> None:
    """Raise SpeechTooLong if Alexa would reject (8000 chars) or cut off (240 s) this speech."""
    if len(ssml) > MAX_SPEECH_CHARS:
        raise SpeechTooLong(f"speech is {len(ssml)} characters; Alexa allows {MAX_SPEECH_CHARS}")
    if seconds > MAX_REPLY_SECONDS:
        raise SpeechTooLong(f"speech lasts about {seconds:.0f} s; Alexa allows {MAX_REPLY_SECONDS:.0f} s")
