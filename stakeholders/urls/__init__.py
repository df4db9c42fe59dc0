from django.urls import include, path

from ..views import profile

app_name = "stakeholders"

urlpatterns = [
    path("accounts/profile/", profile.profile, name="profile"),
    path("", include("stakeholders.urls.organizations")),
    path("", include("stakeholders.urls.alliances")),
]
