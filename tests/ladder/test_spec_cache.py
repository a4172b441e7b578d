"""A ladder version's content never changes, so it is parsed once per process: every reader of
the version (the round, the compare view, packets, history) shares one LadderSpec, and none of
them changes it."""

import threading

import pytest
from django.urls import reverse

from ladder.models import PARSED_SPECS, Expectation, LadderVersion, VersionSource
from ladder.services import record_version
from ladder.spec import LadderSpec, ParsedSpecs

from ..factories import UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    PARSED_SPECS.clear()
    yield
    PARSED_SPECS.clear()


def test_every_read_of_a_version_shares_one_parse(default_ladder):
    first = LadderVersion.objects.get(ladder=default_ladder)
    second = LadderVersion.objects.get(ladder=default_ladder)

    assert first.spec is second.spec
    assert first.spec == LadderSpec.from_content(first.content)


def test_a_parsed_version_is_read_without_its_content(default_ladder, django_assert_num_queries):
    LadderVersion.objects.get(ladder=default_ladder).spec  # noqa: B018 (parses it)
    version = LadderVersion.objects.defer("content").get(ladder=default_ladder)

    with django_assert_num_queries(0):
        assert [d.key for d in version.spec.dimensions][:1] == ["scope"]


def test_an_unparsed_version_with_its_content_deferred_loads_it(
    default_ladder, django_assert_num_queries
):
    version = LadderVersion.objects.defer("content").get(ladder=default_ladder)

    with django_assert_num_queries(1):
        spec = version.spec

    assert spec == LadderSpec.from_content(LadderVersion.objects.get(pk=version.pk).content)


def test_an_unrecorded_version_is_parsed_from_its_own_content(default_ladder):
    recorded = LadderVersion.objects.get(ladder=default_ladder)
    content = {**recorded.content, "name": "Draft ladder"}
    draft = LadderVersion(ladder=default_ladder, number=99, content=content)

    assert draft.spec.name == "Draft ladder"
    assert recorded.spec.name != "Draft ladder"
    assert len(PARSED_SPECS) == 1  # the recorded one only


def test_other_content_under_a_key_used_before_is_parsed_again(default_ladder):
    """A test database rolled back gives an id again, to other content: its hash differs."""
    recorded = LadderVersion.objects.get(ladder=default_ladder)
    other = LadderVersion(
        pk=recorded.pk,
        ladder=default_ladder,
        number=recorded.number,
        content={**recorded.content, "name": "Another ladder"},
        content_hash="0" * 64,
    )
    other._state.db = recorded._state.db  # as if read from the same database

    assert recorded.spec.name == recorded.content["name"] != "Another ladder"
    assert other.spec.name == "Another ladder"


def test_each_version_has_its_own_spec(default_ladder):
    expectation = Expectation.objects.filter(level__track__ladder=default_ladder).first()
    Expectation.objects.filter(pk=expectation.pk).update(summary="A new expectation")
    record_version(default_ladder, via=VersionSource.ADMIN)
    old, new = LadderVersion.objects.filter(ladder=default_ladder).order_by("number")

    summaries = [
        [e.summary for t in v.spec.tracks for lv in t.levels for e in lv.expectations.values()]
        for v in (old, new)
    ]

    assert "A new expectation" in summaries[1] and "A new expectation" not in summaries[0]


def test_readers_leave_the_shared_spec_as_it_was(client, default_ladder):
    expectation = Expectation.objects.filter(level__track__ladder=default_ladder).first()
    Expectation.objects.filter(pk=expectation.pk).update(summary="A new expectation")
    record_version(default_ladder, via=VersionSource.ADMIN)
    client.force_login(UserFactory())
    slug = default_ladder.slug

    responses = [
        client.get(reverse("ladder:version_diff", args=[slug]), {"from": 1, "to": 2}),
        client.get(reverse("ladder:ladder", args=[slug]), {"version": 1}),
        client.get(reverse("ladder:export", args=[slug]), {"version": 1}),
        client.get(reverse("ladder:history", args=[slug])),
    ]

    assert [response.status_code for response in responses] == [200] * 4
    assert len(PARSED_SPECS) >= 1
    for version in LadderVersion.objects.filter(ladder=default_ladder):
        assert version.spec.to_content() == LadderSpec.from_content(version.content).to_content()


# The store itself


CONTENT = {"name": "Tiny", "slug": "tiny", "dimensions": [{"key": "scope", "name": "Scope"}]}


def test_the_store_parses_once_per_key():
    store = ParsedSpecs(size=4)
    asked = []

    def content() -> dict:
        asked.append(1)
        return CONTENT

    first, again = store.get("a", content), store.get("a", content)

    assert first is again and len(asked) == 1
    assert first.dimensions[0].name == "Scope"


def test_the_store_forgets_the_least_recently_read_beyond_its_size():
    store = ParsedSpecs(size=2)
    a = store.get("a", lambda: CONTENT)
    store.get("b", lambda: CONTENT)
    store.get("a", lambda: CONTENT)  # read again: "b" is now the oldest
    store.get("c", lambda: CONTENT)

    assert len(store) == 2
    assert store.get("a", lambda: pytest.fail("parsed again")) is a
    assert store.get("b", lambda: {**CONTENT, "name": "Again"}).name == "Again"


def test_threads_that_miss_together_get_one_spec():
    store = ParsedSpecs(size=4)
    start = threading.Barrier(8)
    found: list[LadderSpec] = []

    def read() -> None:
        start.wait()
        found.append(store.get("a", lambda: CONTENT))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(found) == 8 and all(spec is found[0] for spec in found)
    assert len(store) == 1
