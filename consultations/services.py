"""Every change to consultations: opened, closed, the inputs organizations send and the
responses they get. Each runs in one transaction, writes its audit entry and sends its emails
after commit; views check permissions (consultations/rules.py) first."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.services import absolute_url, followers_of, notify
from roadmaps.services import alliance_of, alliance_people, focal_points_of
from roadmaps.uploads import CheckedFile
from stakeholders.models import (
    Alliance,
    MembershipStatus,
    Organization,
    OrganizationStatus,
    User,
)

from .models import (
    Audience,
    Consultation,
    ConsultationInput,
    ConsultationStatus,
)


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
    public_record: bool = False,
) -> Consultation:
    """The initiative's side asks the alliance (or every verified organization of the
    country) for input by a deadline; with ``public_record``, what was sent and answered
    is public after the deadline."""
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
            public_record=public_record,
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
            template="consultations_opened",
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
            template="consultations_input_submitted",
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
            template="consultations_input_response",
            context={
                "consultation": consultation,
                "url": absolute_url(consultation_input.get_absolute_url()),
            },
        )
    # Those who follow the consultation and may read this input: the initiative's side
    # while it runs; after the deadline, whoever may read its summary.
    notify(
        recipients=followers_of(
            consultation,
            may_see=(
                "consultations.view_consultation_summary"
                if consultation.is_past_deadline
                else "consultations.view_all_inputs"
            ),
            exclude=[actor, *([consultation_input.author] if consultation_input.author else [])],
        ),
        template="consultations_input_response",
        context={
            "consultation": consultation,
            "url": absolute_url(consultation.get_absolute_url()),
            "following": True,
        },
    )
    return consultation_input
