from django.urls import path

from . import team_views

app_name = "teams"

urlpatterns = [
    path("<int:team_id>/", team_views.team_page, name="team"),
    path("<int:team_id>/glue.csv", team_views.team_csv, name="csv"),
]
