"""Every change to roadmaps, progress reports and consultations.

Each service runs in one transaction, checks the state it changes (an adopted version is
frozen, a consultation past its deadline takes no input), writes its audit entry and sends
its emails after commit. Views check permissions (roadmaps/rules.py) first; services that
other apps may call (``milestone_create``) or that the policy names explicitly (reporting
progress) check the facts they depend on themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.services import absolute_url, notify
from stakeholders.models import (
    Alliance,
    InitiativeRole,
    MembershipStatus,
    Organization,
    OrganizationStatus,
    Theme,
    User,
)

from .models import (
    Assessment,
    Audience,
    Comment,
    Consultation,
    ConsultationInput,
    ConsultationStatus,
    Endorsement,
    Evidence,
    EvidenceKind,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Priority,
    ProposedBy,
    Roadmap,
    RoadmapStatus,
    Sensitivity,
    Verdict,
)
from .translation import translations_of
from .uploads import CheckedFile

# --- Who hears about it ----------------------------------------------------------------------


def focal_points_of(initiative: Initiative) -> QuerySet[User]:
    roles = InitiativeRole.objects.active().focal_points().filter(initiative=initiative)
    return User.objects.filter(is_active=True, initiative_roles__in=roles).distinct()


def alliance_of(initiative: Initiative) -> Alliance | None:
    return Alliance.objects.filter(country_id=initiative.country_id).first()


def alliance_coordinators(initiative: Initiative) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, coordinated_alliances__country_id=initiative.country_id
    ).distinct()


def alliance_people(initiative: Initiative) -> QuerySet[User]:
    """Coordinators and the people of the approved member organizations of the alliance."""
    return User.objects.filter(
        Q(coordinated_alliances__country_id=initiative.country_id)
        | Q(
            memberships__organization__alliance_memberships__alliance__country_id=(
                initiative.country_id
            ),
            memberships__organization__alliance_memberships__status=MembershipStatus.APPROVED,
        ),
        is_active=True,
    ).distinct()


def consultation_audience(consultation: Consultation) -> QuerySet[User]:
    people = alliance_people(consultation.initiative)
    if consultation.audience == Audience.COUNTRY:
        # A distinct queryset cannot be OR-ed with another: combine the two by their ids.
        country_people = User.objects.filter(
            is_active=True,
            memberships__organization__status=OrganizationStatus.VERIFIED,
            memberships__organization__country_id=consultation.initiative.country_id,
        )
        people = User.objects.filter(
            Q(pk__in=people.values("pk")) | Q(pk__in=country_people.values("pk"))
        )
    return people.distinct()


def _milestone_url(milestone: Milestone) -> str:
    return absolute_url(milestone.get_absolute_url())


# --- Roadmaps --------------------------------------------------------------------------------


def _require_editable(roadmap: Roadmap) -> None:
    if roadmap.status == RoadmapStatus.ADOPTED:
        raise ValidationError(
            _(
                "Version %(version)s was adopted and is frozen. Start a revision to change "
                "the roadmap."
            )
            % {"version": roadmap.version}
        )
    if roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError(
            _("Version %(version)s is archived and can no longer change.")
            % {"version": roadmap.version}
        )


def _check_period(period_start: datetime.date | None, period_end: datetime.date | None) -> None:
    if period_start and period_end and period_end < period_start:
        raise ValidationError(_("The period must end after it starts."))


@transaction.atomic
def roadmap_create(
    *,
    initiative: Initiative,
    actor: User,
    title: str,
    summary: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Roadmap:
    """The first draft of an initiative's roadmap."""
    if Roadmap.objects.filter(initiative=initiative).exists():
        raise ValidationError(
            _("This initiative already has a roadmap. Start a revision of it instead.")
        )
    if not title.strip():
        raise ValidationError(_("Give the roadmap a title."))
    _check_period(period_start, period_end)
    roadmap = Roadmap.objects.create(
        initiative=initiative,
        title=title.strip(),
        summary=summary.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    audit_record(actor=actor, action="roadmap.created", target=roadmap)
    return roadmap


@transaction.atomic
def roadmap_edit(*, roadmap: Roadmap, actor: User, **fields: Any) -> Roadmap:
    """Change the title, summary or period of a roadmap that is not adopted yet."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    _require_editable(roadmap)
    allowed = {"title", "summary", "period_start", "period_end"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"roadmap_edit cannot change {name}")
        setattr(roadmap, name, value.strip() if isinstance(value, str) else value)
    if not roadmap.title:
        raise ValidationError(_("Give the roadmap a title."))
    _check_period(roadmap.period_start, roadmap.period_end)
    roadmap.save()
    audit_record(actor=actor, action="roadmap.edited", target=roadmap, fields=sorted(fields))
    return roadmap


@transaction.atomic
def roadmap_open_consultation(*, roadmap: Roadmap, actor: User) -> Roadmap:
    """Put the draft to the alliance: its people may now comment on it."""
    if not roadmap.priorities.exists():
        raise ValidationError(_("Add at least one priority before opening the consultation."))
    changed = Roadmap.objects.filter(pk=roadmap.pk, status=RoadmapStatus.DRAFT).update(
        status=RoadmapStatus.CONSULTATION,
        consultation_opened_at=timezone.now(),
        updated_at=timezone.now(),
    )
    content_changed()
    if not changed:
        roadmap.refresh_from_db()
        raise ValidationError(
            _("This roadmap is %(status)s: only a draft can go to consultation.")
            % {"status": roadmap.get_status_display().lower()}
        )
    roadmap.refresh_from_db()
    audit_record(actor=actor, action="roadmap.consultation_opened", target=roadmap)
    notify(
        recipients=alliance_people(roadmap.initiative),
        template="roadmaps_roadmap_consultation",
        context={
            "roadmap": roadmap,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
        },
    )
    return roadmap


def comments_awaiting_response(roadmap: Roadmap) -> QuerySet[Comment]:
    return roadmap.comments.filter(hidden_at__isnull=True, responded_at__isnull=True)


@transaction.atomic
def roadmap_adopt(*, roadmap: Roadmap, actor: User) -> Roadmap:
    """Adopt the version in consultation: it is frozen from now on, and the version adopted
    before it is archived (still readable at its own address)."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.CONSULTATION:
        raise ValidationError(
            _(
                "Only a roadmap in consultation can be adopted: the alliance comments on the "
                "draft first. This one is %(status)s."
            )
            % {"status": roadmap.get_status_display().lower()}
        )
    waiting = comments_awaiting_response(roadmap).count()
    if waiting:
        raise ValidationError(
            _(
                "%(count)s comment(s) still wait for a response. Answer each comment with "
                "your reasons before adopting the roadmap."
            )
            % {"count": waiting}
        )
    if not roadmap.priorities.exists():
        raise ValidationError(_("A roadmap needs at least one priority to be adopted."))
    now = timezone.now()
    Roadmap.objects.filter(initiative=roadmap.initiative, status=RoadmapStatus.ADOPTED).update(
        status=RoadmapStatus.ARCHIVED, updated_at=now
    )
    content_changed()
    roadmap.status = RoadmapStatus.ADOPTED
    roadmap.adopted_on = timezone.localdate()
    roadmap.adopted_at = now
    roadmap.adopted_by = actor
    roadmap.save()
    audit_record(actor=actor, action="roadmap.adopted", target=roadmap, version=roadmap.version)
    notify(
        recipients=alliance_coordinators(roadmap.initiative).exclude(pk=actor.pk),
        template="roadmaps_roadmap_adopted",
        context={
            "roadmap": roadmap,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
        },
    )
    return roadmap


@transaction.atomic
def roadmap_cosign(*, roadmap: Roadmap, actor: User, note: str = "") -> Endorsement:
    """An alliance coordinator co-signs the roadmap for civil society."""
    if roadmap.status not in (RoadmapStatus.CONSULTATION, RoadmapStatus.ADOPTED):
        raise ValidationError(
            _("A roadmap is co-signed while in consultation or once adopted, not as a draft.")
        )
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(roadmap=roadmap, user=actor, note=note.strip())
    except IntegrityError:
        raise ValidationError(_("You have already co-signed this roadmap.")) from None
    audit_record(actor=actor, action="roadmap.cosigned", target=roadmap)
    return endorsement


@transaction.atomic
def roadmap_start_revision(*, roadmap: Roadmap, actor: User) -> Roadmap:
    """Copy an adopted version into a new draft version. The adopted one stays current
    until the revision is adopted."""
    if roadmap.status != RoadmapStatus.ADOPTED:
        raise ValidationError(_("Only the adopted roadmap can be revised."))
    if Roadmap.objects.filter(
        initiative=roadmap.initiative,
        status__in=[RoadmapStatus.DRAFT, RoadmapStatus.CONSULTATION],
    ).exists():
        raise ValidationError(_("A revision is already being drafted. Continue that one."))
    latest = Roadmap.objects.filter(initiative=roadmap.initiative).aggregate(v=Max("version"))["v"]
    revision = Roadmap.objects.create(
        initiative=roadmap.initiative,
        title=roadmap.title,
        summary=roadmap.summary,
        period_start=roadmap.period_start,
        period_end=roadmap.period_end,
        version=(latest or 0) + 1,
        revision_of=roadmap,
        created_by=actor,
    )
    priorities = list(
        roadmap.priorities.prefetch_related("themes", "milestones__lead_organizations")
    )
    for priority in priorities:
        copy = Priority.objects.create(
            roadmap=revision,
            **translations_of(priority, "title", "description"),
            instrument=priority.instrument,
            article=priority.article,
            proposed_by=priority.proposed_by,
            order=priority.order,
            copied_from=priority,
        )
        copy.themes.set(priority.themes.all())
        copies = Milestone.objects.bulk_create(
            Milestone(
                priority=copy,
                **translations_of(milestone, "title"),
                description=milestone.description,
                lead=milestone.lead,
                due_on=milestone.due_on,
                status=milestone.status,
                progress=milestone.progress,
                order=milestone.order,
                copied_from=milestone,
            )
            for milestone in priority.milestones.all()
        )
        Milestone.lead_organizations.through.objects.bulk_create(
            Milestone.lead_organizations.through(
                milestone_id=copied.pk, organization_id=organization.pk
            )
            for original, copied in zip(priority.milestones.all(), copies, strict=True)
            for organization in original.lead_organizations.all()
        )
    audit_record(
        actor=actor, action="roadmap.revision_started", target=revision, revision_of=roadmap.pk
    )
    return revision


# --- Priorities and milestones -----------------------------------------------------------------


def _next_order(queryset: QuerySet) -> int:
    return (queryset.aggregate(n=Max("order"))["n"] or 0) + 1


PRIORITY_FIELDS = {"title", "description", "instrument", "article", "proposed_by"}


@transaction.atomic
def priority_create(
    *,
    roadmap: Roadmap,
    actor: User,
    title: str,
    description: str = "",
    themes: Iterable[Theme] = (),
    instrument: str = "",
    article: str = "",
    proposed_by: str = ProposedBy.JOINT,
) -> Priority:
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    _require_editable(roadmap)
    priority = Priority(
        roadmap=roadmap,
        title=title.strip(),
        description=description.strip(),
        instrument=instrument,
        article=article.strip(),
        proposed_by=proposed_by,
        order=_next_order(roadmap.priorities.all()),
    )
    priority.full_clean()
    priority.save()
    priority.themes.set(themes)
    audit_record(actor=actor, action="roadmap.priority_added", target=roadmap, priority=priority.pk)
    return priority


@transaction.atomic
def priority_edit(
    *, priority: Priority, actor: User, themes: Iterable[Theme] | None = None, **fields: Any
) -> Priority:
    _require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    for name, value in fields.items():
        if name not in PRIORITY_FIELDS:
            raise ValueError(f"priority_edit cannot change {name}")
        setattr(priority, name, value.strip() if isinstance(value, str) else value)
    priority.full_clean()
    priority.save()
    if themes is not None:
        priority.themes.set(themes)
    audit_record(
        actor=actor, action="roadmap.priority_edited", target=priority.roadmap, priority=priority.pk
    )
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, actor: User) -> None:
    _require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    audit_record(
        actor=actor,
        action="roadmap.priority_deleted",
        target=priority.roadmap,
        priority=priority.pk,
        title=priority.title,
    )
    priority.delete()


def _move(obj: models.Model, siblings: QuerySet, direction: str) -> bool:
    """Swap an item with its neighbour, renumbering the siblings 1..n first so that equal
    order values never leave a move without effect. False when nothing moved (the first
    item up, the last down, or no direction at all): then nothing is recorded either."""
    if direction not in ("up", "down"):
        return False
    items = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        item.order = position
    type(obj)._default_manager.bulk_update(items, ["order"])
    return True


@transaction.atomic
def priority_move(*, priority: Priority, actor: User, direction: str) -> None:
    _require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    if not _move(priority, Priority.objects.filter(roadmap_id=priority.roadmap_id), direction):
        return
    audit_record(
        actor=actor,
        action="roadmap.priority_moved",
        target=priority.roadmap,
        priority=priority.pk,
        direction=direction,
    )


def check_status_and_progress(status: str, progress: Any) -> int:
    """Status and progress must agree (the database checks the same): a completed milestone
    is at 100 %, a milestone at 100 % is completed, one not started is at 0 %."""
    if status not in MilestoneStatus.values:
        raise ValidationError(_("Choose a status."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError(_("Progress is a whole percentage between 0 and 100.")) from None
    if not 0 <= progress <= 100:
        raise ValidationError(
            _("Progress is a percentage between 0 and 100; %(progress)s is not.")
            % {"progress": progress}
        )
    if status == MilestoneStatus.COMPLETED and progress != 100:
        raise ValidationError(
            _(
                "A completed milestone is at 100 %%, not %(progress)s %%. Set the progress to "
                "100 or choose another status."
            )
            % {"progress": progress}
        )
    if progress == 100 and status != MilestoneStatus.COMPLETED:
        raise ValidationError(
            _("At 100 %% the milestone is done: choose the status Completed.") % {}
        )
    if status == MilestoneStatus.NOT_STARTED and progress != 0:
        raise ValidationError(
            _("A milestone that has not started is at 0 %%. Choose In progress instead.") % {}
        )
    return progress


@transaction.atomic
def milestone_create(
    *,
    priority: Priority,
    actor: User,
    title: str,
    description: str = "",
    lead: str = "",
    lead_organizations: Iterable[Organization] = (),
    due_on: datetime.date | None = None,
    status: str = MilestoneStatus.NOT_STARTED,
    progress: int = 0,
) -> Milestone:
    """Add a milestone to a priority of a roadmap that is not adopted yet (an adopted
    version is frozen: raises ValidationError then). Other apps may call this, for example
    to turn an event's action item into a milestone; the caller checks that the actor may
    change the roadmap (``roadmaps.change_roadmap``)."""
    _require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    progress = check_status_and_progress(status, progress)
    milestone = Milestone(
        priority=priority,
        title=title.strip(),
        description=description.strip(),
        lead=lead.strip(),
        due_on=due_on,
        status=status,
        progress=progress,
        order=_next_order(priority.milestones.all()),
    )
    milestone.full_clean()
    milestone.save()
    milestone.lead_organizations.set(lead_organizations)
    audit_record(
        actor=actor,
        action="roadmap.milestone_added",
        target=priority.roadmap,
        milestone=milestone.pk,
    )
    return milestone


MILESTONE_FIELDS = {"title", "description", "lead", "due_on", "status", "progress"}


@transaction.atomic
def milestone_edit(*, milestone: Milestone, actor: User, **fields: Any) -> Milestone:
    _require_editable(Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id))
    lead_organizations = fields.pop("lead_organizations", None)
    for name, value in fields.items():
        if name not in MILESTONE_FIELDS:
            raise ValueError(f"milestone_edit cannot change {name}")
        setattr(milestone, name, value.strip() if isinstance(value, str) else value)
    milestone.progress = check_status_and_progress(milestone.status, milestone.progress)
    milestone.full_clean()
    milestone.save()
    if lead_organizations is not None:
        milestone.lead_organizations.set(lead_organizations)
    audit_record(
        actor=actor,
        action="roadmap.milestone_edited",
        target=milestone.priority.roadmap,
        milestone=milestone.pk,
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User) -> None:
    roadmap = Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id)
    _require_editable(roadmap)
    audit_record(
        actor=actor,
        action="roadmap.milestone_deleted",
        target=roadmap,
        milestone=milestone.pk,
        title=milestone.title,
    )
    milestone.delete()


