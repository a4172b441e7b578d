"""The reviews fixtures (a cycle, a packet, a decider), for the audit tests."""

from ..reviews.conftest import cycle, decider, packet, rate_all, second_manager

__all__ = ["cycle", "decider", "packet", "rate_all", "second_manager"]
