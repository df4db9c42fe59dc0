from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import dashboard, views

# The admin signs in through allauth: the same rate limits and two-factor step as the portal.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("VPI Portal administration")
admin.site.site_title = _("VPI Portal admin")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("countries/", include("countries.urls")),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    # Before the includes without a prefix, which every later address is tried against.
    path("events/", include("events.urls")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("my-work/", views.my_work, name="my_work"),
    path("search/", views.search, name="search"),
    path("", include("stakeholders.urls")),
    path("", include("roadmaps.urls")),
    path("", include("consultations.urls")),
    path("", include("groups.urls")),
    path("", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    # Before allauth's addresses: a person's data pages live under accounts/ too.
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
