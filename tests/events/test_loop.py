"""Events close their loop: every change tells the people it concerns, the lists close when
the event is over, and organizers can remove, promote and record walk-ins.

Each test goes through the pages an organizer uses (or the job beat runs) and reads the
emails in the outbox: who got one, and what it says."""

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from events import services
from events.models import EventStatus, Registration, RegistrationStatus
from notifications.models import Notification
from tests.events.factories import (
    ActionItemFactory,
    EventFactory,
    RegistrationFactory,
    event_form_data,
    in_days,
)
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(world, client):
    client.force_login(world["focal_point"])
    return client


@pytest.fixture
def full_event(world):
    """An event of Kenya's initiative with one seat, taken, and two people waiting."""
    event = EventFactory(
        initiative=world.kenya_initiative,
        capacity=1,
        title="Workshop on referral",
        venue="Hotel Boulevard, Nairobi",
        online_link="https://meet.example.org/referral",
    )
    seat = RegistrationFactory(event=event, user=UserFactory(full_name="Amina Seat"))
    first = RegistrationFactory(
        event=event,
        user=UserFactory(full_name="Baraka Waiting"),
        status=RegistrationStatus.WAITLISTED,
        position=1,
    )
    second = RegistrationFactory(
        event=event,
        user=UserFactory(full_name="Chege Later"),
        status=RegistrationStatus.WAITLISTED,
        position=2,
    )
    return event, seat, first, second


def body(message) -> str:
    """The text part with its lines joined: emails are wrapped at 72 columns."""
    return " ".join(message.body.split())


def mail_to(mailoutbox, user):
    return [message for message in mailoutbox if message.to == [user.email]]


# --- A change of time, place or format ------------------------------------------------------


