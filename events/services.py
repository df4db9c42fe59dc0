"""Every change to events and registrations that does more than save one form.

Each service runs in one transaction, checks the state it changes, writes its audit entry
and sends its emails after commit. Views check permissions (events/rules.py) first; the
services check what permissions cannot: the registration window, the capacity, the state
of the event and of the registration.

Capacity holds under concurrent registrations because every service that hands out or
frees a seat first locks the event's row (``SELECT ... FOR UPDATE`` on PostgreSQL), so the
count of taken seats and the new registration are decided by one request at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.services import audit_record
from notifications.services import absolute_url, followers_of, notify
from roadmaps.models import Milestone, Priority
from roadmaps.services import alliance_people_of_country, milestone_create
from stakeholders.models import Organization, OrganizationMember, User

from .models import (
    CONFIRMED_STATUSES,
    OPEN_STATUSES,
    SEAT_STATUSES,
    SIGNED_IN_VISIBILITIES,
    ActionItem,
    CalendarFeed,
    Event,
    EventStatus,
    EventVisibility,
    Registration,
    RegistrationStatus,
    new_feed_token,
)
from .rules import can_see_event

if TYPE_CHECKING:
    from django.forms import BaseInlineFormSet, ModelForm

# The code of the error for an event that does not exist or that the person may not see:
# views answer it with a 404, as for any address that leads nowhere.
NO_SUCH_EVENT = "no_such_event"
# Changes to these fields make calendars show the event anew (iCalendar SEQUENCE).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "venue", "status")
# Changes to these fields are told to everyone on the event's lists, saying what changed
# (in each reader's language: the labels are translated when the email is written).
NOTICE_FIELDS = {
    "starts_at": gettext_lazy("the start"),
    "ends_at": gettext_lazy("the end"),
    "time_zone": gettext_lazy("the time zone"),
    "format": gettext_lazy("the format"),
    "venue": gettext_lazy("the venue"),
    "online_link": gettext_lazy("the online link"),
}
# Statuses of an event whose people are still to hear of changes.
LIVE_STATUSES = (EventStatus.SCHEDULED, EventStatus.POSTPONED)


def _lock(event: Event | int) -> Event:
    """The event's row (of the event or its key), read again and locked until the
    transaction ends; ``Event.DoesNotExist`` if it is gone."""
    pk = event.pk if isinstance(event, Event) else event
    return Event.objects.select_for_update().get(pk=pk)


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=SEAT_STATUSES).count()


def _has_free_seat(event: Event) -> bool:
    return event.capacity is None or _seats_taken(event) < event.capacity


class ListState(NamedTuple):
    """Where a person stands on an event's lists, and how full the lists are."""

    mine: Registration | None  # the person's registration, whatever its status
    seats_taken: int
    last_position: int | None  # the end of the waiting list


def _list_state(event: Event, user: User) -> ListState:
    """The person's own registration (at most one per event: a unique constraint) and the
    state of the event's lists. The caller holds the event's lock, so both reads stay
    current until the transaction ends."""
    mine = event.registrations.filter(user=user).first()
    lists = event.registrations.aggregate(
        seats_taken=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        last_position=Max("position"),
    )
    return ListState(mine, **lists)


def _next_waitlist_position(event: Event) -> int:
    highest = event.registrations.aggregate(highest=Max("position"))["highest"]
    return (highest or 0) + 1


def _event_url(event: Event) -> str:
    return absolute_url(event.get_absolute_url())


# --- Events ----------------------------------------------------------------------------------


def _country_of(event: Event) -> Any:
    owner = event.initiative if event.initiative is not None else event.alliance
    assert owner is not None  # an event belongs to an initiative or to an alliance
    return owner.country


def announcement_audience(event: Event) -> QuerySet[User]:
    """Who hears of a new event: the people of the country's alliance, who may see every
    event but those by invitation, and, for an event open to everyone or to every
    registered person, those who follow the country."""
    if event.visibility == EventVisibility.INVITATION:
        return User.objects.none()
    country_id = _country_of(event).pk
    people = Q(pk__in=alliance_people_of_country(country_id).values("pk"))
    if event.visibility in SIGNED_IN_VISIBILITIES:
        people |= Q(notification_preferences__countries=country_id)
    return User.objects.filter(people, is_active=True).distinct()


def _announce(event: Event, actor: User) -> None:
    """Tell the event's audience that it is announced, if it is still to come."""
    if event.starts_at <= timezone.now():
        return
    notify(
        recipients=announcement_audience(event).exclude(pk=actor.pk),
        template="event_announced",
        context={
            "event": event,
            "country": str(_country_of(event).name),
            "url": _event_url(event),
        },
    )


@transaction.atomic
def event_save(*, event_form: ModelForm, agenda_formset: BaseInlineFormSet, actor: User) -> Event:
    """Create or edit an event and its agenda from validated forms. The person who creates
    an event becomes one of its organizers."""
    created = event_form.instance.pk is None
    before = (
        None
        if created
        else Event.objects.filter(pk=event_form.instance.pk).values(*NOTICE_FIELDS).get()
    )
    event: Event = event_form.save(commit=False)
    if created:
        event.created_by = actor
    elif any(name in event_form.changed_data for name in CALENDAR_FIELDS):
        event.sequence += 1
    event.full_clean()
    event.save()
    if created:
        event.organizers.add(actor)
    agenda_formset.instance = event
    for item in agenda_formset.save(commit=False):
        # Agenda times are entered as read in the event's time zone.
        if item.starts_at is not None and timezone.is_naive(item.starts_at):
            item.starts_at = item.starts_at.replace(tzinfo=event.tzinfo)
        item.event = event
        item.save()
    for item in agenda_formset.deleted_objects:
        item.delete()
    audit_record(
        actor=actor,
        action="event.created" if created else "event.changed",
        target=event,
        fields=sorted(event_form.changed_data) or None,
    )
    if created:
        _announce(event, actor)
    if not created and "capacity" in event_form.changed_data:
        _promote_waitlisted(_lock(event))
    if before is not None:
        changed = [name for name in NOTICE_FIELDS if getattr(event, name) != before[name]]
        if changes_are_told(event, changed):
            _tell_registrants(
                event,
                template="event_changed",
                changed=[NOTICE_FIELDS[name] for name in changed],
                time_changed=bool({"starts_at", "ends_at", "time_zone"} & set(changed)),
                place_changed=bool({"format", "venue", "online_link"} & set(changed)),
            )
    return event


def changes_are_told(event: Event, changed: Iterable[str]) -> bool:
    """Whether a change to these fields is emailed to the people on the event's lists: a
    change of time, place or format to an event still to come."""
    return (
        not NOTICE_FIELDS.keys().isdisjoint(changed)
        and event.status in LIVE_STATUSES
        and not event.has_ended
    )


# The news of an event that its followers hear too.
FOLLOWERS_TOLD = {"event_changed", "event_postponed", "event_cancelled"}


def _tell_registrants(event: Event, *, template: str, **context: object) -> None:
    """Email everyone still on the event's lists (registered, waitlisted, applying). Each
    email is written for its reader: ``can_access`` (the venue and online link) only for
    those with a seat, as ``events.view_event_access`` allows confirmed registrants."""
    for statuses, can_access in (
        ([RegistrationStatus.REGISTERED], True),
        ([RegistrationStatus.WAITLISTED, RegistrationStatus.APPLIED], False),
    ):
        notify(
            recipients=User.objects.filter(
                event_registrations__event=event, event_registrations__status__in=statuses
            ),
            template=template,
            context={
                "event": event,
                "url": _event_url(event),
                "can_access": can_access,
                **context,
            },
        )
    if template in FOLLOWERS_TOLD:
        # Those who follow the event without being on its lists, if they still may see it;
        # the venue and link stay with the seats.
        listed = event.registrations.filter(status__in=OPEN_STATUSES).values_list(
            "user_id", flat=True
        )
        notify(
            recipients=followers_of(event, may_see="events.view_event", exclude=listed),
            template=template,
            context={
                "event": event,
                "url": _event_url(event),
                "can_access": False,
                "following": True,
                **context,
            },
        )


