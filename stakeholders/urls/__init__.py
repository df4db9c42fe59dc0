from django.urls import include, path

from ..views import profile, sessions

app_name = "stakeholders"

urlpatterns = [
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/session/keep/", sessions.session_keepalive, name="session_keepalive"),
    path("accounts/session/resume/", sessions.resume_form, name="resume_form"),
    path("", include("stakeholders.urls.organizations")),
    path("", include("stakeholders.urls.alliances")),
]