def test_moving_an_event_tells_each_person_on_its_lists_what_changed(
    world, organizer, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, seat, waiting, _ = full_event
    RegistrationFactory(event=event, user=UserFactory(), status=RegistrationStatus.CANCELLED)
    new_start = event.starts_at.astimezone(event.tzinfo) + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(
            reverse("events:edit", args=[event.pk]),
            event_form_data(
                event,
                world["focal_point"],
                starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(new_start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                venue="KICC, Nairobi",
            ),
            follow=True,
        )
    assert "Everyone on its lists is told what changed." in response.content.decode()
    # The seat, the two people waiting; not the person who cancelled.
    assert len(mailoutbox) == 3
    (to_seat,) = mail_to(mailoutbox, seat.user)
    assert to_seat.subject == "[VPI Portal] Changed: Workshop on referral"
    assert "What changed: the start, the end, the venue" in body(to_seat)
    assert new_start.strftime("%H:%M") in body(to_seat)
    assert "Venue: KICC, Nairobi" in body(to_seat)
    assert "https://meet.example.org/referral" in body(to_seat)
    # Who waits does not learn where the event is: the venue is for people with a seat.
    (to_waiting,) = mail_to(mailoutbox, waiting.user)
    assert "What changed: the start, the end, the venue" in body(to_waiting)
    assert "KICC" not in body(to_waiting)
    assert "meet.example.org" not in body(to_waiting)
    assert "shown on the event page to the people who have a seat" in body(to_waiting)


def test_an_edit_that_changes_no_time_place_or_format_writes_no_email(
    world, organizer, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, *_ = full_event
    with django_capture_on_commit_callbacks(execute=True):
        organizer.post(
            reverse("events:edit", args=[event.pk]),
            event_form_data(event, world["focal_point"], title="Workshop on referral pathways"),
        )
    event.refresh_from_db()
    assert event.title == "Workshop on referral pathways"
    assert mailoutbox == []


def test_the_change_email_is_written_in_each_readers_language(
    world, organizer, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, seat, *_ = full_event
    seat.user.preferred_language = "es"
    seat.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        organizer.post(
            reverse("events:edit", args=[event.pk]),
            event_form_data(event, world["focal_point"], format="online"),
        )
    (to_seat,) = mail_to(mailoutbox, seat.user)
    assert "Qué ha cambiado: el formato" in body(to_seat)
    assert "Formato: En línea" in body(to_seat)


# --- Minutes --------------------------------------------------------------------------------


def outcome_data(**changes: Any) -> dict[str, Any]:
    return {
        "public_summary": "Three steps towards a national referral mechanism.",
        "minutes": "CanaryMinutes: the ministry will draft the mechanism.",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-text": "Draft the referral mechanism",
        "actions-0-owner": "Ministry of Interior",
        "actions-0-order": "1",
        **changes,
    }


def test_publishing_the_minutes_tells_the_participants_once(
    world, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(
        initiative=world.kenya_initiative,
        title="Review of the roadmap",
        starts_at=in_days(-2),
        ends_at=in_days(-2, hour=12),
    )
    came = RegistrationFactory(event=event, status=RegistrationStatus.ATTENDED)
    missed = RegistrationFactory(event=event, status=RegistrationStatus.NO_SHOW)
    RegistrationFactory(event=event, status=RegistrationStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(reverse("events:outcome", args=[event.pk]), outcome_data())
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[came.user.email]]
    (message,) = mailoutbox
    assert message.subject == "[VPI Portal] Minutes published: Review of the roadmap"
    assert "It agreed on 1 action item." in body(message)
    assert "Three steps towards a national referral mechanism." in body(message)
    # The minutes stay behind sign-in: the email links to them.
    assert "CanaryMinutes" not in body(message)
    assert reverse("events:minutes", args=[event.pk]) in body(message)
    assert missed.user.email not in {to for m in mailoutbox for to in m.to}

    # Correcting the minutes later tells no one again.
    with django_capture_on_commit_callbacks(execute=True):
        organizer.post(
            reverse("events:outcome", args=[event.pk]),
            outcome_data(**{"actions-TOTAL_FORMS": "0", "public_summary": "Corrected."}),
        )
    assert len(mailoutbox) == 1
    event.refresh_from_db()
    assert event.public_summary == "Corrected."
    assert event.outcome_published_at is not None


# --- The waiting list when the event is over -------------------------------------------------


def test_the_waiting_list_closes_when_the_event_ends_with_a_notice_to_each_person(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    ended = EventFactory(
        initiative=world.kenya_initiative,
        title="Dialogue on smuggling",
        starts_at=in_days(-1),
        ends_at=in_days(-1, hour=12),
    )
    waiting = RegistrationFactory(event=ended, status=RegistrationStatus.WAITLISTED, position=1)
    applying = RegistrationFactory(event=ended, status=RegistrationStatus.APPLIED)
    seat = RegistrationFactory(event=ended, status=RegistrationStatus.REGISTERED)
    upcoming = EventFactory(initiative=world.kenya_initiative)
    still_waiting = RegistrationFactory(
        event=upcoming, status=RegistrationStatus.WAITLISTED, position=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.waiting_lists_close() == 2
    for registration, status in (
        (waiting, RegistrationStatus.CLOSED),
        (applying, RegistrationStatus.CLOSED),
        (seat, RegistrationStatus.REGISTERED),
        (still_waiting, RegistrationStatus.WAITLISTED),
    ):
        registration.refresh_from_db()
        assert registration.status == status
    assert waiting.position is None
    (to_waiting,) = mail_to(mailoutbox, waiting.user)
    assert to_waiting.subject == "[VPI Portal] No seat this time: Dialogue on smuggling"
    assert "no seat came free for you: its waiting list is now closed" in body(to_waiting)
    (to_applying,) = mail_to(mailoutbox, applying.user)
    assert "before its organizers decided on your application" in body(to_applying)
    assert len(mailoutbox) == 2
    assert AuditEntry.objects.filter(action="event.waiting_list_closed").count() == 1

    # Beat runs it every hour: a second run finds nothing to close and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.waiting_lists_close() == 0
    assert len(mailoutbox) == 2


def test_beat_closes_waiting_lists_every_hour_and_the_command_does_without_beat(world):
    from events import tasks

    job = settings.CELERY_BEAT_SCHEDULE["close-waiting-lists"]
    assert job["task"] == tasks.close_waiting_lists.name
    ended = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_days(-1), ends_at=in_days(-1, hour=12)
    )
    waiting = RegistrationFactory(event=ended, status=RegistrationStatus.WAITLISTED, position=1)
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CLOSED
    assert Notification.objects.filter(kind="event_waitlist_closed").count() == 1


# --- Removing and promoting -----------------------------------------------------------------


def test_an_organizer_removes_a_registrant_with_a_reason_the_person_reads(
    organizer, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, seat, first, second = full_event
    url = reverse("events:registration_remove", args=[event.pk, seat.pk])
    page = organizer.get(reverse("events:registrations", args=[event.pk])).content.decode()
    assert url in page
    assert "Amina Seat" in organizer.get(url).content.decode()

    # No reason: the page says so and nothing changes.
    response = organizer.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.REGISTERED

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(url, {"reason": "Registered twice, under two names."})
    assert response.status_code == 302
    seat.refresh_from_db()
    first.refresh_from_db()
    assert seat.status == RegistrationStatus.REMOVED
    # The freed seat goes to the first person waiting.
    assert first.status == RegistrationStatus.REGISTERED
    (removed,) = mail_to(mailoutbox, seat.user)
    assert removed.subject == "[VPI Portal] Removed from the list: Workshop on referral"
    assert "Registered twice, under two names." in body(removed)
    assert "Hotel Boulevard" not in body(removed)
    (promoted,) = mail_to(mailoutbox, first.user)
    assert "A seat has freed up" in body(promoted)
    entry = AuditEntry.objects.get(action="registration.removed")
    assert entry.data["reason"] == "Registered twice, under two names."

    # The removed person cannot put themselves back.
    with pytest.raises(Exception, match="removed you from this event"):
        services.registration_create(event=event, user=seat.user)


def test_an_organizer_gives_a_seat_out_of_turn_even_when_the_event_is_full(
    organizer, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, seat, first, second = full_event
    url = reverse("events:registration_promote", args=[event.pk, second.pk])
    page = organizer.get(url).content.decode()
    assert "The event is full (seats taken: 1 of 1)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(url, {"reason": "Speaks in the second session."})
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == RegistrationStatus.REGISTERED
    assert first.status == RegistrationStatus.WAITLISTED
    assert [message.to for message in mailoutbox] == [[second.user.email]]
    assert "The organizers have given you a seat" in body(mailoutbox[0])
    entry = AuditEntry.objects.get(action="registration.promoted_by_organizer")
    assert entry.data["reason"] == "Speaks in the second session."
    assert entry.data["over_capacity"] is True

    # Someone with a seat already cannot be promoted: the page says why.
    response = organizer.post(
        reverse("events:registration_promote", args=[event.pk, seat.pk]), {"reason": "Again."}
    )
    assert "only the waiting list can be promoted" in response.content.decode()


def test_people_who_do_not_organize_the_event_cannot_remove_anyone(world, client, full_event):
    event, seat, *_ = full_event
    client.force_login(world["org_admin"])
    response = client.post(
        reverse("events:registration_remove", args=[event.pk, seat.pk]), {"reason": "Mine now."}
    )
    assert response.status_code == 403
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.REGISTERED


# --- Attendance with walk-ins ---------------------------------------------------------------


def test_attendance_records_walk_ins_with_and_without_an_account(world, organizer):
    event = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_days(-1), ends_at=in_days(-1, hour=12)
    )
    seat = RegistrationFactory(event=event, user=UserFactory(full_name="Amina Seat"))
    waited = RegistrationFactory(
        event=event, user=UserFactory(email="waited@example.org"), status="waitlisted", position=1
    )
    newcomer = UserFactory(email="Newcomer@Example.org")
    url = reverse("events:attendance", args=[event.pk])

    # An address without an account: named in the error, nothing recorded.
    response = organizer.post(
        url,
        {
            f"attended-{seat.pk}": "on",
            "emails": "waited@example.org\nnobody@example.org",
            "without_account": "4",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "No one has an account with this address: nobody@example.org" in content
    seat.refresh_from_db()
    event.refresh_from_db()
    assert seat.status == RegistrationStatus.REGISTERED
    assert event.walk_ins_without_account == 0
    assert event.status == EventStatus.SCHEDULED

    response = organizer.post(
        url,
        {
            f"attended-{seat.pk}": "on",
            "emails": "waited@example.org\nnewcomer@example.org\n",
            "without_account": "4",
        },
        follow=True,
    )
    assert "Attendance saved (3 changes)." in response.content.decode()
    waited.refresh_from_db()
    seat.refresh_from_db()
    event.refresh_from_db()
    assert seat.status == RegistrationStatus.ATTENDED
    assert not seat.walk_in
    assert waited.status == RegistrationStatus.ATTENDED
    assert waited.walk_in
    assert waited.position is None
    walked_in = Registration.objects.get(event=event, user=newcomer)
    assert walked_in.status == RegistrationStatus.ATTENDED
    assert walked_in.walk_in
    assert event.walk_ins_without_account == 4
    assert event.status == EventStatus.HELD
    assert response.content.decode().count("walk-in") >= 2


def test_walk_in_addresses_must_be_addresses(world, organizer):
    event = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_days(-1), ends_at=in_days(-1, hour=12)
    )
    response = organizer.post(
        reverse("events:attendance", args=[event.pk]), {"emails": "not an address"}
    )
    assert "These are not email addresses: not an address" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


# --- Agendas and action items of any length -------------------------------------------------


def test_more_agenda_rows_come_back_with_what_was_typed_and_nothing_saved(world, organizer):
    event = EventFactory(initiative=world.kenya_initiative)
    data = event_form_data(
        event,
        world["focal_point"],
        **{
            "agenda-TOTAL_FORMS": "3",
            "agenda-0-title": "Opening",
            "agenda-0-order": "1",
            "agenda-1-title": "Referral pathways",
            "agenda-1-order": "2",
            "agenda-2-title": "Next steps",
            "agenda-2-order": "3",
        },
    )
    response = organizer.post(reverse("events:edit", args=[event.pk]), {**data, "more_rows": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="agenda-TOTAL_FORMS" value="6"' in content
    assert "Agenda item 6" in content
    assert 'value="Referral pathways"' in content
    assert not event.agenda_items.exists()

    data["agenda-TOTAL_FORMS"] = "6"
    data.update(
        {
            "agenda-3-title": "Closing",
            "agenda-3-order": "4",
            "agenda-4-title": "Press",
            "agenda-4-order": "5",
            "agenda-5-order": "0",  # an empty row, as the page sends it
        }
    )
    response = organizer.post(reverse("events:edit", args=[event.pk]), data)
    assert response.status_code == 302, response.context["agenda"].errors
    assert sorted(event.agenda_items.values_list("title", flat=True)) == [
        "Closing",
        "Next steps",
        "Opening",
        "Press",
        "Referral pathways",
    ]


def test_more_action_item_rows_stop_at_the_formsets_bound(world, organizer):
    event = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_days(-1), ends_at=in_days(-1, hour=12)
    )
    ActionItemFactory(event=event)
    response = organizer.post(
        reverse("events:outcome", args=[event.pk]),
        {
            **outcome_data(**{"actions-TOTAL_FORMS": "99", "actions-INITIAL_FORMS": "0"}),
            "more_rows": "1",
        },
    )
    content = response.content.decode()
    assert 'name="actions-TOTAL_FORMS" value="100"' in content
    assert "Add three more action items" not in content


# --- Registration closes when the event starts ------------------------------------------------


def test_registration_closes_when_the_event_starts_whatever_the_closing_time_said(world):
    started = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=in_days(-0.1),
        ends_at=in_days(1),
        # Set before this rule: later than the start.
        registration_closes_at=in_days(0.5),
    )
    assert not started.registration_is_open
    with pytest.raises(ValidationError, match="This event is over|has closed"):
        services.registration_create(event=started, user=UserFactory())


def test_the_event_form_refuses_a_registration_deadline_after_the_start(world, organizer):
    event = EventFactory(initiative=world.kenya_initiative)
    late = event.starts_at.astimezone(event.tzinfo) + datetime.timedelta(hours=1)
    response = organizer.post(
        reverse("events:edit", args=[event.pk]),
        event_form_data(
            event, world["focal_point"], registration_closes_at=late.strftime("%Y-%m-%dT%H:%M")
        ),
    )
    assert "Registration closes at the latest when the event starts." in (response.content.decode())
    event.refresh_from_db()
    assert event.registration_closes_at is None
