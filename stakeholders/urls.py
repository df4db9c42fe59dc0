from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
]
