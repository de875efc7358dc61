"""Thin ask-sdk handlers: request -> coach event -> one store turn -> response.

Registration order is priority (see `build_skill`). Handlers know ask-sdk and
the store; the coach knows neither. The locale's content is picked once per
request by `LocaleInterceptor`, so no handler branches on locale.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa import identity, intents, responses, session, timers, turns
from skill.alexa.api import ApiObserver
from skill.coach import workout
from skill.coach.events import Kind
from skill.coach.reply import Reply, line
from skill.store import AlreadyApplied, Store, StoreBusy, StoreUnavailable, keys
from skill.voice import content, render
from skill.voice.wording import stable_hash

log = logging.getLogger(__name__)
CONTENT_ATTRIBUTE = "content"  # request attribute: the locale's content, set by LocaleInterceptor


@dataclass(frozen=True)
class Context:
    """What every handler needs: the store, the clock, the pepper for user ids, and who to tell
    how a failed turn ended ("store_unavailable", "store_busy", "error"; the webhook counts them)."""

    store: Store
    clock: Callable[[], float] = time.time
    pepper: bytes = keys.DEFAULT_PEPPER
    observe: Callable[[str], None] = lambda outcome: None
    observe_api: ApiObserver = lambda api, kind: None  # an Alexa API call failed (the webhook counts them)


def user_hash(handler_input: HandlerInput, context: Context) -> str:
    return identity.account_hash(handler_input.request_envelope, context.pepper)


def content_for(handler_input: HandlerInput) -> content.Content:
    """The request locale's content (the interceptor's pick; looked up here if it did not run)."""
    picked = handler_input.attributes_manager.request_attributes.get(CONTENT_ATTRIBUTE)
    return picked or content.for_locale(handler_input.request_envelope.request.locale)


def render_for(handler_input: HandlerInput, reply: Reply, now: float = 0.0) -> str:
    variant = stable_hash(handler_input.request_envelope.request.request_id or "")
    return render.render(reply, content_for(handler_input), variant, now)


def respond(handler_input: HandlerInput, rendered: str) -> Response:
    person = identity.person_id(handler_input.request_envelope)
    return responses.build(handler_input, rendered, content_for(handler_input), person)


TURN_TYPES = ("LaunchRequest", "IntentRequest", "Alexa.Presentation.APL.UserEvent")


class WorkoutTurnHandler(AbstractRequestHandler):
    """Launch, every intent and a screen's events: one pure workout step inside one store turn, then the
    timer it asks for (only when this request computed it, never for a replay)."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_request_type(kind)(handler_input) for kind in TURN_TYPES)

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope = handler_input.request_envelope
        now = self.context.clock()
        words = content_for(handler_input)
        event = turns.event_for(envelope, now, words)
        pepper = self.context.pepper
        turn = turns.for_request(envelope, event, words, lambda reply: render_for(handler_input, reply, now), pepper,
                                 self.context.observe_api)
        known = None
        try:
            turned = self.context.store.run(
                user_hash(handler_input, self.context), envelope.request.request_id, turn.compute,
                unconfirmed=session.unconfirmed(handler_input, pepper), person=identity.person_hash(envelope, pepper),
                known=session.known_state(handler_input))
            rendered, known = turned.reply, turned.known
        except AlreadyApplied as applied:  # a replay whose reply is no longer kept: where the runner is
            where = workout.step(applied.state, replace(event, kind=Kind.PROGRESS))
            rendered = render_for(handler_input, where.reply, now)
        if turn.computed is not None and turn.computed == rendered:
            timers.carry_out(envelope, responses.timer_order(rendered), self.context.observe_api)
        session.remember_reply(handler_input, rendered, pepper)  # for "repeat", without another store read
        session.remember_state(handler_input, known, pepper)  # the next turn in the session: one round trip
        return respond(handler_input, rendered)


class LocaleInterceptor(AbstractRequestInterceptor):
    """Picks the content for the request's locale (the closest published one) once per request."""

    def process(self, handler_input: HandlerInput) -> None:
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        handler_input.attributes_manager.request_attributes[CONTENT_ATTRIBUTE] = content.for_locale(locale)


