from django.urls import path

from . import version_views, views

app_name = "ladder"

# "-" starts no ladder slug or track key (KEY_REGEX), so the "-" pages never shadow a ladder or a
# track's map. "-/format/" comes before "<slug:slug>/<slug:track_key>/", which would take it for
# the track "format" of a ladder "-" and answer 404.
urlpatterns = [
    path("", views.level_map, name="default"),
    path("import/", views.ladder_upload, name="upload"),
    path("-/format/", views.ladder_format, name="format"),
    path("<slug:slug>/", views.level_map, name="ladder"),
    path("<slug:slug>/export.yaml", views.ladder_export, name="export"),
    path("<slug:slug>/-/versions/", version_views.ladder_history, name="history"),
    path("<slug:slug>/-/versions/compare/", version_views.version_diff, name="version_diff"),
    path("<slug:slug>/<slug:track_key>/", views.level_map, name="map"),
    path("<slug:slug>/<slug:track_key>/diff/", views.level_diff, name="diff"),
]
