import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from roadmaps import services
from roadmaps.models import (
    Comment,
    Evidence,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)
from roadmaps.uploads import check_upload
from tests.roadmaps.factories import (
    PDF_BYTES,
    CommentFactory,
    MilestoneFactory,
    PriorityFactory,
    agreed,
    in_days,
)

pytestmark = pytest.mark.django_db


def pdf(name="report.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF_BYTES))


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Co-creation ---------------------------------------------------------------------------


def test_the_roadmap_goes_from_draft_to_consultation_to_adoption(world, mailoutbox):
    focal = world["focal_point"]
    roadmap = services.roadmap_create(
        initiative=world.kenya_initiative, actor=focal, title="Roadmap of Kenya"
    )
    priority = services.priority_create(
        roadmap=roadmap, actor=focal, title="Protect victims", proposed_by="civil_society"
    )
    services.milestone_create(priority=priority, actor=focal, title="Shelter standards")
    services.roadmap_open_consultation(roadmap=roadmap, actor=focal, closes_on=in_days(14))
    comment = services.comment_post(
        actor=world["org_admin"], body="Add a budget line.", priority=priority
    )

    with pytest.raises(ValidationError, match="1 comment"):
        services.roadmap_adopt(roadmap=roadmap, actor=focal)

    services.comment_respond(comment=comment, actor=focal, response="Added to milestone 1.")
    agreed(roadmap, world["coordinator"])
    adopted = services.roadmap_adopt(roadmap=roadmap, actor=focal)

    assert adopted.status == RoadmapStatus.ADOPTED
    assert adopted.adopted_by == focal
    assert adopted.adopted_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="roadmap.adopted", actor=focal).exists()


def test_a_comment_without_a_response_blocks_adoption_but_a_hidden_one_does_not(world):
    roadmap = CommentFactory(roadmap__initiative=world.kenya_initiative).roadmap
    PriorityFactory(roadmap=roadmap)
    with pytest.raises(ValidationError, match="waits for a response"):
        services.roadmap_adopt(roadmap=roadmap, actor=world["focal_point"])
    services.comment_hide(comment=roadmap.comments.get(), actor=world["staff"], reason="Spam")
    agreed(roadmap, world["coordinator"])
    assert services.roadmap_adopt(roadmap=roadmap, actor=world["focal_point"]).is_published


def test_a_response_must_give_reasons(world):
    comment = CommentFactory(roadmap__initiative=world.kenya_initiative)
    with pytest.raises(ValidationError, match="reasoned response"):
        services.comment_respond(comment=comment, actor=world["focal_point"], response="  ")
    comment.refresh_from_db()
    assert comment.responded_at is None


def test_an_adopted_version_is_frozen(adopted, world):
    priority = adopted.priorities.get()
    focal = world["focal_point"]
    with pytest.raises(ValidationError, match="frozen"):
        services.priority_create(roadmap=adopted, actor=focal, title="Late idea")
    with pytest.raises(ValidationError, match="frozen"):
        services.milestone_create(priority=priority, actor=focal, title="Late milestone")
    with pytest.raises(ValidationError, match="frozen"):
        services.milestone_edit(milestone=priority.milestones.get(), actor=focal, title="New")
    assert adopted.priorities.count() == 1


def test_a_revision_copies_the_adopted_version_which_stays_until_the_revision_is_adopted(
    adopted, world
):
    focal = world["focal_point"]
    milestone = adopted.priorities.get().milestones.get()
    services.milestone_report_progress(
        milestone=milestone, actor=focal, status="in_progress", progress=40, narrative="Halfway."
    )
    revision = services.roadmap_start_revision(roadmap=adopted, actor=focal)

    assert revision.version == 2
    assert revision.status == RoadmapStatus.DRAFT
    copy = revision.priorities.get().milestones.get()
    assert (copy.title, copy.progress, copy.copied_from) == (milestone.title, 40, milestone)
    with pytest.raises(ValidationError, match="already being drafted"):
        services.roadmap_start_revision(roadmap=adopted, actor=focal)

    services.roadmap_open_consultation(roadmap=revision, actor=focal, closes_on=in_days(14))
    agreed(revision, world["coordinator"])
    services.roadmap_adopt(roadmap=revision, actor=focal)
    adopted.refresh_from_db()
    assert adopted.status == RoadmapStatus.ARCHIVED
    assert adopted.is_published  # still readable at its own address


def test_priorities_move_up_and_down(draft, world):
    focal = world["focal_point"]
    second = services.priority_create(roadmap=draft, actor=focal, title="Second")
    first = draft.priorities.get(title="Draft priority")
    services.priority_move(priority=second, actor=focal, direction="up")
    assert list(draft.priorities.order_by("order").values_list("title", flat=True)) == [
        "Second",
        "Draft priority",
    ]
    services.priority_move(priority=first, actor=focal, direction="up")
    assert draft.priorities.order_by("order").first() == first


def test_milestone_create_is_there_for_other_apps_and_checks_status_and_progress(draft, world):
    priority = draft.priorities.get()
    milestone = services.milestone_create(
        priority=priority,
        actor=world["staff"],
        title="Action item from the roadmap review",
        lead="Alliance working group",
        due_on=datetime.date(2030, 1, 31),
    )
    assert milestone.priority == priority
    assert milestone.status == MilestoneStatus.NOT_STARTED
    with pytest.raises(ValidationError, match="not started is at 0"):
        services.milestone_create(
            priority=priority, actor=world["staff"], title="Bad", status="not_started", progress=5
        )


