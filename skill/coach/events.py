"""What the runner asked for, independent of how it reached us (voice, chat, tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from skill.coach.reply import Estimator, Reply
from skill.coach.state import Schedule, UserState


class Kind(StrEnum):
    LAUNCH = "launch"
    START = "start"
    QUICK_START = "quick_start"
    CHOOSE = "choose"                 # exercise=...
    READY = "ready"                   # "ready", "go", "let's go": start or carry on
    DONE = "done"                     # "done", "I'm done": this set is done; never starts one
    NEXT = "next"                     # AMAZON.NextIntent: the next step (set, or exercise at an introduction)
    NEXT_EXERCISE = "next_exercise"   # "next exercise", "move on"
    SKIP = "skip"                     # "skip", "skip this one": this exercise (a swap on the last one)
    FINISH = "finish"                 # "that's enough for today": end early, record what was done
    REPEAT_SET = "repeat_set"         # "repeat the set": do the last set again
    PROGRESS = "progress"             # questions: they answer and change nothing
    WHATS_NEXT = "whats_next"
    HOW_LONG = "how_long"
    HOW_MANY = "how_many"
    WHICH_LEG = "which_leg"
    WHAT_DO_I_NEED = "what_do_i_need"
    FORM_TIP = "form_tip"
    THANKS = "thanks"
    PAIN = "pain"                     # "my knee hurts", "ouch": stop, safety first
    TAKE_A_BREAK = "take_a_break"     # "hold on", "I need a break": a short pause that keeps the workout
    REPEAT = "repeat"                 # only reaches the workout when no earlier speech is cached
    START_OVER = "start_over"
    GO_BACK = "go_back"
    PAUSE = "pause"
    RESUME = "resume"
    HELP = "help"
    STOP = "stop"
    CANCEL = "cancel"
    NAVIGATE_HOME = "navigate_home"
    FALLBACK = "fallback"
    SET_REST = "set_rest"             # seconds=...
    SHORTER_REST = "shorter_rest"
    LONGER_REST = "longer_rest"
    SELF_PACED = "self_paced"
    GUIDED = "guided"
    HAVE_EQUIPMENT = "have_equipment"        # equipment=...
    MISSING_EQUIPMENT = "missing_equipment"  # equipment=...
    HARDER = "harder"
    EASIER = "easier"
    WEEK_COUNT = "week_count"
    LAST_WORKOUT = "last_workout"
    STREAK = "streak"
    WHY = "why"
    DELETE_DATA = "delete_data"
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"               # a slot Alexa could not resolve; `unclear` names which
    HOW_AM_I_DOING = "how_am_i_doing"  # the last few weeks in a sentence or two (and a card, a chart)
    USE_METRIC = "use_metric"         # "use metres": distances in metres, whatever the device says
    USE_IMPERIAL = "use_imperial"     # "use yards"
    REMIND = "remind"                 # days=..., time=...: asks first, then sets a weekly reminder
    REMINDERS_LIST = "reminders_list"      # "what are my reminders" (api=... carries Alexa's answer)
    REMINDERS_CANCEL = "reminders_cancel"  # "cancel my reminders"
    REMINDER_MOVE = "reminder_move"        # "move it to 8": time=...
    REST_OVER = "rest_over"           # a screen's countdown ended: on as after "ready"
    HEARTBEAT = "heartbeat"           # a screen keeping a hands-free session open


# What a screen's buttons and timers may send (the UserEvent's first argument): each is handled like its voice intent.
SCREEN_KINDS = frozenset({Kind.REST_OVER, Kind.HEARTBEAT, Kind.READY, Kind.DONE, Kind.PAUSE, Kind.SKIP,
                          Kind.FORM_TIP, Kind.EASIER, Kind.HARDER})
TIMERS_GRANTED, TIMERS_MISSING, TIMERS_NONE = "granted", "missing", "none"


@dataclass(frozen=True)
class Device:
    """What the runner's device can do, without a word of the platform: the coach decides with it.

    `screen`: it shows our screen, so a session can stay open without the microphone. `timers`: "granted"
    (the runner allowed this skill's timers), "missing" (the API is there, the permission is not) or "none".
    """

    screen: bool = False
    timers: str = TIMERS_NONE


VOICE_ONLY = Device()


@dataclass(frozen=True)
class ApiResult:
    """How an Alexa API call the coach asked for went: "ok", "no_permission" (the runner has not granted
    it), "failed" (error or timeout: nothing changed) or "unavailable" (no API on this device). `schedules`
    are the reminders Alexa has for us (listed, set or moved); `count` how many were changed."""

    status: str
    schedules: tuple[Schedule, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class Event:
    kind: Kind
    now: float
    new_session: bool = False
    exercise: str | None = None
    equipment: str | None = None
    seconds: int | None = None
    unclear: str | None = None        # "exercise" | "equipment" | "duration" | "days" | "time"
    session: str = ""                 # which conversation it came in (a barge-in is in the one coaching a set)
    days: tuple[str, ...] = ()        # a reminder's weekdays, iCalendar codes in week order ("TU", "TH")
    time: tuple[int, int] | None = None  # a reminder's (hour, minute), the runner's clock
    person: bool = False              # a recognised voice profile is speaking (its own progress)
    persons: int = 0                  # voice profiles with their own progress on this account
    can_remind: bool = False          # the runner granted the reminders permission
    api: ApiResult | None = None      # what an Alexa API said to this turn's effect (`skill.coach.effects`)
    device: Device = VOICE_ONLY
    step: str = ""                    # from a screen: the position it showed (`Screen.step`); "" for voice
    # How long speech takes in the request's locale: the coach fits a set and its rest into one reply
    # with it, so replies are budgeted right in every language without the coach knowing any words.
    estimate: Estimator = field(kw_only=True, compare=False, repr=False)


@dataclass(frozen=True)
class Outcome:
    """The new state and what to say. `forget_user` asks the store to delete this runner's data (a voice
    profile's, or the account's); `forget_everyone` the account's and every voice profile's on it.
    `account` is the account's new state when a voice profile took its progress over (a claim)."""

    state: UserState
    reply: Reply
    forget_user: bool = field(default=False)
    forget_everyone: bool = False
    account: UserState | None = None


Handler = Callable[[UserState, Event], Outcome]
