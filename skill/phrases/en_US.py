"""Everything the coach says in en-US, in one place: key -> variants (str.format templates).

Variants keep the coach from sounding canned; `skill.speech` picks one per
turn. Keep replies short and actionable: the runner is on the floor.
"""

from __future__ import annotations

PHRASES: dict[str, tuple[str, ...]] = {
    # Opening and closing
    "welcome": ('Welcome to Hamstring Coach. Say "start my hamstring workout" to begin.',),
    "welcome_returning": (
        'Welcome back to Hamstring Coach. Say "start my hamstring workout" when you\'re ready.',
        'Good to have you back. Say "start my hamstring workout" to begin.',
    ),
    "welcome_back": ("Welcome back.",),
    "ask_resume": ('Say "continue" to carry on, or "start over".', 'Want to carry on? Say "continue" or "start over".'),
    "picking_up": ("Picking up where you left off.",),
    "fresh_start": ("Okay, a fresh workout.",),
    "goodbye": ("Okay. See you next time.", "Bye for now. Keep those hamstrings strong."),
    "stopped_saved": ("Saved your progress.",),
    "how_to_come_back": ('Say "Alexa, ask hamstring coach to continue" when you\'re ready.',),
    "paused": ('Paused, and your progress is saved. Say "Alexa, ask hamstring coach to resume" when you\'re ready.',),
    # Planning and introducing
    "plan_today": ("Today: {names}. About {minutes} minutes.",),
    "exercise_intro": ("{name}. You'll need {equipment}.",),
    "exercise_intro_first": ("First, {name}. You'll need {equipment}.",),
    "next_up": ("Next up.",),
    "dose": ("{sets} sets of {amount}.",),
    "say_ready_to_start": ('Say "ready" when you\'re in position.',),
    "swapped_out": ("I've left out {name} because you don't have {equipment}.",),
    "needs_equipment": ('{name} needs {equipment}. If you have it, say "I have {equipment}".',),
    "switching_to": ("Switching to {name}.",),
    "starting_over": ("Starting over from the top.",),
    "going_back": ("Going back.",),
    "at_the_start": ("You're already at the very start.",),
    "that_was_the_last": ("That was the last exercise.",),
    "no_workout": ('You don\'t have a workout going. Say "start my hamstring workout" to begin.',),
    "no_workout_starting": ("You don't have a workout going, so here's today's.",),
    # Sets, reps and rest
    "set_start": ("Set {number}. Here we go.", "Set {number}. Let's go."),
    "set_start_side": ("Set {number}. {side} leg first.",),  # {side} arrives capitalised where a sentence starts
    "set_start_side_standing": ("Set {number}. Stand on your {side} leg first.",),
    "side_start_standing": ("Now stand on your {side} leg.",),
    "side_start": ("{side} leg.", "{side} leg now."),
    "side_short": ("{side}.",),
    "switch_legs": ("Switch legs.", "Change legs."),
    "rep": ("{number}.",),
    "slower": ("slower.", "slowly."),
    "set_done": ("Set {number} done.", "That's set {number}."),
    "set_start_distance": (
        'Set {number}: {amount}. Walk it out at your own pace. When you finish, say "Alexa, tell hamstring coach '
        'done".',
    ),
    "set_start_self": ("Set {number}: {amount}, at your own pace.",),
    "say_ready_to_carry_on": ('Say "ready" to carry on.',),
    "set_not_counted": ("You stopped during set {number}, so it doesn't count: you'll do it again.",),
    "rest_start": ("Rest {seconds} seconds.", "Good work. Rest {seconds} seconds."),
    "rest_self_timed": ('Rest {seconds} seconds, then say "Alexa, tell hamstring coach ready".',),
    "rest_while_setting_up": ("Rest about {seconds} seconds while you set up.",),
    "seconds_left": ("{seconds} seconds.",),
    "count": ("{number}.",),
    "ready_for_set": ('Say "ready" for set {number}.',),
    "exercise_done": ("That's {name} done.", "{name}, done."),
    "workout_complete": ("Workout complete, great work! That's {workouts} this week.",),
    # Prompts (also the reprompts)
    "prompt_start": ('Say "start my hamstring workout" to begin.',),
    "prompt_ready_for_set": ('Say "ready" for set {number}.',),
    "prompt_carry_on": ('Say "done" when you finish, or "ready" to carry on.',),
    "prompt_resume": ('Say "resume" to carry on.',),
    # Where you are
    "progress": ("Set {number} of {total} of {name}.",),
    "sets_after_this_last": ("After this one, {sets}, and the workout is done.",),
    "last_set_of_workout": ("It's the last set of the workout.",),
    "sets_after_this_then": ("After this one, {sets}, then {name}.",),
    "last_set_then": ("It's the last one, then {name}.",),
    "form_intro": ("Form for {name}:",),
    "form_no_workout": (
        'Start a workout and ask me for a form tip during any exercise. Say "start my hamstring workout".',
    ),
    "harder_variant": ("{text}",),
    # Settings
    "rest_now": ("Rest is now {seconds} seconds.",),
    "pace_self": ('Okay, at your own pace: I\'ll give the cues and you say "done" after each set.',),
    "pace_guided": ("Okay, I'll count the reps for you.",),
    "equipment_have": ("Got it, you have {equipment}.",),
    "equipment_missing": ("Got it, you don't have {equipment}.",),  # "a TRX": "no a TRX" is not English
    "level_easier": ("Okay, easier: the bottom of the ranges.",),
    "level_standard": ("Okay, back to the standard ranges.",),
    "level_harder": ("Okay, harder: the top of the ranges.",),
    "dose_now": ("{name} is now {sets} sets of {amount}.",),
    # History and background
    "week_count": ("You've done {workouts} this week.",),
    "no_history": ("You haven't finished a workout with me yet.",),
    "last_workout": ("Last time, {when}, you did {names}: {sets} in all.",),
    "streak": ("Your streak is {days}.",),
    "why_hamstrings": (
        "Hamstrings are the most powerful leg muscle for runners: they transfer power between the knees "
        "and hips and drive you forward. They're often weak next to the quads, and strengthening them "
        "helps prevent knee injuries and strains, and lifts your speed.",
    ),
    # Help, fallback, questions
    "help_idle": (
        "I coach you through a hamstring workout for runners, one or two exercises a day. "
        'Say "start my hamstring workout", "quick workout", or "do the Swiss ball curls".',
    ),
    "help_in_workout": (
        'Say "ready" to go, "form tip" for how to do it, "what set am I on", "next exercise", '
        '"rest ninety seconds", "pause", or "stop".',
    ),
    "fallback": ("Sorry, I can't help with that. I can coach your hamstring workout.",),
    "yes_without_question": ("Okay.",),
    "no_without_question": ("Okay.",),
    "nothing_to_repeat": ("There's nothing to repeat yet.",),
    "unclear_exercise": (
        "I didn't catch which exercise. Try inchworms, hamstring runners, Swiss ball curls, "
        "dumbbell R D Ls or eccentric curls.",
    ),
    "unclear_equipment": ("I didn't catch which equipment. Try a TRX, a stability ball, dumbbells or a partner.",),
    "unclear_duration": ('How long should you rest? Say, for example, "rest ninety seconds".',),
    # Your data
    "confirm_delete": ("Delete your workout history and settings? Say yes or no.",),
    "data_deleted": ("Done. Everything I stored about you is deleted.",),
    "data_kept": ("Okay, nothing deleted.",),
    # Screens (APL): shown, not spoken; the first variant is used
    "screen_progress": ("Set {number} of {total}",),
    "screen_intro": ('Get in position, then say "ready".',),
    "screen_in_set": ('In the set: say "done" when you finish, or "ready" to carry on.',),
    "screen_resting": ('Rest, then say "ready" for set {number}.',),
    "screen_paused": ('Paused. Say "resume" to carry on.',),
    # Trouble
    "store_unavailable": ("Sorry, I can't reach your workout right now. Please try again in a moment.",),
    "busy_try_again": ("Sorry, I missed that. Please say it again.",),
    "something_went_wrong": ("Sorry, something went wrong. Please try again.",),
}
