"""A roadmap's life: drafted, opened for consultation, adopted, co-signed, revised."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.services import absolute_url, notify
from stakeholders.models import (
    User,
)

from ..models import (
    Comment,
    Endorsement,
    Milestone,
    Priority,
    Roadmap,
    RoadmapStatus,
)
from ..translation import translations_of
from .audience import alliance_coordinators, alliance_people


def require_editable(roadmap: Roadmap) -> None:
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
    require_editable(roadmap)
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
