"""Progress reports with their evidence, and civil society's assessments of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.services import followers_of, notify
from stakeholders.models import (
    MembershipStatus,
    Organization,
    User,
)

from ..models import (
    Assessment,
    Evidence,
    EvidenceKind,
    Milestone,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)
from ..uploads import CheckedFile
from .audience import alliance_coordinators, focal_points_of, milestone_url
from .structure import check_status_and_progress


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    title: str = ""
    sensitivity: str = Sensitivity.PUBLIC


@dataclass(frozen=True)
class EvidenceFile:
    file: CheckedFile
    title: str = ""
    sensitivity: str = Sensitivity.PUBLIC


def _check_sensitivity(sensitivity: str) -> None:
    if sensitivity not in Sensitivity.values:
        raise ValidationError(_("Choose who may see each piece of evidence."))


def milestone_report_progress(
    *,
    milestone: Milestone,
    actor: User,
    status: str,
    progress: Any,
    narrative: str,
    links: Sequence[EvidenceLink] = (),
    files: Sequence[EvidenceFile] = (),
) -> MilestoneUpdate:
    """A focal point of the initiative (or CSU staff) reports progress on a milestone of the
    adopted roadmap. Nothing is saved, and no file is left in storage, unless all of it is
    valid."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _report_progress(
                milestone=milestone,
                actor=actor,
                status=status,
                progress=progress,
                narrative=narrative,
                links=links,
                files=files,
                stored=stored,
            )
    except BaseException:
        for evidence_name in stored:
            Evidence.file.field.storage.delete(evidence_name)
        raise


def _report_progress(
    *,
    milestone: Milestone,
    actor: User,
    status: str,
    progress: Any,
    narrative: str,
    links: Sequence[EvidenceLink],
    files: Sequence[EvidenceFile],
    stored: list[str],
) -> MilestoneUpdate:
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("priority__roadmap__initiative__country")
        .get(pk=milestone.pk)
    )
    roadmap = milestone.priority.roadmap
    if not actor.has_perm("roadmaps.post_update", milestone):
        raise PermissionDenied(
            _("Only the focal points of this initiative and CSU staff report its progress.")
        )
    if roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError(
            _(
                "Version %(version)s of this roadmap is archived. Report progress on the "
                "current version."
            )
            % {"version": roadmap.version}
        )
    if roadmap.status != RoadmapStatus.ADOPTED:
        raise ValidationError(_("Progress is reported once the roadmap has been adopted."))
    progress = check_status_and_progress(status, progress)
    narrative = (narrative or "").strip()
    if not narrative:
        raise ValidationError(_("Tell what happened: a narrative is required with every update."))
    for sensitivity in [link.sensitivity for link in links] + [item.sensitivity for item in files]:
        _check_sensitivity(sensitivity)
    update = MilestoneUpdate.objects.create(
        milestone=milestone,
        author=actor,
        status_before=milestone.status,
        progress_before=milestone.progress,
        status_after=status,
        progress_after=progress,
        narrative=narrative,
    )
    for item in files:
        evidence = Evidence(
            update=update,
            kind=EvidenceKind.IMAGE if item.file.kind == "image" else EvidenceKind.DOCUMENT,
            title=item.title.strip(),
            sensitivity=item.sensitivity,
            original_name=item.file.original_name,
            size=item.file.size,
            content_type=item.file.content_type,
        )
        evidence.file.save(item.file.original_name, item.file.content, save=False)
        assert evidence.file.name is not None  # save() named the stored file
        stored.append(evidence.file.name)
        evidence.save()
    for link in links:
        evidence = Evidence(
            update=update,
            kind=EvidenceKind.LINK,
            url=link.url,
            title=link.title.strip(),
            sensitivity=link.sensitivity,
        )
        evidence.full_clean()
        evidence.save()
    milestone.status = status
    milestone.progress = progress
    milestone.save(update_fields=["status", "progress", "updated_at"])
    audit_record(
        actor=actor,
        action="milestone.progress_reported",
        target=milestone,
        status=status,
        progress=progress,
        evidence=len(links) + len(files),
    )
    coordinators = alliance_coordinators(roadmap.initiative).exclude(pk=actor.pk)
    notify(
        recipients=coordinators,
        template="roadmaps_update_posted",
        context={"milestone": milestone, "url": milestone_url(milestone)},
    )
    # Those who follow the milestone (in this version or an earlier one) or its roadmap,
    # and still may see it.
    notify(
        recipients=followers_of(
            milestone,
            may_see="roadmaps.view_roadmap",
            exclude=[actor, *coordinators],
            also=[
                *milestone.versions().exclude(pk=milestone.pk),
                *Roadmap.objects.filter(initiative_id=roadmap.initiative_id),
            ],
        ),
        template="roadmaps_update_posted",
        context={"milestone": milestone, "url": milestone_url(milestone), "following": True},
    )
    return update


def speaking_for(user: User, initiative: Initiative) -> list[Organization]:
    """The organizations on whose behalf this person speaks in this initiative: theirs that
    are approved members of the country's alliance."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(
            members__user=user,
            alliance_memberships__alliance__country_id=initiative.country_id,
            alliance_memberships__status=MembershipStatus.APPROVED,
        )
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def update_assess(
    *, update: MilestoneUpdate, actor: User, verdict: str, comment: str
) -> Assessment:
    """Civil society confirms, partly confirms or disputes a progress report. The focal
    points are told (by a link: the email carries no content)."""
    if verdict not in Verdict.values:
        raise ValidationError(_("Choose whether you confirm, partly confirm or dispute it."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say why: a comment is required with every assessment."))
    milestone = update.milestone
    initiative = milestone.priority.roadmap.initiative
    organizations = speaking_for(actor, initiative)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                update=update,
                author=actor,
                organization=organizations[0] if organizations else None,
                verdict=verdict,
                comment=comment,
            )
    except IntegrityError:
        raise ValidationError(_("You have already assessed this update.")) from None
    audit_record(actor=actor, action="milestone.update_assessed", target=milestone, verdict=verdict)
    notify(
        recipients=focal_points_of(initiative).exclude(pk=actor.pk),
        template="roadmaps_update_assessed",
        context={
            "milestone": milestone,
            "assessment": assessment,
            "url": milestone_url(milestone),
        },
    )
    return assessment


@transaction.atomic
def assessment_respond(*, assessment: Assessment, actor: User, response: str) -> Assessment:
    """The initiative's side answers an assessment that disputes (or only partly confirms)
    a report."""
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("Write your response."))
    if assessment.verdict == Verdict.CONFIRMS:
        raise ValidationError(_("A confirmation needs no response."))
    changed = Assessment.objects.filter(pk=assessment.pk, responded_at__isnull=True).update(
        response=response, responded_by=actor, responded_at=timezone.now()
    )
    content_changed()
    if not changed:
        raise ValidationError(_("This assessment already has a response."))
    assessment.refresh_from_db()
    milestone = assessment.update.milestone
    audit_record(actor=actor, action="milestone.assessment_answered", target=milestone)
    if assessment.author:
        notify(
            recipients=[assessment.author],
            template="roadmaps_assessment_response",
            context={"milestone": milestone, "url": milestone_url(milestone)},
        )
    return assessment