@transaction.atomic
def event_postpone(
    *,
    event: Event,
    actor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    message: str,
) -> Event:
    """Move the event to new times and tell everyone registered, waitlisted or applying."""
    event = _lock(event)
    if event.status in (EventStatus.CANCELLED, EventStatus.HELD):
        raise ValidationError(
            _("This event is %(status)s: it can no longer be postponed.")
            % {"status": event.get_status_display().lower()}
        )
    if ends_at <= starts_at:
        raise ValidationError(_("The event must end after it starts."))
    if not message.strip():
        raise ValidationError(_("Tell the registrants why the event moves."))
    previous = {"starts_at": event.starts_at.isoformat(), "ends_at": event.ends_at.isoformat()}
    event.starts_at, event.ends_at = starts_at, ends_at
    event.status = EventStatus.POSTPONED
    event.status_message = message.strip()
    event.sequence += 1
    event.save(
        update_fields=["starts_at", "ends_at", "status", "status_message", "sequence", "updated_at"]
    )
    audit_record(actor=actor, action="event.postponed", target=event, previous=previous)
    _tell_registrants(event, template="event_postponed")
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: User, message: str) -> Event:
    """Cancel the event and tell everyone registered, waitlisted or applying."""
    event = _lock(event)
    if event.status in (EventStatus.CANCELLED, EventStatus.HELD):
        raise ValidationError(
            _("This event is %(status)s: it can no longer be cancelled.")
            % {"status": event.get_status_display().lower()}
        )
    if not message.strip():
        raise ValidationError(_("Tell the registrants why the event is cancelled."))
    event.status = EventStatus.CANCELLED
    event.status_message = message.strip()
    event.sequence += 1
    event.save(update_fields=["status", "status_message", "sequence", "updated_at"])
    audit_record(actor=actor, action="event.cancelled", target=event)
    _tell_registrants(event, template="event_cancelled")
    return event


# --- Registrations ---------------------------------------------------------------------------


def _check_registration_open(event: Event) -> None:
    now = timezone.now()
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event has been cancelled: registration is closed."))
    if event.status == EventStatus.HELD or event.has_ended:
        raise ValidationError(_("This event is over: registration is closed."))
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            _("Registration opens on %(when)s.")
            % {
                "when": formats.date_format(
                    timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT"
                )
            }
        )
    if now >= event.registration_closes:
        raise ValidationError(_("Registration for this event has closed."))


@transaction.atomic
def registration_create(
    *, event: Event | int, user: User, organization: Organization | None = None
) -> Registration:
    """Register a person: a seat while there is one, else the waiting list; an application
    when the organizers approve registrations. The returned status says which, and so does
    the email the person gets.

    ``event`` is the event or its key: either way its row is read again under the lock, and
    the returned registration carries that fresh row. An event the person may not see is
    refused with the code ``NO_SUCH_EVENT``, as if it did not exist.
    """
    locked: Event | None
    try:
        locked = _lock(event)
    except Event.DoesNotExist:
        locked = None
    # Asked of the locked row: most events are public or for members, which the rule
    # answers without another query.
    if locked is None or not can_see_event(user, locked):
        raise ValidationError(_("There is no such event."), code=NO_SUCH_EVENT)
    event = locked
    _check_registration_open(event)
    if (
        organization is not None
        and not OrganizationMember.objects.filter(user=user, organization=organization).exists()
    ):
        raise ValidationError(
            _("You can register only on behalf of an organization you belong to.")
        )
    state = _list_state(event, user)
    if state.mine is not None and state.mine.status != RegistrationStatus.CANCELLED:
        if state.mine.status == RegistrationStatus.DECLINED:
            raise ValidationError(_("The organizers declined your application for this event."))
        if state.mine.status == RegistrationStatus.REMOVED:
            raise ValidationError(_("The organizers removed you from this event's list."))
        raise ValidationError(
            _("You are already on the list for this event (%(status)s).")
            % {"status": state.mine.get_status_display().lower()}
        )
    if event.requires_approval:
        status, position = RegistrationStatus.APPLIED, None
    elif event.capacity is None or state.seats_taken < event.capacity:
        status, position = RegistrationStatus.REGISTERED, None
    else:
        status, position = RegistrationStatus.WAITLISTED, (state.last_position or 0) + 1
    # Coming back after cancelling: the same row, so its history stays in one place.
    registration = Registration(event=event, user=user) if state.mine is None else state.mine
    registration.organization = organization
    registration.status = status
    registration.position = position
    registration.created_at = timezone.now()
    try:
        # No savepoint: the lock makes a duplicate all but impossible, and if one comes the
        # whole registration is rolled back with the error.
        with transaction.atomic(savepoint=False):
            registration.save()
            audit_record(actor=user, action=f"registration.{status}", target=event)
    except IntegrityError:
        raise ValidationError(_("You are already on the list for this event.")) from None
    notify(
        recipients=[user],
        template="event_registration_received",
        context={
            "event": event,
            "url": _event_url(event),
            "status": status,
            "position": position,
        },
    )
    return registration


