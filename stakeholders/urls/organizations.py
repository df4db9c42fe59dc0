# Organizations: registration, profile, people, invitations, directory and vetting.
from django.urls import path

from ..views import invitations, organizations, vetting

urlpatterns = [
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path("organizations/mine/", organizations.organization_mine, name="organization_mine"),
    path(
        "organizations/<slug:slug>/", organizations.organization_detail, name="organization_detail"
    ),
    path(
        "organizations/<slug:slug>/edit/", organizations.organization_edit, name="organization_edit"
    ),
    path(
        "organizations/<slug:slug>/review/",
        organizations.organization_review_request,
        name="organization_request_review",
    ),
    path(
        "organizations/<slug:slug>/leave/",
        organizations.organization_leave,
        name="organization_leave",
    ),
    path(
        "organizations/<slug:slug>/people/",
        organizations.organization_people,
        name="organization_people",
    ),
    path(
        "organizations/<slug:slug>/people/export.csv",
        organizations.organization_people_export,
        name="organization_people_export",
    ),
    path(
        "organizations/<slug:slug>/people/invite/",
        invitations.organization_invite,
        name="organization_invite",
    ),
    path(
        "organizations/<slug:slug>/people/<int:member_id>/role/",
        organizations.organization_member_role,
        name="organization_member_role",
    ),
    path(
        "organizations/<slug:slug>/people/<int:member_id>/remove/",
        organizations.organization_member_remove,
        name="organization_member_remove",
    ),
    path(
        "organizations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation_accept"),
    path("vetting/", vetting.vetting_queue, name="vetting_queue"),
    path("vetting/<slug:slug>/", vetting.vetting_detail, name="vetting_detail"),
]
