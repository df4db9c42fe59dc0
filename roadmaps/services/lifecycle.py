"""A roadmap's life: drafted, opened for consultation, adopted, co-signed, revised."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.services import absolute_url, followers_of, notify
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
from .audience import (
    NO_ONE,
    alliance_coordinators,
    alliance_of,
    consulted_people,
    consulted_side,
    focal_points_of,
    signers,
)

# The longest a consultation on a draft may run, in days.
MAX_CONSULTATION_DAYS = 365


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


def _check_deadline(closes_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if closes_on is None:
        raise ValidationError(_("Give the consultation a deadline."))
    if closes_on <= today:
        raise ValidationError(_("The deadline must be after today."))
    if closes_on > today + datetime.timedelta(days=MAX_CONSULTATION_DAYS):
        raise ValidationError(_("A consultation runs for at most a year."))
    return closes_on


@transaction.atomic
def roadmap_open_consultation(
    *, roadmap: Roadmap, actor: User, closes_on: datetime.date | None
) -> Roadmap:
    """Put the draft to the non-governmental side (the alliance, or the country's verified
    organizations where there is no alliance) until a deadline: they may now comment."""
    closes_on = _check_deadline(closes_on)
    if not roadmap.priorities.exists():
        raise ValidationError(_("Add at least one priority before opening the consultation."))
    changed = Roadmap.objects.filter(pk=roadmap.pk, status=RoadmapStatus.DRAFT).update(
        status=RoadmapStatus.CONSULTATION,
        consultation_opened_at=timezone.now(),
        consultation_closes_on=closes_on,
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
    audit_record(
        actor=actor,
        action="roadmap.consultation_opened",
        target=roadmap,
        closes_on=closes_on.isoformat(),
    )
    notify(
        recipients=consulted_people(roadmap.initiative),
        template="roadmaps_roadmap_consultation",
        context={
            "roadmap": roadmap,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
        },
    )
    return roadmap


@transaction.atomic
def consultation_deadline_set(
    *, roadmap: Roadmap, actor: User, closes_on: datetime.date | None
) -> Roadmap:
    """Set or move the deadline of a consultation that is running (one opened before
    deadlines were asked for, or one that needs more time)."""
    closes_on = _check_deadline(closes_on)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != RoadmapStatus.CONSULTATION:
        raise ValidationError(_("Only a consultation that is running has a deadline to move."))
    previous = roadmap.consultation_closes_on
    roadmap.consultation_closes_on = closes_on
    roadmap.save(update_fields=["consultation_closes_on", "updated_at"])
    content_changed()
    audit_record(
        actor=actor,
        action="roadmap.consultation_deadline_set",
        target=roadmap,
        closes_on=closes_on.isoformat(),
        previous=previous.isoformat() if previous else None,
    )
    return roadmap


@transaction.atomic
def consultation_waive(*, roadmap: Roadmap, actor: User, reason: str) -> Roadmap:
    """CSU staff record why no consultation could run: the country has neither an alliance
    nor a verified organization. The decision stands in for the consultation's deadline."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision: it is shown with the roadmap."))
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    require_editable(roadmap)
    if consulted_side(roadmap.initiative) != NO_ONE:
        raise ValidationError(
            _(
                "This country has a non-governmental side to consult: the draft goes to "
                "them, with a deadline."
            )
        )
    roadmap.consultation_waiver = reason
    roadmap.consultation_waived_by = actor
    roadmap.consultation_waived_at = timezone.now()
    roadmap.save(
        update_fields=[
            "consultation_waiver",
            "consultation_waived_by",
            "consultation_waived_at",
            "updated_at",
        ]
    )
    content_changed()
    audit_record(actor=actor, action="roadmap.consultation_waived", target=roadmap, reason=reason)
    return roadmap


def comments_awaiting_response(roadmap: Roadmap) -> QuerySet[Comment]:
    return roadmap.comments.filter(hidden_at__isnull=True, responded_at__isnull=True)


class Requirement(NamedTuple):
    """One condition of adoption, as the roadmap page lists them and adoption checks them."""

    label: str
    met: bool
    detail: str


def sign_offs(roadmap: Roadmap) -> list[Endorsement]:
    """The co-signatures and objections that speak for the non-governmental side."""
    eligible = signers(roadmap.initiative).values("pk")
    return list(
        roadmap.endorsements.filter(user__in=eligible).select_related("user", "responded_by")
    )


