from django.urls import path

from . import views

app_name = "portability"

urlpatterns = [
    path("my-data.json", views.my_data, name="my_data"),
]
