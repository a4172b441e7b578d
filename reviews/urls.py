from django.urls import path

from . import standing_views, views

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
]
