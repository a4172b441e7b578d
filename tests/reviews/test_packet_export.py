"""The packet as Markdown, section by section in the guide's outline, and the print page; what
each reader gets of it."""

import datetime as dt

import pytest
from django.urls import reverse

from brag.models import GlueKind
from ladder.models import Level
from reviews.packet_models import PacketProject, PromotionPacket
from reviews.packet_services import share_summary, start_packet, submit_packet

from ..factories import BragEntryFactory

HEADER = """\
# Promotion Packet — Owner — Review Q4 2026

- Current level: Mid (L3)
- Target level: Senior (L4)
- Track: Individual contributor
- Status: Draft
"""

PROJECTS = """\
## Projects

### 1. Payments retry service (14 Aug 2026)

- Projects
- My role: Designed the retry queue;
  led two engineers through the rollout.
- Impact: Recovered payments from 61% to 84%.
- Ladder dimensions: Scope, Autonomy

- **What was the measurable impact? (If you can’t measure it, figure out how)**
  23 points more payments recovered.
- **Who benefited besides you? (Your team? Other teams? Users? The company?)**
  Support: a third fewer tickets.
- **What did you learn that you didn’t know before?**
  _Not answered yet._
- **What would you do differently if you did it again?**
  _Not answered yet._

### 2. Onboarded two new hires (2 Sep 2026)

- Mentoring and Team Building
- Impact: Ramp-up from 8 weeks to 4.

- **What was the measurable impact? (If you can’t measure it, figure out how)**
  _Not answered yet._
- **Who benefited besides you? (Your team? Other teams? Users? The company?)**
  _Not answered yet._
- **What did you learn that you didn’t know before?**
  _Not answered yet._
- **What would you do differently if you did it again?**
  _Not answered yet._
"""

TEXTS = """\
## Influence beyond the team

Led the API guild across 4 teams.

## Mentoring and multiplier effects

_Not written yet._

## Glue work

- Onboarding: 1 (Onboarded two new hires)
- Documentation: 1 (Wrote the on-call runbook)

Rotated the onboarding buddy role.

## Areas of growth

Writing: two RFCs.
"""

MATRIX = """\
## Evidence matrix

### Scope — Met

- Senior (L4) expects: Entire system / service
- Evidence:
  - Payments retry service (14 Aug 2026)

### Autonomy — Gap

- Senior (L4) expects: Self-directed, sets direction for others
- Evidence: none linked yet.
- Why: Needs direction on big bets.
"""

SUMMARY = """\
## Manager’s summary and recommendation

**Recommendation:** Promote

Strong on scope; autonomy is the one gap.
"""


@pytest.fixture
def written(cast, packet):
    dimensions = list(cast.owner.track.ladder.dimensions.filter(key__in=["scope", "autonomy"]))
    retry = BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 8, 14),
        title="Payments retry service",
        role="Designed the retry queue;\nled two engineers through the rollout.",
        impact="Recovered payments from 61% to 84%.",
        dimensions=dimensions,
    )
    hires = BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 9, 2),
        title="Onboarded two new hires",
        category="mentoring",
        impact="Ramp-up from 8 weeks to 4.",
        glue_kind=GlueKind.ONBOARDING,
    )
    BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 7, 1),
        title="Wrote the on-call runbook",
        category="operations",
        glue_kind=GlueKind.DOCUMENTATION,
    )
    PacketProject.objects.create(
        packet=packet,
        entry=retry,
        order=0,
        measurable_impact="23 points more payments recovered.",
        who_benefited="Support: a third fewer tickets.",
    )
    PacketProject.objects.create(packet=packet, entry=hires, order=1)
    PromotionPacket.objects.filter(pk=packet.pk).update(
        influence="Led the API guild across 4 teams.",
        glue_notes="Rotated the onboarding buddy role.",
        growth="Writing: two RFCs.",
        summary="Strong on scope; autonomy is the one gap.",
        recommendation="promote",
    )
    scope = packet.matrix.get(dimension_key="scope")
    scope.status = "met"
    scope.save()
    scope.evidence.set([retry])
    packet.matrix.filter(dimension_key="autonomy").update(
        status="gap", reason="Needs direction on big bets."
    )
    return PromotionPacket.objects.get(pk=packet.pk)


def export(client, user, packet) -> str:
    client.force_login(user)
    response = client.get(reverse("reviews:packet_export", args=[packet.pk]))
    assert response.status_code == 200
    return response.content.decode()


def sections(markdown: str) -> dict[str, str]:
    """`## Title` → the section's text, its heading included."""
    parts = markdown.split("\n## ")
    return {part.split("\n")[0]: "## " + part for part in parts[1:]}


