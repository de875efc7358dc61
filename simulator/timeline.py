"""One conversation in device time: when each line is said, and whether the skill hears it at all.

The terminal chat's model of an Echo (simulator/echo.py has the numbers): a
reply plays, the microphone stays open ~8 s, the reprompt plays, ~8 s more,
then the session closes and only "Alexa, tell/ask hamstring coach ..." (a
line naming the skill) reaches it. A scripted line "[wait 90]" lets 90 s pass
before the next line; "[barge 30]" makes the next line interrupt the last
reply 30 s into it. Without either, a line is said ~2 s after the reply ends.
The first line is heard as if the runner had just opened the skill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simulator.echo import MIC_OPEN_SECONDS, REACTION_SECONDS, Clock, Listening

DIRECTIVE = re.compile(r"^\[(wait|barge)\s+(\d+(?:\.\d+)?)\s*s?\]$", re.IGNORECASE)


def clock_label(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


@dataclass
class Timeline:
    """Device time for one runner: the clock the skill reads, and the microphone after each reply."""

    clock: Clock
    origin: float = 0.0
    listening: Listening | None = None
    barge_after: float | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.origin = self.origin or self.clock()

    def at(self) -> str:
        return clock_label(self.clock() - self.origin)

    def directive(self, line: str) -> bool:
        """Apply "[wait N]" or "[barge N]"; False when the line is something to say."""
        found = DIRECTIVE.match(line.strip())
        if not found:
            return False
        amount = float(found.group(2))
        if found.group(1).lower() == "wait":
            self.clock.advance(amount)
        else:
            self.barge_after = amount
        return True

    def speak(self, names_the_skill: bool, session_open: bool) -> tuple[bool, bool]:
        """The runner says a line now: (does the skill hear it, did the session time out before it)."""
        listening, timed_out = self.listening, False
        if self.barge_after is not None and listening is not None and session_open:
            self.clock.now = min(listening.started + self.barge_after, listening.opens)
            self.notes.append(f"({self.at()}: you barge in while the reply is still playing)")
        elif listening is not None and session_open:
            now = self.clock()
            if now > listening.opens + MIC_OPEN_SECONDS:
                self.notes.append(f"({clock_label(listening.opens + MIC_OPEN_SECONDS - self.origin)}: "
                                  "nothing said for 8 s, so Alexa plays the reprompt)")
            if now > listening.closes:
                timed_out = True
                self.notes.append(f"({clock_label(listening.closes - self.origin)}: nobody answered, "
                                  "so the session closed)")
        self.barge_after = None
        first = listening is None  # the chat starts as if the runner had just opened the skill
        heard = names_the_skill or first or (session_open and not timed_out)
        if not heard:
            self.notes.append(f'({self.at()}: not heard: the session is closed. Say "Alexa, tell hamstring coach '
                              '..." to come back)')
        return heard, timed_out

    def replied(self, seconds: float, reprompt_seconds: float, open_session: bool) -> None:
        """A reply started now and plays `seconds`; the runner answers shortly after it ends."""
        started = self.clock()
        opens = started + seconds
        closes = opens + MIC_OPEN_SECONDS + reprompt_seconds + MIC_OPEN_SECONDS if open_session else opens
        self.listening = Listening(started, opens, closes)
        self.clock.now = opens + REACTION_SECONDS

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes
