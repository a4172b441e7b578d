"""What an in-page (HTMX) action tells the person: one visible, announced line.

The page's live region (base.html, `#announcer`) shows the text and screen readers read it out;
static/js/app.js listens for the event. Where keyboard focus goes is said in the fragment itself:
the element carrying `data-focus-here` gets it once the swap has settled."""

from django.http import HttpResponse
from django_htmx.http import trigger_client_event

ANNOUNCE_EVENT = "announce"


def announce[R: HttpResponse](response: R, message: str) -> R:
    """Show and announce `message` after this HTMX response has been swapped in."""
    return trigger_client_event(response, ANNOUNCE_EVENT, {"message": message}, after="settle")
