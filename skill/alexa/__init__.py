"""The ask-sdk face: intent and slot names, request -> coach event, handlers, response building.

`handlers.build_skill(context)` is what the webhook invokes. A turn: the
locale's content is picked (an interceptor), the intent becomes a coach
`Event` (`requests`), one store turn runs the pure step and renders its
words, and `responses` builds the ask-sdk Response (plus the APL screen).
"""