def test_the_manager_downloads_the_whole_packet_section_by_section(client, cast, written):
    markdown = export(client, cast.manager, written)

    assert markdown.startswith(HEADER)
    found = sections(markdown)
    assert list(found) == [
        "Projects",
        "Influence beyond the team",
        "Mentoring and multiplier effects",
        "Glue work",
        "Areas of growth",
        "Evidence matrix",
        "Manager’s summary and recommendation",
    ]
    assert found["Projects"] == PROJECTS
    texts = (
        "Influence beyond the team",
        "Mentoring and multiplier effects",
        "Glue work",
        "Areas of growth",
    )
    assert "\n".join(found[title] for title in texts) == TEXTS
    matrix = found["Evidence matrix"]
    assert matrix.startswith(MATRIX)
    assert "### Ambiguity — No status yet" in matrix
    assert found["Manager’s summary and recommendation"] == SUMMARY


def test_it_downloads_as_a_markdown_file(client, cast, written):
    client.force_login(cast.owner)

    response = client.get(reverse("reviews:packet_export", args=[written.pk]))

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="promotion-packet-owner-review-q4-2026.md"'
    )


def test_the_subject_gets_no_summary_until_it_is_shared(client, cast, written):
    before = export(client, cast.owner, written)

    assert "Manager’s summary" not in before and "Strong on scope" not in before
    assert "Promote" not in before
    assert list(sections(before))[-1] == "Evidence matrix"

    share_summary(written, cast.manager)
    after = export(client, cast.owner, written)

    assert after.endswith(SUMMARY)


def test_the_staff_archetype_is_a_section_of_its_own(client, cast, cycle):
    packet = start_packet(cast.owner, cycle, cast.owner, Level.objects.get(code="L5"))
    PromotionPacket.objects.filter(pk=packet.pk).update(archetype="architect")

    found = sections(export(client, cast.owner, packet))

    assert found["Archetype"] == "## Archetype\n\nArchitect\n"
    assert list(found).index("Archetype") == list(found).index("Areas of growth") + 1


def test_the_decider_reads_the_packet_but_no_brag_entry(client, cast, decider, written):
    submit_ready = PromotionPacket.objects.get(pk=written.pk)
    third = BragEntryFactory(owner=cast.owner, title="Third project")
    PacketProject.objects.create(packet=submit_ready, entry=third, order=2)
    submit_ready.matrix.filter(status="").update(status="met")
    submit_packet(submit_ready, cast.manager)

    markdown = export(client, decider, written)

    assert "- Status: Submitted" in markdown
    assert "### 1. A brag entry you cannot open" in markdown
    assert "Payments retry service" not in markdown and "Third project" not in markdown
    assert "23 points more payments recovered." in markdown  # the packet's own text
    assert "- No glue work in the entries you can read." in markdown
    assert markdown.endswith(SUMMARY)


def test_the_print_page_follows_the_same_outline(client, cast, written):
    client.force_login(cast.manager)

    page = client.get(reverse("reviews:packet_print", args=[written.pk])).text

    headings = [
        "<h2>Projects</h2>",
        "<h2>Influence beyond the team</h2>",
        "<h2>Mentoring and multiplier effects</h2>",
        "<h2>Glue work</h2>",
        "<h2>Areas of growth</h2>",
        "<h2>Evidence matrix</h2>",
        "<h2>Manager’s summary and recommendation</h2>",
    ]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Recovered payments from 61% to 84%." in page
    assert "Strong on scope; autonomy is the one gap." in page
    assert "<nav" not in page


def test_the_print_page_keeps_the_summary_from_the_subject(client, cast, written):
    client.force_login(cast.owner)

    page = client.get(reverse("reviews:packet_print", args=[written.pk])).text

    assert "Strong on scope" not in page and "Recommendation" not in page
    assert "Led the API guild across 4 teams." in page


def test_recognised_glue_work_is_counted_in_the_glue_section(client, cast, packet):
    from brag.recognition import recognise

    from ..factories import BragEntryFactory

    seen = BragEntryFactory(owner=cast.owner, title="Ran onboarding", glue_kind="onboarding")
    BragEntryFactory(owner=cast.owner, title="Wrote the guide", glue_kind="onboarding")
    recognise(seen, cast.manager, "Thank you")
    client.force_login(cast.owner)

    page = client.get(packet.get_absolute_url()).text
    markdown = client.get(f"/reviews/packets/{packet.pk}/export.md").content.decode()

    assert "1 recognised" in page
    assert 'Ran onboarding</a> <span class="muted">(recognised)</span>' in page
    assert "Onboarding: 2, 1 recognised (" in markdown
