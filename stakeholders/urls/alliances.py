# Alliances: the alliance page, join requests, the coordinator queue; initiative roles.
from django.urls import path

from ..views import alliances, roles

urlpatterns = [
    # Before "alliances/<code>/": "new" is no country code.
    path("alliances/new/", alliances.alliance_create, name="alliance_create"),
    path("alliances/<str:code>/", alliances.alliance_detail, name="alliance_detail"),
    path("alliances/<str:code>/join/", alliances.alliance_join, name="alliance_join"),
    path(
        "alliances/<str:code>/memberships/<int:pk>/withdraw/",
        alliances.membership_withdraw,
        name="membership_withdraw",
    ),
    path("alliances/<str:code>/requests/", alliances.alliance_requests, name="alliance_requests"),
    path(
        "alliances/<str:code>/requests/<int:pk>/<str:decision>/",
        alliances.membership_decide,
        name="membership_decide",
    ),
    path("alliances/<str:code>/contacts/", alliances.alliance_contacts, name="alliance_contacts"),
    path(
        "alliances/<str:code>/members.csv",
        alliances.alliance_members_export,
        name="alliance_members_export",
    ),
    path("alliances/<str:code>/manage/", alliances.alliance_manage, name="alliance_manage"),
    path(
        "alliances/<str:code>/coordinators/add/",
        alliances.alliance_coordinator_add,
        name="alliance_coordinator_add",
    ),
    path(
        "alliances/<str:code>/coordinators/<int:user_pk>/remove/",
        alliances.alliance_coordinator_remove,
        name="alliance_coordinator_remove",
    ),
    path("countries/<str:code>/roles/", roles.initiative_roles, name="initiative_roles"),
    path(
        "countries/<str:code>/participation/",
        roles.initiative_participation,
        name="initiative_participation",
    ),
    path(
        "countries/<str:code>/roles/<int:pk>/end/",
        roles.initiative_role_end,
        name="initiative_role_end",
    ),
]
