"""Who reads which brag entry: the access table of DESIGN.md, through one queryset."""

import pytest

from brag.models import BragEntry, Visibility

from ..factories import BragEntryFactory

# visibility -> who may read it, besides the owner
READERS = {
    Visibility.PRIVATE: set(),
    Visibility.MANAGERS: {"manager"},
    Visibility.TEAM: {"manager", "teammate"},
}


@pytest.mark.parametrize("visibility", list(READERS))
@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider", "staff"])
def test_visible_to_follows_the_access_table(cast, visibility, role):
    entry = BragEntryFactory(owner=cast.owner, visibility=visibility)

    visible = BragEntry.objects.visible_to(getattr(cast, role)).filter(pk=entry.pk).exists()

    assert visible == (role == "owner" or role in READERS[visibility])


def test_deleted_entries_are_visible_to_nobody(cast):
    entry = BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM)
    entry.soft_delete()

    for person in (cast.owner, cast.manager, cast.teammate):
        assert not BragEntry.objects.visible_to(person).filter(pk=entry.pk).exists()


def test_only_the_owner_may_edit_even_what_others_can_read(cast):
    entry = BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM)

    assert BragEntry.objects.editable_by(cast.owner).filter(pk=entry.pk).exists()
    for role in ("manager", "teammate", "outsider", "staff"):
        assert not BragEntry.objects.editable_by(getattr(cast, role)).filter(pk=entry.pk).exists()


def test_an_engineer_of_another_team_reads_nothing(cast):
    BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM)

    assert not BragEntry.objects.visible_to(cast.outsider).exists()
