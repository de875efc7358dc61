"""The voice application (no HTTP in here), in four rooms that a turn passes through one way:

    alexa/  the ask-sdk face: intent -> event, handlers, response building
    coach/  the pure workout: programme facts, plan, pacing, state machine; keyed lines, no words
    store/  Redis: key names and the atomic turn
    voice/  words and screens: per-locale content, SSML, cards, APL

import-linter contracts in pyproject.toml keep the rooms apart.
"""
