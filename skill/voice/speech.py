"""Turns a turn's `Reply` segments into SSML or plain text: the only module that knows SSML.

Every piece of text (content, parameters, the templates themselves) goes
through one cleaning path here, so a stray `&`, `<` or control character can
never make Alexa reject a reply. What can go wrong is a programming error: a
missing phrase key or template parameter raises KeyError, a non-finite pause
raises ValueError; `check_limits` turns Alexa's size and duration limits into
`SpeechTooLong` before a reply leaves the skill. `estimator(content)` is how
long speech takes in a locale: the coach budgets its replies with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from xml.sax.saxutils import escape, quoteattr

from skill.coach.reply import Estimator, Line, Pause, Segment
from skill.voice import wording
from skill.voice.content import Content

MAX_SPEECH_CHARS = 8000  # Alexa outputSpeech limit: the whole SSML string, tags included
MAX_BREAK_SECONDS = 10.0  # Alexa <break> limit; longer rests are chained breaks
MAX_REPLY_SECONDS = 240.0  # Alexa audio per response
WORDS_PER_SECOND = 2.6  # Alexa's default voice speaks roughly 150-160 words a minute

_MAX_BREAK_MS = int(MAX_BREAK_SECONDS * 1000)
# Characters XML 1.0 forbids outright (plus lone surrogates and U+FFFE/U+FFFF): no escape exists for
# them, so they are dropped rather than letting one byte from a request break the whole reply.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The recognised speaker's name: rendered SSML (what the store and the session keep) holds NAME_SLOT, never a
# personId; `address` puts the request's own personId in just before the reply leaves.
NAME_SLOT = '<alexa:name type="first" personId="{person}"/>'
PERSON_ID = re.compile(r"amzn1\.ask\.person\.[A-Za-z0-9._-]{1,400}")


class SpeechTooLong(ValueError):
    """The rendered reply would be cut off or rejected by Alexa (over 8000 chars or 240 s)."""


@lru_cache(maxsize=4096)  # the same cues and counts come back every set: clean each once per process
def _clean(text: str) -> str:
    """Drop characters XML cannot carry and collapse whitespace runs to one space."""
    return " ".join(_ILLEGAL_XML.sub("", text).split())


def _pause_ms(seconds: float) -> int:
    """A pause in whole milliseconds (integers keep chaining exact: 25 s is 10+10+5)."""
    if not math.isfinite(seconds):
        raise ValueError(f"pause must be a finite number of seconds, got {seconds!r}")
    return max(0, round(seconds * 1000))


def _pieces(segments: Iterable[Segment], content: Content, variant: int) -> Iterator[str | int]:
    """Cleaned plain text (str) and positive pauses in ms (int), in order; empty pieces dropped."""
    for segment in segments:
        if isinstance(segment, Pause):
            ms = _pause_ms(segment.seconds)
            if ms:
                yield ms
            continue
        if not isinstance(segment, Line):
            raise TypeError(f"not a speech segment: {segment!r}")
        text = _clean(wording.say(segment, content, variant))
        if text:
            yield text


def _seconds_label(ms: int) -> str:
    """10000 -> "10", 1500 -> "1.5": no float noise, no exponent."""
    return f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=4096)
def _escape(text: str) -> str:
    return escape(text).replace(wording.PERSON_MARK, NAME_SLOT)


def address(ssml: str, person_id: str | None) -> str:
    """Say the recognised speaker's name: the request's personId, checked and escaped, into the name tag.
    Without a valid personId the tag is dropped (the coach only names a person who was recognised)."""
    tag = ""
    if person_id and PERSON_ID.fullmatch(person_id):
        tag = f'<alexa:name type="first" personId={quoteattr(person_id)}/>'
    return ssml.replace(NAME_SLOT, tag)


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


def render_text(segments: Iterable[Segment], content: Content, variant: int = 0) -> str:
    """Plain text with pauses shown as "[10 s]": for transcripts, cards and the terminal chat."""
    return " ".join(
        f"[{_seconds_label(p)} s]" if isinstance(p, int) else p.replace(wording.PERSON_MARK, wording.NAME_SHOWN)
        for p in _pieces(segments, content, variant)
    )


def render_ssml(segments: Iterable[Segment], content: Content, variant: int = 0) -> str:
    """'<speak>...</speak>' with every piece of text escaped, so any input yields valid SSML."""
    body = " ".join(
        _breaks(p) if isinstance(p, int) else _escape(p) for p in _pieces(segments, content, variant)
    )
    return f"<speak>{body}</speak>"


def estimate_seconds(segments: Iterable[Segment], content: Content, variant: int = 0) -> float:
    """Rough speaking time: pauses plus words at ~2.6 words/s (Alexa's default rate, ~155 wpm)."""
    words = 0
    pause_ms = 0
    for piece in _pieces(segments, content, variant):
        if isinstance(piece, int):
            pause_ms += piece
        else:
            words += len(piece.split())
    return pause_ms / 1000 + words / WORDS_PER_SECOND


def render_checked(segments: Iterable[Segment], content: Content, variant: int = 0) -> str:
    """render_ssml and check_limits in one pass over the segments: what a live turn uses."""
    pieces = list(_pieces(segments, content, variant))
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


@cache
def estimator(content: Content) -> Estimator:
    """How long segments take to say in this locale (one function per locale, so the coach's caches hit).

    The coach asks about the same few chunks (a paced set, a rest countdown) over and over, so answers
    are cached by the segments (tuples of frozen values; anything unhashable is worked out afresh)."""

    @lru_cache(maxsize=4096)
    def cached(segments: tuple[Segment, ...]) -> float:
        return estimate_seconds(segments, content)

    def estimate(segments: Sequence[Segment]) -> float:
        try:
            return cached(tuple(segments))
        except TypeError:  # a segment that cannot be hashed
            return estimate_seconds(segments, content)

    return estimate