def adoption_requirements(roadmap: Roadmap) -> list[Requirement]:
    """What a draft needs before the government may adopt it: a consultation with the
    non-governmental side that has run to its deadline (or a CSU decision, where there is
    no one to consult), a reasoned response to every comment, and the non-governmental
    side's co-signature, or its objection answered."""
    today = timezone.localdate()
    in_consultation = roadmap.status == RoadmapStatus.CONSULTATION
    requirements = [
        Requirement(
            _("In consultation"),
            in_consultation,
            _("The draft is in consultation with the non-governmental side.")
            if in_consultation
            else _(
                "Only a roadmap in consultation can be adopted: the alliance comments on the "
                "draft first. This one is %(status)s."
            )
            % {"status": roadmap.get_status_display().lower()},
        )
    ]
    closes_on = roadmap.consultation_closes_on
    if roadmap.consultation_waived_at is not None:
        ran = Requirement(
            _("The consultation has run"),
            True,
            _("CSU recorded why no consultation could run: %(reason)s")
            % {"reason": roadmap.consultation_waiver},
        )
    elif closes_on is None:
        ran = Requirement(
            _("The consultation has run"),
            False,
            _("The consultation has no deadline yet: set one, and adopt after it."),
        )
    elif closes_on >= today:
        ran = Requirement(
            _("The consultation has run"),
            False,
            _("The consultation runs until %(date)s: the roadmap can be adopted after that.")
            % {"date": formats.date_format(closes_on)},
        )
    else:
        ran = Requirement(
            _("The consultation has run"),
            True,
            _("The consultation closed on %(date)s.") % {"date": formats.date_format(closes_on)},
        )
    requirements.append(ran)
    waiting = comments_awaiting_response(roadmap).count()
    requirements.append(
        Requirement(
            _("Every comment answered"),
            waiting == 0,
            ngettext(
                "%(count)d comment still waits for a response. Answer it with your reasons "
                "before adopting the roadmap.",
                "%(count)d comments still wait for a response. Answer each with your reasons "
                "before adopting the roadmap.",
                waiting,
            )
            % {"count": waiting}
            if waiting
            else _("Every comment has a reasoned response."),
        )
    )
    words = sign_offs(roadmap)
    unanswered = [word for word in words if word.objection and word.responded_at is None]
    agreed = [word for word in words if not word.objection or word.responded_at is not None]
    without_alliance = alliance_of(roadmap.initiative) is None
    if unanswered:
        detail = ngettext(
            "An objection waits for the government's answer.",
            "%(counter)d objections wait for the government's answer.",
            len(unanswered),
        ) % {"counter": len(unanswered)}
    elif agreed:
        detail = _("The non-governmental side has given its word.")
    elif without_alliance:
        detail = _(
            "The country has no alliance: CSU staff co-sign for the non-governmental side, "
            "or record an objection that you answer."
        )
    else:
        detail = _(
            "The alliance's coordinator co-signs the draft, or records an objection that you "
            "answer."
        )
    requirements.append(
        Requirement(_("The non-governmental side agreed"), bool(agreed) and not unanswered, detail)
    )
    has_priorities = roadmap.priorities.exists()
    requirements.append(
        Requirement(
            _("At least one priority"),
            has_priorities,
            _("A roadmap needs at least one priority to be adopted.")
            if not has_priorities
            else _("The roadmap has its priorities."),
        )
    )
    return requirements


def took_part(roadmap: Roadmap) -> QuerySet[User]:
    """Everyone who took part in the consultation on a draft: who commented on it and who
    gave the non-governmental side's word on it."""
    return User.objects.filter(
        Q(pk__in=roadmap.comments.filter(hidden_at__isnull=True).values("author"))
        | Q(pk__in=roadmap.endorsements.values("user")),
        is_active=True,
    )


