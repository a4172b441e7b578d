"""The pages the load benchmark drives, with the ids they need, from the seeded database.

    DATABASE_URL=... .venv/bin/python manage.py shell -c "from bench.pages import main; main()"

prints one tab-separated line per page: name, who (engineer, manager or decider), method, the
status every answer must have, path, and the form body of a POST. bin/loadbench reads it. The
people are seed_org's (engineer-0001, manager-001, decider-1) unless BENCH_ENGINEER,
BENCH_MANAGER and BENCH_DECIDER name others (bin/loadbench's stand-in run uses seed_demo's).
Paths come from reverse(), so a renamed route breaks here, loudly, not in a run of 404s.
"""

import os
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from brag.models import BragEntry, Category
from people.models import Membership, User
from reviews.models import ReviewCycle
from reviews.packet_models import PromotionPacket

ENGINEER = "engineer-0001@seed.example"
MANAGER = "manager-001@seed.example"
DECIDER = "decider-1@seed.example"
# The quick-add form's required fields and a realistic rest: what a person types on a Friday.
QUICK_ADD = {
    "title": "Load benchmark: shipped the weekly win",
    "category": Category.PROJECTS,
    "impact": "Cut the review prep from 3 hours to 20 minutes for 8 people",
    "visibility": "managers",
}


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    path: str
    method: str = "GET"
    expect: int = 200
    body: str = ""

    def line(self) -> str:
        return "\t".join([self.name, self.who, self.method, str(self.expect), self.path, self.body])


def search_word(engineer: User, category: str) -> str:
    """A word from one of the engineer's own titles in that category, so the filtered list has
    hits to render (a search that finds nothing would flatter the page)."""
    titles = BragEntry.objects.filter(owner=engineer, category=category).values_list(
        "title", flat=True
    )[:20]
    words = [word for title in titles for word in title.split() if word.isalpha() and len(word) > 3]
    return max(words, key=words.count) if words else "the"


def key_pages(engineer: User, manager: User, decider: User) -> list[Page]:
    track = engineer.track
    if track is None:
        raise SystemExit(f"{engineer.email} has no track: the level pages need one.")
    ladder = track.ladder
    numbers = sorted(ladder.versions.values_list("number", flat=True))
    if len(numbers) < 2:
        raise SystemExit(f"Ladder {ladder.slug} has {len(numbers)} version(s): the diff needs 2.")
    team = Membership.objects.filter(user=engineer).select_related("team").first()
    if team is None:
        raise SystemExit(f"{engineer.email} is in no team.")
    cycle = ReviewCycle.objects.filter(is_open=True, promotion_round__deciders=decider).first()
    if cycle is None:
        raise SystemExit(f"No open cycle has {decider.email} among its round's deciders.")
    packet = PromotionPacket.objects.filter(subject=engineer, cycle=cycle).first()
    if packet is None:
        raise SystemExit(f"{engineer.email} has no packet in {cycle}.")
    category = Category.PROJECTS
    filtered = urlencode({"category": category, "q": search_word(engineer, category)})
    versions = urlencode({"from": numbers[0], "to": numbers[-1]})
    return [
        Page("ping (yardstick)", "engineer", reverse("ping")),
        Page("home", "engineer", reverse("home")),
        Page("home", "manager", reverse("home")),
        Page("brag document, first page", "engineer", reverse("brag:list")),
        Page("brag document, filtered", "engineer", f"{reverse('brag:list')}?{filtered}"),
        Page("level map", "engineer", reverse("ladder:default")),
        Page("level diff", "engineer", reverse("ladder:diff", args=[ladder.slug, track.key])),
        Page(
            "version diff",
            "engineer",
            f"{reverse('ladder:version_diff', args=[ladder.slug])}?{versions}",
        ),
        Page("compare view", "manager", reverse("reviews:standing", args=[engineer.pk])),
        Page("manager dashboard", "manager", reverse("reviews:dashboard")),
        Page("team page", "manager", reverse("teams:team", args=[team.team_id])),
        Page("packet", "manager", reverse("reviews:packet", args=[packet.pk])),
        Page("promotion round", "decider", reverse("reviews:round", args=[cycle.pk])),
        Page("Markdown export", "engineer", reverse("brag:export")),
        # Last: every request adds an entry, which would grow the pages above.
        Page(
            "quick add (POST)", "engineer", reverse("brag:add"), "POST", 200, urlencode(QUICK_ADD)
        ),
    ]


def main() -> None:
    def person(variable: str, default: str) -> User:
        email = os.environ.get(variable) or default
        try:
            return User.objects.get(email=email)
        except User.DoesNotExist:
            raise SystemExit(f"No account {email}: seed the database first.") from None

    engineer = person("BENCH_ENGINEER", ENGINEER)
    pages = key_pages(engineer, person("BENCH_MANAGER", MANAGER), person("BENCH_DECIDER", DECIDER))
    for page in pages:
        print(page.line())
