from django.urls import path

from . import (
    dashboard_views,
    note_views,
    packet_edit_views,
    packet_views,
    round_views,
    standing_views,
    views,
)

app_name = "reviews"

urlpatterns = [
    path("", views.reviews_home, name="home"),
    path("cycles/<int:cycle_id>/start/", views.assessment_start, name="start"),
    path("assessments/<int:pk>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("assessments/<int:pk>/share/", views.assessment_share, name="share"),
    path("assessments/<int:pk>/ratings/<int:rating_id>/", views.rating_save, name="rating"),
    path(
        "assessments/<int:pk>/ratings/<int:rating_id>/evidence/",
        views.evidence_picker,
        name="picker",
    ),
    path("people/<int:person_id>/", standing_views.standing_page, name="standing"),
    # Review notes
    path("people/<int:person_id>/notes/", note_views.note_list, name="notes"),
    path("notes/<int:pk>/", note_views.note_page, name="note"),
    path("notes/<int:pk>/share/", note_views.note_share, name="note_share"),
    path("notes/<int:pk>/delete/", note_views.note_delete, name="note_delete"),
    path("notes/<int:pk>/undo/", note_views.note_undo, name="note_undo"),
    path("notes/<int:pk>/history/", note_views.note_history, name="note_history"),
    # Promotion packets
    path("people/<int:person_id>/packets/new/", packet_views.packet_start, name="packet_start"),
    path("packets/<int:pk>/", packet_views.packet_page, name="packet"),
    path(
        "packets/<int:pk>/sections/<slug:section>/",
        packet_edit_views.packet_section,
        name="packet_section",
    ),
    path("packets/<int:pk>/projects/", packet_edit_views.packet_projects, name="packet_projects"),
    path(
        "packets/<int:pk>/matrix/<slug:dimension_key>/",
        packet_edit_views.packet_matrix_row,
        name="packet_matrix",
    ),
    path("packets/<int:pk>/draft/", packet_views.packet_draft, name="packet_draft"),
    path("packets/<int:pk>/share/", packet_views.packet_share, name="packet_share"),
    path("packets/<int:pk>/submit/", packet_views.packet_submit, name="packet_submit"),
    path("packets/<int:pk>/export.md", packet_views.packet_export, name="packet_export"),
    path("packets/<int:pk>/print/", packet_views.packet_print, name="packet_print"),
    # The manager's dashboard and the promotion round
    path("team/", dashboard_views.dashboard, name="dashboard"),
    path("cycles/<int:cycle_id>/round/", round_views.round_page, name="round"),
    path("packets/<int:pk>/decide/", round_views.packet_decide, name="packet_decide"),
]
