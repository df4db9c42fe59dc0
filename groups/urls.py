from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("countries/<str:code>/groups/", views.group_list, name="list"),
    path("countries/<str:code>/groups/new/", views.group_create, name="create"),
    path("groups/mine/", views.my_groups, name="mine"),
    path("groups/<int:pk>/", views.group_detail, name="detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="edit"),
    path("groups/<int:pk>/members/", views.group_members, name="members"),
    path("groups/<int:pk>/members/expert/", views.member_add_expert, name="add_expert"),
    path("groups/<int:pk>/members/invite/", views.member_invite, name="invite"),
    path("groups/<int:pk>/join/", views.group_join, name="join"),
    path("groups/<int:pk>/invitation/", views.invitation_answer, name="invitation"),
    path("groups/<int:pk>/leave/", views.group_leave, name="leave"),
    path("groups/<int:pk>/threads/new/", views.thread_create, name="thread_create"),
    path("group-members/<int:pk>/decide/", views.member_decide, name="decide"),
    path("group-members/<int:pk>/remove/", views.member_remove, name="remove"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.reply_create, name="reply"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/hide/", views.reply_hide, name="reply_hide"),
    path("replies/<int:pk>/history/", views.reply_history, name="reply_history"),
    path("replies/<int:pk>/attachment/", views.reply_attachment, name="reply_attachment"),
    path("threads/<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/vote/", views.vote, name="vote"),
    path("proposals/<int:pk>/outcome/", views.outcome_edit, name="outcome"),
    path("proposals/<int:pk>/outcome/publish/", views.outcome_publish, name="outcome_publish"),
    path(
        "proposals/<int:pk>/outcome/milestone/", views.outcome_milestone, name="outcome_milestone"
    ),
    path("votes/<int:pk>/respond/", views.objection_respond, name="objection_respond"),
]
