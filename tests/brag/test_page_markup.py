"""The brag document's markup holds together: one element per id, every aria-describedby names
an element on the page, the Clear link follows the filters, and the search box says whose
entries it searches."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from ..factories import BragEntryFactory

HTMX_FILTER = {"HX-Request": "true", "HX-Target": "entries"}


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.described_by: set[str] = set()
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids[found["id"] or ""] += 1
        self.described_by.update((found.get("aria-describedby") or "").split())
        if tag == "label" and found.get("for"):
            self.labelled.add(found["for"] or "")


def parsed(html: str) -> Ids:
    ids = Ids()
    ids.feed(html)
    return ids


@pytest.mark.parametrize("editing", [False, True])
def test_every_id_is_unique_and_every_reference_exists(client, cast, editing):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="documentation")
    client.force_login(cast.owner)

    page = client.get("/brag/", {"category": "projects", "q": "build"}).text
    if editing:
        page += client.get(f"/brag/{entry.pk}/edit/", headers={"HX-Request": "true"}).text

    ids = parsed(page)
    if editing:
        ids.ids[f"entry-{entry.pk}"] -= 1  # the editor takes the entry's place
    assert [name for name, count in ids.ids.items() if count > 1] == []
    assert ids.described_by - set(ids.ids) == set()
    assert ids.labelled - set(ids.ids) == set()


def test_a_refused_form_describes_its_fields_by_their_errors(client, cast):
    client.force_login(cast.owner)

    response = client.post("/brag/add/", {"title": "", "category": "nope", "impact": ""})

    ids = parsed(response.text)
    assert {"id_title_error", "id_impact_error", "id_category_error"} <= ids.described_by
    assert ids.described_by - set(ids.ids) == set()


def test_the_glue_kind_is_described_by_its_help(client, cast):
    client.force_login(cast.owner)

    page = client.get("/brag/").text

    assert 'aria-describedby="id_glue_kind_helptext"' in page
    assert '<span class="help" id="id_glue_kind_helptext">Onboarding, docs' in page


def test_the_filters_have_their_own_ids(client, cast):
    client.force_login(cast.owner)

    page = client.get("/brag/").text

    assert (
        'id="filter_category"' in page
        and '<label class="visually-hidden" for="filter_category">' in page
    )
    assert 'hx-trigger="change, input from:#filter_q delay:400ms, submit"' in page
    assert page.count('id="id_category"') == 1  # quick add's


def test_the_clear_link_comes_and_goes_with_the_filters(client, cast):
    client.force_login(cast.owner)

    unfiltered = client.get("/brag/").text
    filtered = client.get("/brag/", {"glue": "any"}, headers=HTMX_FILTER).text
    cleared = client.get("/brag/", {"glue": ""}, headers=HTMX_FILTER).text

    assert '<span id="clear-filters"></span>' in unfiltered
    assert '<span id="clear-filters" hx-swap-oob="true"><a href="?"' in filtered
    assert '<span id="clear-filters" hx-swap-oob="true"></span>' in cleared
    assert "Clear</a>" in client.get("/brag/", {"glue": "any"}).text


def test_the_clear_link_follows_the_filters_on_a_teammates_page(client, cast):
    client.force_login(cast.manager)

    filtered = client.get(f"/brag/people/{cast.owner.pk}/", {"q": "x"}, headers=HTMX_FILTER)

    assert '<span id="clear-filters" hx-swap-oob="true"><a href="?"' in filtered.text


def test_my_search_box_searches_my_entries(client, cast):
    client.force_login(cast.owner)

    assert 'placeholder="Search my entries"' in client.get("/brag/").text


def test_on_someone_elses_document_the_search_box_names_them(client, cast):
    client.force_login(cast.manager)

    page = client.get(f"/brag/people/{cast.owner.pk}/").text

    assert "Search my entries" not in page
    assert f'placeholder="Search {cast.owner.display_name}’s entries"' in page
