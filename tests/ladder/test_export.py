"""Downloading a ladder as YAML from the level map."""

import pytest

from ladder.ladder_file import parse_ladder
from ladder.services import export_ladder_yaml


def test_anonymous_visitors_are_sent_to_sign_in(client, default_ladder):
    assert client.get("/ladder/engineering/export.yaml").status_code == 302


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_everyone_signed_in_downloads_the_ladder(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get("/ladder/engineering/export.yaml")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="engineering.yaml"'
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    spec = parse_ladder(response.content.decode())
    assert response.content.decode() == export_ladder_yaml(cast.owner.track.ladder)
    assert [level.code for level in spec.tracks[0].levels] == ["L1-L2", "L3", "L4", "L5", "L6+"]


def test_an_unknown_ladder_is_not_found(client, cast):
    client.force_login(cast.owner)

    assert client.get("/ladder/nope/export.yaml").status_code == 404
