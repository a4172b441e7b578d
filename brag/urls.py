from django.urls import path

from . import export_views, goal_views, recognition_views, views

app_name = "brag"

urlpatterns = [
    path("", views.brag_list, name="list"),
    path("add/", views.brag_add, name="add"),
    path("quantify/", views.quantify_hint, name="quantify"),
    path("export.md", export_views.export_markdown, name="export"),
    path("print/", export_views.print_page, name="print"),
    path("<int:pk>/", views.brag_detail, name="detail"),
    path("<int:pk>/edit/", views.brag_edit, name="edit"),
    path("<int:pk>/delete/", views.brag_delete, name="delete"),
    path("<int:pk>/undo/", views.brag_undo, name="undo"),
    path("<int:pk>/recognise/", recognition_views.recognise, name="recognise"),
    path("goals/add/", goal_views.goal_add, name="goal_add"),
    path("goals/<int:pk>/toggle/", goal_views.goal_toggle, name="goal_toggle"),
    path("goals/<int:pk>/delete/", goal_views.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/undo/", goal_views.goal_undo, name="goal_undo"),
    path("people/<int:person_id>/", views.person_brag, name="person"),
    path("people/<int:person_id>/export.md", export_views.export_markdown, name="person_export"),
    path("people/<int:person_id>/print/", export_views.print_page, name="person_print"),
]
