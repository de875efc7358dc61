"""Word tables the resolver uses to read typed text the way Alexa hears speech.

Kept apart from the matching logic so adding a phrasing never touches the
algorithm. Every phrase here is in canonical form (see `canonical` in
`resolver`): lowercase, contractions contracted ("i'm", "don't", "what's").
"""

from __future__ import annotations

from skill.alexa import intents as i

# Canonical form -> the typed or spoken variants that mean it ("ill go" is "i'll go").
_VARIANTS: dict[str, tuple[str, ...]] = {
    "i'll": ("i will", "ill"),
    "i'm": ("i am", "im"),
    "i'd": ("i would", "id"),
    "i have": ("i've", "ive"),
    "don't": ("do not", "dont"),
    "doesn't": ("does not", "doesnt"),
    "didn't": ("did not", "didnt"),
    "isn't": ("is not", "isnt"),
    "haven't": ("have not", "havent"),
    "can't": ("cannot", "can not", "cant"),
    "what's": ("what is", "whats"),
    "that's": ("that is", "thats"),
    "there's": ("there is", "theres"),
    "let's": ("let us", "lets"),
    "today's": ("todays",),
    "want to": ("wanna",),
    "okay": ("ok",),
    "never mind": ("nevermind",),
}
CONTRACTIONS: dict[str, str] = {variant: form for form, variants in _VARIANTS.items() for variant in variants}

# Amazon's own phrasings for the built-ins: a device knows these without samples.
_BUILT_INS: dict[str, tuple[str, ...]] = {
    i.STOP: ("stop", "stop it", "quit", "shut up", "be quiet"),
    i.CANCEL: ("cancel", "cancel that", "never mind", "forget it"),
    i.HELP: ("help", "help me", "what can i say", "what do i say", "what can i do"),
    i.NEXT: ("next", "next one", "skip forward"),  # "skip" is SkipIntent's own sample
    i.REPEAT: ("repeat", "repeat that", "say that again", "say again", "again", "come again", "pardon"),
    i.START_OVER: ("start over", "restart", "start again", "begin again", "from the top"),
    i.PREVIOUS: ("previous", "go back", "back", "previous one", "back up"),
    i.PAUSE: ("pause", "pause that"),  # "wait" is TakeABreakIntent's
    i.RESUME: ("resume", "continue", "unpause", "keep going"),
    i.YES: ("yes", "yeah", "yep", "yup", "sure", "okay", "correct", "of course", "absolutely", "yes please"),
    i.NO: ("no", "nope", "nah", "no way", "not really"),
    i.NAVIGATE_HOME: ("home", "go home", "go to home", "main menu"),
}
BUILT_IN_PHRASES: dict[str, str] = {phrase: intent for intent, said in _BUILT_INS.items() for phrase in said}

# "Alexa, exit" ends the session without an intent (a SessionEndedRequest).
SESSION_END_PHRASES: frozenset[str] = frozenset({"exit", "exit skill", "exit the skill"})

# "<verb> <invocation>" opens the skill; "<verb> <invocation> <connector> X" is a one-shot.
_VERBS = "open launch start begin load run play use ask tell resume"
LAUNCH_VERBS: tuple[str, ...] = ("talk to", *_VERBS.split(" "))
CONNECTORS: frozenset[str] = frozenset({"to", "for", "about", "if", "whether", "that", "and"})
# "X using <invocation>" is a one-shot too.
SUFFIX_CONNECTORS: tuple[str, ...] = ("using", "with", "from")
# Words a one-shot may lead with that the samples leave out ("for the next exercise").
LEADING_ARTICLES: frozenset[str] = frozenset({"the", "a", "an", "my"})
# Words before a slot value that entity resolution sees past ("a TRX", "two dumbbells").
VALUE_PREFIXES: tuple[str, ...] = ("a pair of", "a", "an", "the", "my", "some", "any", "two")
# Politeness a device ignores.
FILLERS: frozenset[str] = frozenset({"please", "alexa"})
