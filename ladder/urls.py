from django.urls import path

from . import version_views, views

app_name = "ladder"

# "-" starts no ladder slug or track key, so the version pages never shadow a track's map.
urlpatterns = [
    path("", views.level_map, name="default"),
    path("import/", views.ladder_upload, name="upload"),
    path("<slug:slug>/", views.level_map, name="ladder"),
    path("<slug:slug>/export.yaml", views.ladder_export, name="export"),
    path("<slug:slug>/-/versions/", version_views.ladder_history, name="history"),
    path("<slug:slug>/-/versions/compare/", version_views.version_diff, name="version_diff"),
    path("<slug:slug>/<slug:track_key>/", views.level_map, name="map"),
    path("<slug:slug>/<slug:track_key>/diff/", views.level_diff, name="diff"),
]
