from django.urls import path

from . import views

app_name = "ladder"

urlpatterns = [
    path("", views.level_map, name="default"),
    path("import/", views.ladder_upload, name="upload"),
    path("<slug:slug>/", views.level_map, name="ladder"),
    path("<slug:slug>/export.yaml", views.ladder_export, name="export"),
    path("<slug:slug>/<slug:track_key>/", views.level_map, name="map"),
    path("<slug:slug>/<slug:track_key>/diff/", views.level_diff, name="diff"),
]
