"""Every 403 and 404 answer is logged with method, path (never the query string), who and from
where; other answers are not."""

import logging

from django.urls import reverse

from reviews.note_services import create_note

LOGGER = "careerladder.audit"
ADDRESS = {"REMOTE_ADDR": "203.0.113.9"}


def _denied(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == LOGGER and record.getMessage().startswith("denied")
    ]


def test_someone_elses_note_is_a_logged_404(client, cast, caplog):
    note = create_note(cast.owner, cast.manager, title="T", body="B")
    client.force_login(cast.teammate)
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()

    response = client.get(note.get_absolute_url(), {"token": "s3cr3t"}, **ADDRESS)

    assert response.status_code == 404
    assert _denied(caplog) == [
        f"denied status=404 method=GET path='/reviews/notes/{note.pk}/' "
        f"user={cast.teammate.pk} address=203.0.113.9"
    ]
    assert "s3cr3t" not in caplog.text


def test_a_denied_page_is_a_logged_403(client, cast, caplog):
    client.force_login(cast.owner)
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()

    response = client.post(reverse("ladder:upload"), {}, **ADDRESS)

    assert response.status_code == 403
    assert _denied(caplog) == [
        f"denied status=403 method=POST path='/ladder/import/' user={cast.owner.pk} "
        "address=203.0.113.9"
    ]


def test_an_anonymous_404_is_logged_without_a_user(client, db, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()

    response = client.get("/no-such-page/?reset=abc", **ADDRESS)

    assert response.status_code == 404
    assert _denied(caplog) == [
        "denied status=404 method=GET path='/no-such-page/' user=- address=203.0.113.9"
    ]


def test_the_audit_page_refused_to_non_staff_is_logged(client, cast, caplog):
    client.force_login(cast.manager)
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()

    client.get(reverse("audit:trail"), **ADDRESS)

    assert len(_denied(caplog)) == 1


def test_answers_that_are_not_denials_are_not_logged(client, cast, caplog):
    client.force_login(cast.owner)
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()

    assert client.get("/", **ADDRESS).status_code == 200
    assert client.get("/reviews/", **ADDRESS).status_code == 200

    assert _denied(caplog) == []
