"""Words and screens: the coach's keyed lines in a locale's words, as SSML, cards and APL.

`content` loads the per-locale TOML files (every word lives there), `wording`
turns one line into words (Babel's CLDR rules in `language` for plurals, lists
and units), `speech` renders SSML within Alexa's limits and estimates speaking
time, `render` makes a turn's rendered reply, `apl` the screen. Nothing here
knows ask-sdk or Redis.
"""
