from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("countries/<str:code>/consultations/", views.consultation_list, name="list"),
    path("countries/<str:code>/consultations/new/", views.consultation_create, name="create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/inputs/", views.input_submit, name="input_submit"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<int:pk>/summary/", views.consultation_summary, name="summary"),
    path(
        "consultations/<int:pk>/summary.csv",
        views.consultation_summary_csv,
        name="summary_csv",
    ),
    path("consultations/<int:pk>/document/", views.consultation_document, name="document"),
    path("inputs/<int:pk>/respond/", views.input_respond, name="input_respond"),
    path("inputs/<int:pk>/attachment/", views.input_attachment, name="input_attachment"),
]