@transaction.atomic
def milestone_move(*, milestone: Milestone, actor: User, direction: str) -> None:
    roadmap = Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id)
    _require_editable(roadmap)
    if not _move(milestone, Milestone.objects.filter(priority_id=milestone.priority_id), direction):
        return
    audit_record(
        actor=actor,
        action="roadmap.milestone_moved",
        target=roadmap,
        milestone=milestone.pk,
        direction=direction,
    )


# --- Progress ---------------------------------------------------------------------------------


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
    notify(
        recipients=alliance_coordinators(roadmap.initiative).exclude(pk=actor.pk),
        template="roadmaps_update_posted",
        context={"milestone": milestone, "url": _milestone_url(milestone)},
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
            "url": _milestone_url(milestone),
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
            context={"milestone": milestone, "url": _milestone_url(milestone)},
        )
    return assessment


# --- Comments ----------------------------------------------------------------------------------


@transaction.atomic
def comment_post(
    *,
    actor: User,
    body: str,
    roadmap: Roadmap | None = None,
    priority: Priority | None = None,
    milestone: Milestone | None = None,
) -> Comment:
    """A comment on a roadmap, a priority or a milestone (give exactly one)."""
    if sum(target is not None for target in (roadmap, priority, milestone)) != 1:
        raise ValueError("Comment on exactly one of roadmap, priority or milestone.")
    if milestone is not None:
        roadmap = milestone.priority.roadmap
    elif priority is not None:
        roadmap = priority.roadmap
    assert roadmap is not None
    roadmap = Roadmap.objects.select_related("initiative").get(pk=roadmap.pk)  # fresh state
    if roadmap.status == RoadmapStatus.DRAFT:
        raise ValidationError(_("Comments open when the draft goes to consultation."))
    if roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError(_("This version is archived: comment on the current roadmap."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your comment."))
    comment = Comment.objects.create(
        roadmap=roadmap, priority=priority, milestone=milestone, author=actor, body=body
    )
    audit_record(actor=actor, action="roadmap.commented", target=roadmap, comment=comment.pk)
    notify(
        recipients=focal_points_of(roadmap.initiative).exclude(pk=actor.pk),
        template="roadmaps_comment_posted",
        context={"comment": comment, "url": absolute_url(comment.get_absolute_url())},
    )
    return comment


@transaction.atomic
def comment_respond(*, comment: Comment, actor: User, response: str) -> Comment:
    """The initiative's side answers a comment with its reasons."""
    response = (response or "").strip()
    if not response:
        raise ValidationError(
            _("Give a reasoned response: say what you did with the comment and why.")
        )
    if comment.is_hidden:
        raise ValidationError(_("This comment was hidden and needs no response."))
    changed = Comment.objects.filter(pk=comment.pk, responded_at__isnull=True).update(
        response=response, responded_by=actor, responded_at=timezone.now()
    )
    content_changed()
    if not changed:
        raise ValidationError(_("This comment already has a response."))
    comment.refresh_from_db()
    audit_record(
        actor=actor, action="roadmap.comment_answered", target=comment.roadmap, comment=comment.pk
    )
    if comment.author:
        notify(
            recipients=[comment.author],
            template="roadmaps_comment_response",
            context={"comment": comment, "url": absolute_url(comment.get_absolute_url())},
        )
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    """CSU staff hide a comment (abuse, personal data), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the comment is hidden: its author will read it."))
    changed = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
        hidden_by=actor, hidden_at=timezone.now(), hidden_reason=reason[:500]
    )
    content_changed()
    if not changed:
        raise ValidationError(_("This comment is already hidden."))
    comment.refresh_from_db()
    audit_record(
        actor=actor,
        action="roadmap.comment_hidden",
        target=comment.roadmap,
        comment=comment.pk,
        reason=reason,
    )
    return comment


# --- Consultations --------------------------------------------------------------------------


def _store_with_cleanup(save: Any) -> Any:
    """Run ``save(stored)`` in a transaction; delete the files it stored if it fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return save(stored)
    except BaseException:
        storage = Consultation.document.field.storage
        for name in stored:
            storage.delete(name)
        raise


def consultation_open(
    *,
    initiative: Initiative,
    actor: User,
    title: str,
    description: str,
    deadline: datetime.datetime,
    audience: str = Audience.ALLIANCE,
    kind: str = "question",
    document: CheckedFile | None = None,
) -> Consultation:
    """The initiative's side asks the alliance (or every verified organization of the
    country) for input by a deadline."""
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise ValidationError(_("Give the consultation a title and say what you ask."))
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline must be in the future."))
    if audience not in Audience.values:
        raise ValidationError(_("Choose who is asked."))
    if audience == Audience.ALLIANCE and alliance_of(initiative) is None:
        raise ValidationError(
            _("This country has no alliance yet: ask all verified organizations instead.")
        )

    def save(stored: list[str]) -> Consultation:
        consultation = Consultation(
            initiative=initiative,
            title=title,
            kind=kind,
            description=description,
            deadline=deadline,
            audience=audience,
            created_by=actor,
        )
        consultation.full_clean(exclude=["document"])
        if document is not None:
            consultation.document.save(document.original_name, document.content, save=False)
            assert consultation.document.name is not None  # save() named the stored file
            stored.append(consultation.document.name)
            consultation.document_name = document.original_name
            consultation.document_content_type = document.content_type
            consultation.document_size = document.size
        consultation.save()
        audit_record(actor=actor, action="consultation.opened", target=consultation)
        notify(
            recipients=consultation_audience(consultation).exclude(pk=actor.pk),
            template="roadmaps_consultation_opened",
            context={
                "consultation": consultation,
                "country": initiative.country.name,
                "url": absolute_url(consultation.get_absolute_url()),
            },
        )
        return consultation

    return _store_with_cleanup(save)


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor: User) -> Consultation:
    """Close a consultation before its deadline."""
    changed = Consultation.objects.filter(
        pk=consultation.pk, status=ConsultationStatus.OPEN
    ).update(status=ConsultationStatus.CLOSED)
    content_changed()
    if not changed:
        raise ValidationError(_("This consultation is already closed."))
    consultation.refresh_from_db()
    audit_record(actor=actor, action="consultation.closed", target=consultation)
    return consultation


def eligible_organizations(user: User, consultation: Consultation) -> list[Organization]:
    """The organizations this person may speak for in this consultation."""
    if not user.is_authenticated:
        return []
    initiative = consultation.initiative
    organizations = Organization.objects.filter(
        members__user=user, status=OrganizationStatus.VERIFIED
    )
    if consultation.audience == Audience.COUNTRY:
        organizations = organizations.filter(country_id=initiative.country_id)
    else:
        organizations = organizations.filter(
            alliance_memberships__alliance__country_id=initiative.country_id,
            alliance_memberships__status=MembershipStatus.APPROVED,
        )
    return list(organizations.distinct().order_by("name"))


def speaks_for_alliance(user: User, consultation: Consultation) -> bool:
    return (
        user.is_authenticated
        and Alliance.objects.filter(
            country_id=consultation.initiative.country_id, coordinators=user
        ).exists()
    )


def input_submit(
    *,
    consultation: Consultation,
    actor: User,
    organization: Organization | None,
    text: str,
    attachment: CheckedFile | None = None,
) -> ConsultationInput:
    """An organization's input (or, without organization, the alliance's, by a
    coordinator). One input per organization; none after the deadline."""
    consultation.refresh_from_db()
    if not consultation.accepts_inputs:
        when = date_format(timezone.localtime(consultation.deadline), "DATETIME_FORMAT")
        raise ValidationError(
            _("This consultation closed on %(deadline)s: it takes no more input.")
            % {"deadline": when}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your input."))
    if organization is None:
        if not speaks_for_alliance(actor, consultation):
            raise ValidationError(_("Choose the organization you speak for."))
    elif organization not in eligible_organizations(actor, consultation):
        raise ValidationError(
            _("You cannot send input on behalf of %(organization)s in this consultation.")
            % {"organization": organization}
        )

    def save(stored: list[str]) -> ConsultationInput:
        item = ConsultationInput(
            consultation=consultation, organization=organization, author=actor, text=text
        )
        if attachment is not None:
            item.attachment.save(attachment.original_name, attachment.content, save=False)
            assert item.attachment.name is not None  # save() named the stored file
            stored.append(item.attachment.name)
            item.attachment_name = attachment.original_name
            item.attachment_content_type = attachment.content_type
            item.attachment_size = attachment.size
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            raise ValidationError(
                _("%(source)s has already sent its input to this consultation.")
                % {"source": organization.name if organization else _("The alliance")}
            ) from None
        audit_record(actor=actor, action="consultation.input_submitted", target=consultation)
        notify(
            recipients=focal_points_of(consultation.initiative).exclude(pk=actor.pk),
            template="roadmaps_input_submitted",
            context={
                "consultation": consultation,
                "url": absolute_url(consultation.get_absolute_url()),
            },
        )
        return item

    return _store_with_cleanup(save)


@transaction.atomic
def input_respond(
    *, consultation_input: ConsultationInput, actor: User, response: str
) -> ConsultationInput:
    """The initiative's side publishes its reasoned response to an input."""
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("Give a reasoned response: say what you did with the input."))
    changed = ConsultationInput.objects.filter(
        pk=consultation_input.pk, responded_at__isnull=True
    ).update(response=response, responded_by=actor, responded_at=timezone.now())
    content_changed()
    if not changed:
        raise ValidationError(_("This input already has a response."))
    consultation_input.refresh_from_db()
    consultation = consultation_input.consultation
    audit_record(
        actor=actor,
        action="consultation.input_answered",
        target=consultation,
        input=consultation_input.pk,
    )
    if consultation_input.author:
        notify(
            recipients=[consultation_input.author],
            template="roadmaps_input_response",
            context={
                "consultation": consultation,
                "url": absolute_url(consultation_input.get_absolute_url()),
            },
        )
    return consultation_input