@transaction.atomic
def roadmap_adopt(*, roadmap: Roadmap, actor: User) -> Roadmap:
    """Adopt the version in consultation once both sides agree (``adoption_requirements``):
    it is frozen from now on, and the version adopted before it is archived (still readable
    at its own address). Everyone who took part in the consultation is told."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    unmet = [
        requirement.detail for requirement in adoption_requirements(roadmap) if not requirement.met
    ]
    if unmet:
        raise ValidationError(unmet)
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
    told = list(
        User.objects.filter(
            Q(pk__in=alliance_coordinators(roadmap.initiative).values("pk"))
            | Q(pk__in=took_part(roadmap).values("pk"))
        ).exclude(pk=actor.pk)
    )
    notify(
        recipients=told,
        template="roadmaps_roadmap_adopted",
        context={
            "roadmap": roadmap,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
        },
    )
    # Those who follow the roadmap (this version or an earlier one) and were not told above.
    notify(
        recipients=followers_of(
            roadmap,
            may_see="roadmaps.view_roadmap",
            exclude=[actor, *told],
            also=Roadmap.objects.filter(initiative_id=roadmap.initiative_id).exclude(pk=roadmap.pk),
        ),
        template="roadmaps_roadmap_adopted",
        context={
            "roadmap": roadmap,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
            "following": True,
        },
    )
    return roadmap


@transaction.atomic
def roadmap_cosign(
    *, roadmap: Roadmap, actor: User, note: str = "", objection: bool = False
) -> Endorsement:
    """The non-governmental side gives its word: a co-signature, or an objection with its
    reason, which the government answers before it may adopt. A co-signature replaces the
    signer's own earlier objection (the objection and its answer stay in the audit log)."""
    note = note.strip()
    if objection:
        if roadmap.status != RoadmapStatus.CONSULTATION:
            raise ValidationError(_("An objection is recorded while the draft is in consultation."))
        if not note:
            raise ValidationError(_("Say why you object: the government answers your reasons."))
    elif roadmap.status not in (RoadmapStatus.CONSULTATION, RoadmapStatus.ADOPTED):
        raise ValidationError(
            _("A roadmap is co-signed while in consultation or once adopted, not as a draft.")
        )
    earlier = Endorsement.objects.select_for_update().filter(roadmap=roadmap, user=actor).first()
    if earlier is not None and (objection or not earlier.objection):
        raise ValidationError(
            _("You have already objected to this roadmap.")
            if earlier.objection
            else _("You have already co-signed this roadmap.")
        )
    if earlier is not None:
        audit_record(
            actor=actor,
            action="roadmap.objection_withdrawn",
            target=roadmap,
            objection=earlier.note,
            response=earlier.response or None,
        )
        earlier.delete()
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                roadmap=roadmap, user=actor, note=note, objection=objection
            )
    except IntegrityError:
        raise ValidationError(_("You have already co-signed this roadmap.")) from None
    audit_record(
        actor=actor,
        action="roadmap.objected" if objection else "roadmap.cosigned",
        target=roadmap,
        note=note or None,
    )
    notify(
        recipients=focal_points_of(roadmap.initiative).exclude(pk=actor.pk),
        template="roadmaps_roadmap_cosigned",
        context={
            "roadmap": roadmap,
            "endorsement": endorsement,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(roadmap.get_absolute_url()),
        },
    )
    return endorsement


@transaction.atomic
def objection_respond(*, endorsement: Endorsement, actor: User, response: str) -> Endorsement:
    """The government answers an objection with its reasons; the objector is told."""
    response = response.strip()
    if not response:
        raise ValidationError(_("Give a reasoned response: say what you changed, or why not."))
    endorsement = (
        Endorsement.objects.select_for_update()
        .select_related("roadmap", "user")
        .get(pk=endorsement.pk)
    )
    if not endorsement.objection:
        raise ValidationError(_("A co-signature needs no answer."))
    if endorsement.roadmap.status != RoadmapStatus.CONSULTATION:
        raise ValidationError(_("The consultation is over: the objection stays as it was."))
    endorsement.response = response
    endorsement.responded_by = actor
    endorsement.responded_at = timezone.now()
    endorsement.save(update_fields=["response", "responded_by", "responded_at"])
    audit_record(actor=actor, action="roadmap.objection_answered", target=endorsement.roadmap)
    notify(
        recipients=[endorsement.user],
        template="roadmaps_objection_response",
        context={
            "roadmap": endorsement.roadmap,
            "endorsement": endorsement,
            "country": endorsement.roadmap.initiative.country.name,
            "url": absolute_url(endorsement.roadmap.get_absolute_url()),
        },
    )
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
                origin_id=milestone.lineage_id,
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
