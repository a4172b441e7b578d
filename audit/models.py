"""What the audit trail follows. Every history table and its migrations live in this app, so that
the audited apps stay as they are: they do not know they are audited.

For each model: the fields whose values the history keeps, and the fields followed by name only
(`names_only`, see audit/history.py): private text is never copied into a history table."""

from __future__ import annotations

import simple_history

from ladder.models import LadderVersion
from people.models import LevelChange, Membership, User
from reviews.models import (
    Assessment,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
    Rating,
    ReviewNote,
)

from .history import AuditedChange, AuditedRecords

__all__ = ["AuditedChange"]


def _audit(model: type, **options: object) -> None:
    simple_history.register(model, app="audit", records_class=AuditedRecords, **options)


# Reviews: states, levels and who; the texts by name only.
_audit(Assessment, quiet=["updated"])
_audit(Rating, names_only=["comment"], quiet=["updated"], m2m_fields=["evidence"])
_audit(
    ReviewNote,
    names_only=["title", "body"],
    # body_html is the body rendered: a copy of the text, and its change is the body's.
    excluded_fields=["body_html"],
    quiet=["updated", "version"],
    actor="updated_by",
)
_audit(
    PromotionPacket,
    names_only=["influence", "mentoring", "glue_notes", "growth", "summary"],
    quiet=["updated", "version"],
)
# The reason and the named gaps (each with "what would close it") are the deciders' words.
_audit(PromotionDecision, names_only=["reason", "gaps"], actor="decided_by")
# Who was named a decider, and when: naming oneself is how staff come to read packets.
_audit(PromotionRound, m2m_fields=["deciders"])

# The ladder: a version never changes; its content is public and large, and stays on the version.
_audit(LadderVersion, excluded_fields=["content", "counts"], actor="created_by")

# People: teams and roles, levels, and the flags that grant access.
_audit(Membership)
_audit(LevelChange, names_only=["reason"])
_audit(
    User,
    # Followed by name: a changed address or name is worth knowing, its value is not ours to copy.
    names_only=["email", "name"],
    # Secrets, and what changes on its own (sign-ins, reminders) or is a personal preference.
    excluded_fields=[
        "password",
        "last_login",
        "last_reminded_on",
        "date_joined",
        "time_zone",
        "weekly_reminder",
    ],
)
