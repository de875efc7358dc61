"""Turn typed text into what Alexa would send: the utterance resolver for the chat and browser simulators."""

from simulator.resolver import Resolution, ResolvedSlot, Resolver

__all__ = ["Resolution", "ResolvedSlot", "Resolver"]