def _promote_waitlisted(event: Event) -> list[Registration]:
    """Give free seats to the waiting list in order and tell each promoted person. The
    caller holds the lock on the event."""
    promoted: list[Registration] = []
    if event.status in (EventStatus.CANCELLED, EventStatus.HELD):
        return promoted
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "position", "created_at", "pk"
    )
    for registration in waiting.select_related("user"):
        if not _has_free_seat(event):
            break
        registration.status = RegistrationStatus.REGISTERED
        registration.position = None
        registration.save(update_fields=["status", "position", "updated_at"])
        audit_record(actor=None, action="registration.promoted", target=event)
        notify(
            recipients=[registration.user],
            template="event_registration_promoted",
            context={"event": event, "url": _event_url(event)},
        )
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User) -> list[Registration]:
    """A person gives up their place (or application). A freed seat goes to the first
    person on the waiting list, who is told by email. Returns who was promoted."""
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This registration is %(status)s: there is nothing to cancel.")
            % {"status": registration.get_status_display().lower()}
        )
    if event.has_started:
        raise ValidationError(_("The event has started: registrations can no longer change."))
    registration.status = RegistrationStatus.CANCELLED
    registration.position = None
    registration.save(update_fields=["status", "position", "updated_at"])
    audit_record(actor=actor, action="registration.cancelled", target=event)
    return _promote_waitlisted(event)


@transaction.atomic
def registration_decide(*, registration: Registration, actor: User, approve: bool) -> Registration:
    """Organizers approve an application (a seat, or the waiting list when the event is
    full) or decline it. The applicant is told either way."""
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.APPLIED:
        raise ValidationError(
            _("This registration is %(status)s: it has been decided already.")
            % {"status": registration.get_status_display().lower()}
        )
    if not approve:
        registration.status = RegistrationStatus.DECLINED
    elif _has_free_seat(event):
        registration.status = RegistrationStatus.REGISTERED
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.position = _next_waitlist_position(event)
    registration.save(update_fields=["status", "position", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.approved" if approve else "registration.declined",
        target=event,
        registration=registration.pk,
        outcome=registration.status,
    )
    notify(
        recipients=[registration.user],
        template="event_registration_decision",
        context={"event": event, "registration": registration, "url": _event_url(event)},
    )
    return registration


@transaction.atomic
def registration_invite(*, event: Event, user: User, actor: User) -> Registration:
    """Organizers invite a person: a seat (or the waiting list when full), and for events
    by invitation the right to see the event at all."""
    event = _lock(event)
    if event.status in (EventStatus.CANCELLED, EventStatus.HELD) or event.has_ended:
        raise ValidationError(_("This event is over or cancelled: no more invitations."))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status not in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.DECLINED,
        RegistrationStatus.APPLIED,
    ):
        raise ValidationError(_("This person is already on the list for this event."))
    if registration is None:
        registration = Registration(event=event, user=user)
    if _has_free_seat(event):
        registration.status, registration.position = RegistrationStatus.REGISTERED, None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.position = _next_waitlist_position(event)
    registration.invited_by = actor
    registration.save()
    audit_record(actor=actor, action="registration.invited", target=event, invitee=user.pk)
    notify(
        recipients=[user],
        template="event_registration_invited",
        context={"event": event, "registration": registration, "url": _event_url(event)},
    )
    return registration


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason: the person reads it, and it is recorded."))
    return reason


