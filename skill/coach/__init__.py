"""The pure workout: programme facts, plans, pacing, state and the state machine. No words.

`workout.step(state, event) -> Outcome` is the whole interface: the new state and a
`Reply` of keyed lines (`reply.Line(key, params)`) that `skill.voice` puts into words.
Nothing here imports Flask, ask-sdk, redis, Babel or the content (import-linter
checks it in `make test`), so its tests need nothing but Python.
"""