# --- Progress ---------------------------------------------------------------------------------


def test_a_focal_point_reports_progress_with_evidence(milestone, world, settings):
    update = services.milestone_report_progress(
        milestone=milestone,
        actor=world["focal_point"],
        status="in_progress",
        progress=60,
        narrative="The bill passed its second reading.",
        links=[services.EvidenceLink(url="https://example.org/hansard", title="Hansard")],
        files=[services.EvidenceFile(file=pdf(), sensitivity=Sensitivity.ALLIANCE)],
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("in_progress", 60)
    assert (update.status_before, update.progress_before) == ("not_started", 0)
    evidence = update.evidence.get(kind="document")
    assert evidence.sensitivity == "alliance"
    assert evidence.original_name == "report.pdf"
    assert "report" not in evidence.file.name  # a random, unguessable name
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("status", "progress", "narrative", "message"),
    [
        ("in_progress", 140, "Text", "between 0 and 100"),
        ("in_progress", -5, "Text", "between 0 and 100"),
        ("completed", 40, "Text", "completed milestone is at 100"),
        ("in_progress", 100, "Text", "choose the status Completed"),
        ("not_started", 20, "Text", "not started is at 0"),
        ("in_progress", 50, "   ", "narrative is required"),
    ],
)
def test_bad_progress_reports_are_refused_and_nothing_is_saved(
    milestone, world, settings, status, progress, narrative, message
):
    with pytest.raises(ValidationError, match=message):
        services.milestone_report_progress(
            milestone=milestone,
            actor=world["focal_point"],
            status=status,
            progress=progress,
            narrative=narrative,
            files=[services.EvidenceFile(file=pdf())],
        )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == ("not_started", 0)
    assert not MilestoneUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_failure_after_the_file_was_stored_leaves_no_file_behind(milestone, world, settings):
    bad_link = services.EvidenceLink(url="not a url")
    with pytest.raises(ValidationError):
        services.milestone_report_progress(
            milestone=milestone,
            actor=world["focal_point"],
            status="in_progress",
            progress=10,
            narrative="Started.",
            files=[services.EvidenceFile(file=pdf())],
            links=[bad_link],
        )
    assert stored_files(settings) == []
    assert not MilestoneUpdate.objects.exists()


def test_a_focal_point_of_another_country_cannot_report(milestone, world):
    with pytest.raises(PermissionDenied):
        services.milestone_report_progress(
            milestone=milestone,
            actor=world["other_focal_point"],
            status="in_progress",
            progress=10,
            narrative="Not mine to say.",
        )
    assert not MilestoneUpdate.objects.exists()


def test_no_progress_is_reported_on_an_archived_roadmap(milestone, world):
    Roadmap.objects.filter(pk=milestone.priority.roadmap_id).update(status="archived")
    with pytest.raises(ValidationError, match="archived"):
        services.milestone_report_progress(
            milestone=milestone,
            actor=world["focal_point"],
            status="in_progress",
            progress=10,
            narrative="Too late.",
        )
    assert not MilestoneUpdate.objects.exists()


def test_the_database_refuses_progress_out_of_range_or_contradicting_the_status(milestone):
    for status, progress in [("in_progress", 101), ("completed", 40), ("not_started", 5)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Milestone.objects.filter(pk=milestone.pk).update(status=status, progress=progress)


# --- Assessments ------------------------------------------------------------------------------


def test_a_dispute_marks_the_update_disputed_and_emails_the_focal_point_without_content(
    update, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_assess(
            update=update,
            actor=world["org_admin"],
            verdict=Verdict.DISPUTES,
            comment="The shelters we visited are still closed.",
        )
    standing = MilestoneUpdate.objects.with_standing().get(pk=update.pk).standing
    assert standing == "disputed"
    assessment = update.assessments.get()
    assert assessment.organization == world.organization
    assert [m.to for m in mailoutbox] == [[world["focal_point"].email]]
    assert "assessed" in mailoutbox[0].subject
    assert "shelters" not in mailoutbox[0].body
    assert update.milestone.get_absolute_url() in mailoutbox[0].body


def test_a_person_assesses_an_update_once_and_the_focal_point_responds_once(update, world):
    services.update_assess(update=update, actor=world["coordinator"], verdict="partly", comment="x")
    with pytest.raises(ValidationError, match="already assessed"):
        services.update_assess(
            update=update, actor=world["coordinator"], verdict="confirms", comment="y"
        )
    assessment = update.assessments.get()
    services.assessment_respond(assessment=assessment, actor=world["focal_point"], response="ok")
    with pytest.raises(ValidationError, match="already has a response"):
        services.assessment_respond(
            assessment=assessment, actor=world["focal_point"], response="again"
        )
    assert MilestoneUpdate.objects.with_standing().get(pk=update.pk).standing == "confirmed"


def test_comments_open_with_the_consultation(draft, world):
    with pytest.raises(ValidationError, match="Comments open"):
        services.comment_post(actor=world["org_admin"], body="Early", roadmap=draft)
    assert not Comment.objects.exists()


def test_a_second_milestone_factory_keeps_the_constraint(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(status="completed", progress=50)
