"""Intent and slot names: the contract between the interaction model and the code.

Every `interaction_models/<locale>.json` must define exactly the custom intents listed
here (a test checks both directions), plus the Amazon built-ins in BUILT_INS.
"""

from __future__ import annotations

# Custom intents -----------------------------------------------------------
START_WORKOUT = "StartWorkoutIntent"          # "start my hamstring workout"
QUICK_WORKOUT = "QuickWorkoutIntent"          # "quick workout": one exercise
CHOOSE_EXERCISE = "ChooseExerciseIntent"      # "do the {exercise}"
READY = "ReadyIntent"                         # "ready", "go", "next set"
DONE = "DoneIntent"                           # "done", "I'm done", "finished": this set
NEXT_EXERCISE = "NextExerciseIntent"          # "next exercise", "move on"
SKIP = "SkipIntent"                           # "skip", "skip this one"
WHATS_NEXT = "WhatsNextIntent"                # "what's next", "what comes next" (a question)
FINISH = "FinishWorkoutIntent"                # "that's enough for today", "finish the workout"
REPEAT_SET = "RepeatSetIntent"                # "repeat the set"
PAIN = "PainIntent"                           # "my knee hurts", "ouch", "I felt a pull"
TAKE_A_BREAK = "TakeABreakIntent"             # "hold on", "I need a break", "wait"
HOW_LONG = "HowLongIntent"                    # "how long is this workout", "how much longer"
HOW_MANY = "HowManyIntent"                    # "how many reps", "how many sets"
WHICH_LEG = "WhichLegIntent"                  # "which leg", "which leg first"
WHAT_DO_I_NEED = "WhatDoINeedIntent"          # "what do I need", "what equipment do I need"
THANKS = "ThanksIntent"                       # "thanks", "thank you"
EXERCISE_NAME = "ExerciseNameIntent"          # just "{exercise}": "TRX runners"
PROGRESS = "ProgressIntent"                   # "what set am I on", "how many sets are left"
FORM_TIP = "FormTipIntent"                    # "form tip", "how do I do this"
SET_REST = "SetRestIntent"                    # "rest ninety seconds" ({duration})
SHORTER_REST = "ShorterRestIntent"            # "shorter rest"
LONGER_REST = "LongerRestIntent"              # "longer rest"
SELF_PACED = "SelfPacedIntent"                # "I'll go at my own pace"
GUIDED_PACE = "GuidedPaceIntent"              # "count the reps for me"
HAVE_EQUIPMENT = "HaveEquipmentIntent"        # "I have dumbbells now" ({equipment})
MISSING_EQUIPMENT = "MissingEquipmentIntent"  # "I don't have a TRX" ({equipment})
HARDER = "MakeItHarderIntent"
EASIER = "MakeItEasierIntent"
WEEK_COUNT = "WeekCountIntent"                # "how many workouts have I done this week"
LAST_WORKOUT = "LastWorkoutIntent"            # "what did I do last time"
STREAK = "StreakIntent"                       # "what's my streak"
WHY_HAMSTRINGS = "WhyHamstringsIntent"        # "why train hamstrings"
DELETE_DATA = "DeleteMyDataIntent"            # "delete my data" (confirmed with yes / no)
HOW_AM_I_DOING = "HowAmIDoingIntent"          # "how am I doing": the last few weeks
USE_METRIC = "UseMetricIntent"                # "use metres"
USE_IMPERIAL = "UseImperialIntent"            # "use yards"
SET_REMINDER = "SetReminderIntent"            # "remind me to train on {day} and {other_day} at {time}"
LIST_REMINDERS = "ListRemindersIntent"        # "what are my reminders"
CANCEL_REMINDERS = "CancelRemindersIntent"    # "cancel my reminders"
MOVE_REMINDER = "MoveReminderIntent"          # "move it to {time}"

CUSTOM: tuple[str, ...] = (
    START_WORKOUT, QUICK_WORKOUT, CHOOSE_EXERCISE, READY, DONE, NEXT_EXERCISE, SKIP, WHATS_NEXT, FINISH,
    REPEAT_SET, PAIN, TAKE_A_BREAK, HOW_LONG, HOW_MANY, WHICH_LEG, WHAT_DO_I_NEED, THANKS, EXERCISE_NAME, PROGRESS,
    FORM_TIP, SET_REST, SHORTER_REST, LONGER_REST, SELF_PACED, GUIDED_PACE,
    HAVE_EQUIPMENT, MISSING_EQUIPMENT, HARDER, EASIER, WEEK_COUNT, LAST_WORKOUT,
    STREAK, WHY_HAMSTRINGS, DELETE_DATA,
    HOW_AM_I_DOING, USE_METRIC, USE_IMPERIAL, SET_REMINDER, LIST_REMINDERS, CANCEL_REMINDERS, MOVE_REMINDER,
)

# Amazon built-ins ---------------------------------------------------------
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
NEXT = "AMAZON.NextIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"
PREVIOUS = "AMAZON.PreviousIntent"
PAUSE = "AMAZON.PauseIntent"
RESUME = "AMAZON.ResumeIntent"
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"

BUILT_INS: tuple[str, ...] = (
    HELP, STOP, CANCEL, FALLBACK, NAVIGATE_HOME, NEXT, REPEAT, START_OVER,
    PREVIOUS, PAUSE, RESUME, YES, NO,
)

# Slots and slot types -------------------------------------------------------
EXERCISE_SLOT = "exercise"            # type ExerciseName, values = catalogue ids
EQUIPMENT_SLOT = "equipment"          # type EquipmentType, values = catalogue.EQUIPMENT ids
DURATION_SLOT = "duration"            # type AMAZON.DURATION (ISO 8601, e.g. PT90S)
EXERCISE_TYPE = "ExerciseName"
EQUIPMENT_TYPE = "EquipmentType"
DAY_SLOT = "day"                      # type Weekday, values = iCalendar day codes (MO ... SU)
OTHER_DAY_SLOT = "other_day"
THIRD_DAY_SLOT = "third_day"
DAY_SLOTS = (DAY_SLOT, OTHER_DAY_SLOT, THIRD_DAY_SLOT)
TIME_SLOT = "time"                    # type AMAZON.TIME ("07:00"; "MO", "EV"... for parts of the day)
WEEKDAY_TYPE = "Weekday"
