"""A brag entry deleted long ago is purged, unless a promotion packet keeps it as a project."""

import datetime as dt

from django.utils import timezone

from brag.models import BragEntry, purge_deleted
from reviews.models import PacketProject

from ..factories import BragEntryFactory


def test_purge_keeps_an_entry_a_packet_uses_and_removes_the_rest(cast, packet):
    used, unused = BragEntryFactory(owner=cast.owner), BragEntryFactory(owner=cast.owner)
    PacketProject.objects.create(packet=packet, entry=used)
    long_ago = timezone.now() - dt.timedelta(days=90)
    BragEntry.objects.filter(pk__in=[used.pk, unused.pk]).update(deleted_at=long_ago)

    assert purge_deleted() == (1, 0)

    assert BragEntry.objects.filter(pk=used.pk).exists()
    assert not BragEntry.objects.filter(pk=unused.pk).exists()


def test_staff_delete_a_person_whose_packet_has_projects(admin_client, cast, packet):
    PacketProject.objects.create(packet=packet, entry=BragEntryFactory(owner=cast.owner))

    response = admin_client.post(f"/admin/people/user/{cast.owner.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not BragEntry.objects.filter(owner_id=cast.owner.pk).exists()