@transaction.atomic
def registration_remove(*, registration: Registration, actor: User, reason: str) -> Registration:
    """Organizers take a person off the event's lists (a seat, the waiting list or an
    application), with a reason the person is told. A freed seat goes to the waiting list.
    The person cannot register again by themselves."""
    reason = _reason(reason)
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This registration is %(status)s: there is no one to remove.")
            % {"status": registration.get_status_display().lower()}
        )
    if event.has_started:
        raise ValidationError(
            _("The event has started: record who attended on the attendance page instead.")
        )
    previous = registration.status
    registration.status = RegistrationStatus.REMOVED
    registration.position = None
    registration.save(update_fields=["status", "position", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.removed",
        target=event,
        registration=registration.pk,
        previous=previous,
        reason=reason,
    )
    notify(
        recipients=[registration.user],
        template="event_registration_removed",
        context={"event": event, "reason": reason, "url": _event_url(event)},
    )
    _promote_waitlisted(event)
    return registration


@transaction.atomic
def registration_promote(*, registration: Registration, actor: User, reason: str) -> Registration:
    """Organizers give a seat to a person on the waiting list out of turn, with a reason
    that is recorded. A full event takes one person more than its capacity: the organizers
    decide that they have the room."""
    reason = _reason(reason)
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise ValidationError(
            _("This registration is %(status)s: only the waiting list can be promoted.")
            % {"status": registration.get_status_display().lower()}
        )
    if event.status not in LIVE_STATUSES or event.has_ended:
        raise ValidationError(_("This event is over or cancelled: its lists no longer change."))
    over_capacity = not _has_free_seat(event)
    previous_position = registration.position
    registration.status = RegistrationStatus.REGISTERED
    registration.position = None
    registration.save(update_fields=["status", "position", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.promoted_by_organizer",
        target=event,
        registration=registration.pk,
        position=previous_position,
        over_capacity=over_capacity,
        reason=reason,
    )
    notify(
        recipients=[registration.user],
        template="event_registration_promoted",
        context={"event": event, "url": _event_url(event), "by_organizers": True},
    )
    return registration


# --- After the event -----------------------------------------------------------------------


def walk_ins_for(event: Event, emails: list[str]) -> Sequence[User]:
    """The people with an account for the walk-in addresses, or a ``ValidationError``
    naming every address that has none (nothing is recorded until all are known)."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    people = list(
        User.objects.annotate(address=Lower("email")).filter(address__in=wanted, is_active=True)
    )
    unknown = sorted(wanted - {person.email.lower() for person in people})
    if unknown:
        raise ValidationError(
            ngettext(
                "No one has an account with this address: %(emails)s. Count them among the "
                "walk-ins without an account.",
                "No one has an account with these addresses: %(emails)s. Count them among the "
                "walk-ins without an account.",
                len(unknown),
            )
            % {"emails": ", ".join(unknown)}
        )
    return people


@transaction.atomic
def attendance_record(
    *,
    event: Event,
    actor: User,
    attended: Mapping[int, bool],
    walk_ins: Sequence[User] = (),
    walk_ins_without_account: int | None = None,
) -> int:
    """Mark who attended (``{registration id: attended?}``), the walk-ins (people with an
    account who came without a seat, and a count of those without one) and the event as
    held. Returns how many registrations changed."""
    event = _lock(event)
    if not event.has_started:
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event was cancelled: there is no attendance to record."))
    changed = 0
    registrations = event.registrations.filter(status__in=SEAT_STATUSES, pk__in=list(attended))
    for registration in registrations:
        status = (
            RegistrationStatus.ATTENDED if attended[registration.pk] else RegistrationStatus.NO_SHOW
        )
        if registration.status != status:
            registration.status = status
            registration.save(update_fields=["status", "updated_at"])
            changed += 1
    for person in walk_ins:
        registration, created = Registration.objects.get_or_create(
            event=event,
            user=person,
            defaults={"status": RegistrationStatus.ATTENDED, "walk_in": True},
        )
        if created:
            changed += 1
        elif registration.status != RegistrationStatus.ATTENDED:
            # A seat not ticked above, or on the waiting list, cancelled, declined...: came
            # all the same. Only those without a seat were walk-ins.
            registration.walk_in = registration.status not in SEAT_STATUSES
            registration.status = RegistrationStatus.ATTENDED
            registration.position = None
            registration.save(update_fields=["status", "walk_in", "position", "updated_at"])
            changed += 1
    fields = ["status", "updated_at"]
    if walk_ins_without_account is not None:
        event.walk_ins_without_account = walk_ins_without_account
        fields.append("walk_ins_without_account")
    event.status = EventStatus.HELD
    event.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="event.attendance_recorded",
        target=event,
        changed=changed,
        walk_ins=[person.pk for person in walk_ins] or None,
        walk_ins_without_account=walk_ins_without_account or None,
    )
    return changed


@transaction.atomic
def event_record_outcome(
    *,
    event: Event,
    actor: User,
    public_summary: str,
    minutes: str,
    action_items: BaseInlineFormSet,
) -> Event:
    """Publish what the event decided: a public summary, restricted minutes and the action
    items to follow up."""
    event = _lock(event)
    if not event.has_started:
        raise ValidationError(_("Minutes can be published once the event has started."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event was cancelled: there are no minutes to publish."))
    event.public_summary = public_summary.strip()
    event.minutes = minutes.strip()
    event.status = EventStatus.HELD
    first = event.outcome_published_at is None
    if first:
        event.outcome_published_at = timezone.now()
    event.save(
        update_fields=[
            "public_summary",
            "minutes",
            "status",
            "outcome_published_at",
            "updated_at",
        ]
    )
    action_items.instance = event
    action_items.save()
    audit_record(actor=actor, action="event.outcome_published", target=event, first=first)
    if first:
        # The participants (who attended, or held a seat when no attendance was taken) hear
        # that the minutes are out; the email links to them and holds only what the event
        # page shows everyone who may see it: the minutes stay behind sign-in.
        participants = User.objects.filter(
            event_registrations__event=event,
            event_registrations__status__in=CONFIRMED_STATUSES,
        ).exclude(pk=actor.pk)
        notify(
            recipients=participants,
            template="event_minutes_published",
            context={
                "event": event,
                "url": absolute_url(reverse("events:minutes", args=[event.pk])),
                "action_items": event.action_items.count(),
            },
        )
    return event


def waiting_lists_close(*, now: datetime.datetime | None = None) -> int:
    """Close the waiting lists and undecided applications of events that have ended, and
    tell each person that no seat came. Run by beat every hour; what it closes it closes
    once, so a repeated run writes nothing new. Returns how many registrations closed."""
    now = now or timezone.now()
    closed = 0
    waiting_statuses = (RegistrationStatus.WAITLISTED, RegistrationStatus.APPLIED)
    ended = Event.objects.filter(
        ends_at__lt=now,
        status__in=(*LIVE_STATUSES, EventStatus.HELD),
        registrations__status__in=waiting_statuses,
    ).distinct()
    for event_id in ended.values_list("pk", flat=True):
        with transaction.atomic():
            event = _lock(event_id)
            # The event's lock holds the lists still: every change to them takes it first.
            waiting = event.registrations.filter(status__in=waiting_statuses)
            people = {
                status: list(
                    User.objects.filter(pk__in=waiting.filter(status=status).values("user"))
                )
                for status in waiting_statuses
            }
            count = waiting.update(
                status=RegistrationStatus.CLOSED, position=None, updated_at=timezone.now()
            )
            for was, recipients in people.items():
                notify(
                    recipients=recipients,
                    template="event_waitlist_closed",
                    context={"event": event, "was": was, "url": _event_url(event)},
                    dedupe_key=f"event-waitlist-closed:{event.pk}",
                )
            audit_record(actor=None, action="event.waiting_list_closed", target=event, closed=count)
            closed += count
    return closed


@transaction.atomic
def action_item_to_milestone(
    *, action_item: ActionItem, priority: Priority, actor: User
) -> Milestone:
    """Turn an action item into a milestone under a priority of the initiative's roadmap,
    linked both ways: the item names its milestone, the milestone its action items (and so
    the event it came from). The roadmap must still be editable (a draft, or a revision of
    the adopted one): ``roadmaps.services.milestone_create`` refuses a frozen version."""
    action_item = (
        ActionItem.objects.select_for_update().select_related("event").get(pk=action_item.pk)
    )
    event = action_item.event
    if action_item.milestone_id is not None:
        raise ValidationError(_("This action item is on the roadmap already."))
    if event.initiative_id is None:
        raise ValidationError(_("This event belongs to no initiative, so to no roadmap."))
    if priority.roadmap.initiative_id != event.initiative_id:
        raise ValidationError(_("Choose a priority of this initiative's roadmap."))
    if not actor.has_perm("roadmaps.change_roadmap", priority.roadmap):
        raise PermissionDenied
    milestone = milestone_create(
        priority=priority,
        actor=actor,
        title=action_item.text,
        lead=action_item.owner,
        due_on=action_item.due_on,
        description=_("Agreed at %(event)s on %(date)s.")
        % {
            "event": event.title,
            "date": formats.date_format(event.starts_at.astimezone(event.tzinfo).date()),
        },
    )
    action_item.milestone = milestone
    action_item.save(update_fields=["milestone"])
    audit_record(
        actor=actor,
        action="event.action_item_to_milestone",
        target=event,
        action_item=action_item.pk,
        milestone=milestone.pk,
    )
    return milestone


# --- Calendars -----------------------------------------------------------------------------


def calendar_feed_for(user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Replace the secret feed address: the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    audit_record(actor=user, action="calendar_feed.reset", target=feed)
    return feed
