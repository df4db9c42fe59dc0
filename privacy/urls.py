"""A person's own data pages. Included without a namespace: the names (``privacy_data``,
``privacy_export``, ``privacy_delete``) are the ones templates and emails have always used."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/data/", views.personal_data, name="privacy_data"),
    path("accounts/data/export.json", views.personal_data_download, name="privacy_export"),
    path("accounts/delete/", views.account_delete_view, name="privacy_delete"),
]
