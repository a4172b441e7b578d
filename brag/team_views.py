"""The team page: who carries the glue, by kind and by quarter, and its CSV for managers. The
figures and who may see which come from `glue_figures`; these views only choose and render."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from careerladder.text import form_errors_text
from careerladder.typing import AuthenticatedRequest

from .glue_figures import team_and_role, team_figures
from .models import brag_owners_visible_to

if TYPE_CHECKING:
    from people.models import Team
from .team_forms import TeamRangeForm

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _team_or_404(request: AuthenticatedRequest, team_id: int) -> tuple[Team, str]:
    found = team_and_role(request.user, team_id)
    if found is None:
        raise Http404
    return found


@require_GET
def team_page(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    team, role = _team_or_404(request, team_id)
    form = TeamRangeForm(request.GET)
    if not form.is_valid():
        context = {"team": team, "form": form, "figures": None}
        return render(request, "brag/team.html", context, status=400)
    today = request.user.local_today()
    figures = team_figures(request.user, team, role, form.quarters(today), today)
    return render(
        request,
        "brag/team.html",
        {
            "team": team,
            "form": form,
            "figures": figures,
            "chart": bar_chart(figures.chart_series()),
            # Whose brag document the viewer may open from the members list.
            "documents": set(
                brag_owners_visible_to(request.user)
                .exclude(pk=request.user.pk)
                .values_list("pk", flat=True)
            ),
            "query": request.GET.urlencode(),
        },
    )


def _cell(value: object) -> object:
    """Neutralise spreadsheet formula injection: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@require_GET
def team_csv(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    team, role = _team_or_404(request, team_id)
    form = TeamRangeForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "Bad range: " + form_errors_text(form),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    today = request.user.local_today()
    figures = team_figures(request.user, team, role, form.quarters(today), today)
    if not figures.is_manager:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{team.slug}-glue.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["person", "email", "quarter", "entries", "glue entries"]
        + [label for _, label in figures.kinds]
    )
    for row in figures.csv_rows():
        writer.writerow([_cell(value) for value in row])
    return response


# The chart: one horizontal stacked bar per person (or series) and quarter.
CHART_WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 640, 220, 18, 8


def bar_chart(series: list[Any]) -> dict[str, Any]:
    """Geometry for the stacked bars: glue first, then the other entries, scaled to the
    longest bar. The table beside it carries the same numbers."""
    longest = max((glue + other for _, bars in series for _, glue, other in bars), default=0)
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / longest if longest else 0
    rows, y = [], GAP
    for label, bars in series:
        for quarter, glue, other in bars:
            glue_width = round(glue * scale, 1)
            rows.append(
                {
                    "label": f"{label} · {quarter.label}",
                    "who": label,
                    "quarter": quarter.label,
                    "y": y,
                    "text_y": y + BAR_HEIGHT - 4,
                    "glue": glue,
                    "other": other,
                    "glue_width": glue_width,
                    "other_x": LABEL_WIDTH + glue_width,
                    "other_width": round(other * scale, 1),
                    "total_x": LABEL_WIDTH + glue_width + round(other * scale, 1) + 4,
                }
            )
            y += BAR_HEIGHT + GAP
    return {
        "width": CHART_WIDTH,
        "height": y,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "rows": rows,
    }