class OwnAttributesOnly(AbstractRequestInterceptor):
    """Session attributes come back in every response: keep only ours (an intact sealed reply), so a
    request can neither make us carry what it made up nor swell a reply past Alexa's 24 KB."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def process(self, handler_input: HandlerInput) -> None:
        session.keep_only_ours(handler_input, self.context.pepper)


class RepeatHandler(AbstractRequestHandler):
    """"Repeat that": the last reply of this session, from the session attributes; no Redis needed.

    The attribute is sealed with an HMAC so a forged session cannot make us speak its own SSML;
    an unsealed or missing one falls through to the workout ("here's where you are").
    """

    def __init__(self, context: Context) -> None:
        self.context = context

    def _last_reply(self, handler_input: HandlerInput) -> str | None:
        return session.last_reply(handler_input, self.context.pepper)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        """Not while a turn is in doubt (the workout turn finds out whether the runner missed a reply), nor
        while that reply still coaches a set ("repeat" then breaks the set off, so the workout hears it)."""
        if not is_intent_name(intents.REPEAT)(handler_input):
            return False
        last = self._last_reply(handler_input)
        return (last is not None and self.context.clock() >= responses.coaching_until(last)
                and not session.unconfirmed(handler_input, self.context.pepper))

    def handle(self, handler_input: HandlerInput) -> Response:
        return respond(handler_input, self._last_reply(handler_input) or "")


class SkillDisabledHandler(AbstractRequestHandler):
    """The runner disabled the skill: forget everything we stored for the account, every voice profile's too."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        uid_hash = user_hash(handler_input, self.context)
        try:
            self.context.store.forget(uid_hash)
        except StoreUnavailable:
            # Alexa sends this event once: leave the operator what they need to finish the job by hand
            # (the HMAC, never the user id).
            log.error("skill disabled but Redis is unavailable: delete keys hc:{%s}:* by hand", uid_hash)
            raise
        except StoreBusy:
            log.error("skill disabled but voice profiles kept appearing: delete keys hc:{%s}:* by hand", uid_hash)
            raise
        log.info("skill disabled: runner's data deleted")
        return handler_input.response_builder.response


class QuietHandler(AbstractRequestHandler):
    """SessionEndedRequest and request types we don't use: an empty response, as Alexa expects."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if is_request_type("SessionEndedRequest")(handler_input):
            log.info("session ended: %s", getattr(request.reason, "value", request.reason))
        return handler_input.response_builder.response


class StoreTroubleHandler(AbstractExceptionHandler):
    """Redis down, slow or contended: say so, keep the session open, write nothing."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StoreUnavailable | StoreBusy)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        key = "busy_try_again" if isinstance(exception, StoreBusy) else "store_unavailable"
        if isinstance(exception, StoreUnavailable) and exception.in_doubt:
            session.add_unconfirmed(handler_input, self.context.pepper)  # the next turn asks what happened
        log.warning("turn not applied: %s (%s)", key, exception)
        self.context.observe("store_busy" if isinstance(exception, StoreBusy) else "store_unavailable")
        reply = Reply((line(key),), (line(key),))
        return respond(handler_input, render_for(handler_input, reply))


class LastResortHandler(AbstractExceptionHandler):
    """Anything else is our bug: log it (no request body), apologise, keep the session open."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("unhandled error in a turn")
        self.context.observe("error")
        reply = Reply((line("something_went_wrong"),), (line("something_went_wrong"),))
        return respond(handler_input, render_for(handler_input, reply))


def build_skill(context: Context) -> CustomSkill:
    builder = SkillBuilder()
    builder.add_global_request_interceptor(LocaleInterceptor())
    builder.add_global_request_interceptor(OwnAttributesOnly(context))
    builder.add_request_handler(RepeatHandler(context))
    builder.add_request_handler(WorkoutTurnHandler(context))
    builder.add_request_handler(SkillDisabledHandler(context))
    builder.add_request_handler(QuietHandler())
    builder.add_exception_handler(StoreTroubleHandler(context))
    builder.add_exception_handler(LastResortHandler(context))
    return builder.create()
