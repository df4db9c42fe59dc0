from django.urls import path

from .views import milestones, opendata, roadmaps

app_name = "roadmaps"

urlpatterns = [
    # A country's roadmap, its versions and its open data.
    path("countries/<str:code>/roadmap/", roadmaps.country_roadmap, name="country_roadmap"),
    path(
        "countries/<str:code>/roadmap/v<int:version>/",
        roadmaps.roadmap_version,
        name="roadmap_version",
    ),
    path("countries/<str:code>/roadmap/new/", roadmaps.roadmap_create, name="roadmap_create"),
    path("countries/<str:code>/roadmap.csv", opendata.roadmap_csv, name="roadmap_csv"),
    path("countries/<str:code>/roadmap.json", opendata.roadmap_json, name="roadmap_json"),
    # Co-creation: drafting, consultation, adoption, revision.
    path("roadmaps/<int:pk>/edit/", roadmaps.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:pk>/priorities/new/", roadmaps.priority_create, name="priority_create"),
    path(
        "roadmaps/<int:pk>/consultation/",
        roadmaps.roadmap_open_consultation,
        name="roadmap_open_consultation",
    ),
    path("roadmaps/<int:pk>/adopt/", roadmaps.roadmap_adopt, name="roadmap_adopt"),
    path("roadmaps/<int:pk>/cosign/", roadmaps.roadmap_cosign, name="roadmap_cosign"),
    path(
        "roadmaps/<int:pk>/consultation/deadline/",
        roadmaps.consultation_deadline,
        name="consultation_deadline",
    ),
    path(
        "roadmaps/<int:pk>/consultation/waive/",
        roadmaps.consultation_waive,
        name="consultation_waive",
    ),
    path(
        "roadmaps/objections/<int:pk>/answer/",
        roadmaps.objection_respond,
        name="objection_respond",
    ),
    path("roadmaps/<int:pk>/revise/", roadmaps.roadmap_start_revision, name="roadmap_revise"),
    path("priorities/<int:pk>/edit/", roadmaps.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/delete/", roadmaps.priority_delete, name="priority_delete"),
    path("priorities/<int:pk>/move/", roadmaps.priority_move, name="priority_move"),
    path("priorities/<int:pk>/milestones/new/", roadmaps.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", roadmaps.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", roadmaps.milestone_delete, name="milestone_delete"),
    path("milestones/<int:pk>/move/", roadmaps.milestone_move, name="milestone_move"),
    # Progress, assessments, comments, evidence.
    path("milestones/<int:pk>/", milestones.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/report/", milestones.milestone_report, name="milestone_report"),
    path("updates/<int:pk>/assess/", milestones.update_assess, name="update_assess"),
    path(
        "assessments/<int:pk>/respond/",
        milestones.assessment_respond,
        name="assessment_respond",
    ),
    path(
        "roadmaps/<int:pk>/comments/",
        milestones.comment_post,
        {"target": "roadmap"},
        name="roadmap_comment",
    ),
    path(
        "priorities/<int:pk>/comments/",
        milestones.comment_post,
        {"target": "priority"},
        name="priority_comment",
    ),
    path(
        "milestones/<int:pk>/comments/",
        milestones.comment_post,
        {"target": "milestone"},
        name="milestone_comment",
    ),
    path("comments/<int:pk>/respond/", milestones.comment_respond, name="comment_respond"),
    path("comments/<int:pk>/hide/", milestones.comment_hide, name="comment_hide"),
    path("evidence/<int:pk>/", milestones.evidence_download, name="evidence_download"),
]
