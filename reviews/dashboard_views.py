"""The manager's dashboard: the home for reviews of the people I manage."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from careerladder.feedback import announce
from careerladder.typing import AuthenticatedRequest

from .dashboard import COLUMNS, open_cycle, parse_sort, report_rows, sort_rows
from .packet_models import PromotionRound

PAGE = "reviews/dashboard.html"


@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """My reports, sortable by every column (`?sort=gaps`, `?sort=-last_entry`): bookmarkable."""
    cycle = open_cycle()
    key, descending = parse_sort(request.GET.get("sort"))
    rows = sort_rows(report_rows(request.user, cycle), key, descending)
    columns = [
        {
            "key": column,
            "label": label,
            "sorted": column == key,
            "descending": column == key and descending,
            # A click on the sorted column turns it around; on another, sorts by it ascending.
            "next": f"-{column}" if column == key and not descending else column,
        }
        for column, (label, _) in COLUMNS.items()
    ]
    context: dict[str, Any] = {"cycle": cycle, "rows": rows, "columns": columns, "sort": key}
    if (
        request.htmx
        and request.htmx.target == "reports"
        and not request.htmx.history_restore_request
    ):
        # The heading link pressed is swapped out with the table: focus goes to its new self.
        context["focus_sorted"] = True
        label = COLUMNS[key][0]
        said = f"Sorted by {label.lower()}, {'descending' if descending else 'ascending'}."
        return announce(render(request, f"{PAGE}#reports", context), said)
    context["rounds"] = PromotionRound.objects.filter(deciders=request.user).select_related("cycle")
    return render(request, PAGE, context)
