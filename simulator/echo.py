"""How a real Echo times a conversation, for the chat, the crawler and the tests.

After a reply has played, the microphone stays open about 8 s; then the
reprompt plays once and it listens about 8 s more; then the session closes
(SessionEndedRequest, EXCEEDED_MAX_REPROMPTS) and only "Alexa, tell/ask
hamstring coach ..." reaches the skill. A reply plays for as long as its words
take at Alexa's pace plus its breaks. `Clock` is a clock the simulation moves,
handed to the app as its CLOCK so the skill sees the same time the device does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MIC_OPEN_SECONDS = 8.0       # listening after a reply, and again after the reprompt
REACTION_SECONDS = 2.0       # a runner answers about this long after a reply ends
WORDS_PER_SECOND = 2.6       # Alexa's default voice, about 155 words a minute
_BREAK = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')
_TAG = re.compile(r"<[^>]*>")


def play_seconds(ssml: str | None) -> float:
    """How long an SSML reply plays: its words at Alexa's pace, plus its breaks."""
    if not ssml:
        return 0.0
    pauses = sum(float(amount) / (1000 if unit == "ms" else 1) for amount, unit in _BREAK.findall(ssml))
    words = html.unescape(_TAG.sub(" ", ssml)).split()
    return pauses + len(words) / WORDS_PER_SECOND


@dataclass
class Clock:
    """A clock the simulation moves by hand; the app reads it as its CLOCK."""

    now: float

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


@dataclass(frozen=True)
class Listening:
    """When the microphone is open after one reply: from `opens` (the reply has played) to `closes`."""

    started: float      # the reply began playing
    opens: float        # the reply has finished
    closes: float       # the session closes if nothing is said by then (inf: it stays open)

    @classmethod
    def after(cls, started: float, ssml: str | None, reprompt: str | None, *, open_session: bool) -> Listening:
        opens = started + play_seconds(ssml)
        if not open_session:
            return cls(started, opens, opens)
        return cls(started, opens, opens + MIC_OPEN_SECONDS + play_seconds(reprompt) + MIC_OPEN_SECONDS)

    def heard_reprompt(self, at: float) -> bool:
        return at > self.opens + MIC_OPEN_SECONDS
