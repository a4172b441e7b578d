"""Evidence on ratings, in one place: which entries an author may attach, and how many attached
entries the author can no longer see.

An entry attached as evidence stays attached when its owner later makes it private or deletes
it into the undo bin: the author's next save must not drop it for good, and it shows again as
evidence as soon as its owner shares or restores it. Until then the author reads only
"1 entry you cannot see" where the evidence is listed, never its title or anything else."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from brag.models import BragEntry
from people.models import User

from .models import Assessment, Rating


def evidence_choices(assessment: Assessment) -> QuerySet[BragEntry]:
    """The subject's entries that the author may read: the only ones that can be attached."""
    return BragEntry.objects.visible_to(assessment.author).filter(owner=assessment.subject)


def hidden_evidence_ids(rating: Rating) -> list[int]:
    """The entries attached to the rating that its author cannot read any more: a save keeps
    them, whatever the form posted."""
    readable = evidence_choices(rating.assessment).values("pk")
    through = Rating.evidence.through.objects.filter(rating_id=rating.pk)
    return list(through.exclude(bragentry_id__in=readable).values_list("bragentry_id", flat=True))


def count_hidden_evidence(ratings: Iterable[Rating], assessment: Assessment, viewer: User) -> None:
    """Set `hidden_evidence` on each rating: how many of its entries the viewer cannot see,
    for all the ratings in one query.

    Only the assessment's author is told. They could read every entry they attached when they
    attached it (that is all `evidence_choices` offers), so the count tells them nothing but
    that its owner has hidden it since: that much the author may know, and it keeps them from
    thinking their evidence was lost. Anyone else reading the assessment sees only the entries
    they may read, as before: a self-assessment may carry the engineer's private entries, and
    a count would tell their manager that private entries exist."""
    ratings = list(ratings)
    for rating in ratings:
        rating.hidden_evidence = 0  # type: ignore[attr-defined]
    if viewer.pk != assessment.author_id or not ratings:
        return
    readable = evidence_choices(assessment).values("pk")
    counts = {
        row["rating_id"]: row["hidden"]
        for row in Rating.evidence.through.objects.filter(
            rating_id__in=[rating.pk for rating in ratings]
        )
        .exclude(bragentry_id__in=readable)
        .values("rating_id")
        .annotate(hidden=Count("pk"))
    }
    for rating in ratings:
        rating.hidden_evidence = counts.get(rating.pk, 0)  # type: ignore[attr-defined]
