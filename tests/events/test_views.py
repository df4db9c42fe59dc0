import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from audit.models import AuditEntry
from events.models import Event, EventStatus, Registration, RegistrationStatus
from tests.events.factories import AgendaItemFactory, EventFactory, RegistrationFactory, in_days
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def detail(event) -> str:
    return reverse("events:detail", kwargs={"pk": event.pk})


# --- The list -------------------------------------------------------------------------------


def test_visitors_see_public_upcoming_events_only(client, world, kenya_event):
    EventFactory(initiative=world.kenya_initiative, visibility="members", title="Members talk")
    EventFactory(
        initiative=world.kenya_initiative,
        title="Last year's workshop",
        starts_at=in_days(-30),
        ends_at=in_days(-30, hour=12),
    )
    content = client.get(reverse("events:list")).content.decode()
    assert "Kenya consultation" in content
    assert "Members talk" not in content
    assert "Last year&#x27;s workshop" not in content
    assert "1 event" in content
    assert content.count("<h1") == 1


def test_the_past_tab_lists_past_events(client, world):
    EventFactory(
        initiative=world.kenya_initiative,
        title="Last year's workshop",
        starts_at=in_days(-30),
        ends_at=in_days(-30, hour=12),
    )
    content = client.get(reverse("events:list") + "?when=past").content.decode()
    assert "Last year&#x27;s workshop" in content


def test_the_list_filters_by_country_kind_and_topic(client, world, kenya_event):
    EventFactory(initiative=world.pakistan_initiative, title="Pakistan dialogue")
    EventFactory(
        initiative=None,
        kind="constructive_dialogue",
        topic="smuggling_of_migrants",
        title="Constructive Dialogue on smuggling of migrants",
    )
    by_country = client.get(reverse("events:list"), {"country": world.pakistan.pk})
    assert "Pakistan dialogue" in by_country.content.decode()
    assert "Kenya consultation" not in by_country.content.decode()
    by_topic = client.get(
        reverse("events:list"), {"kind": "constructive_dialogue", "topic": "smuggling_of_migrants"}
    ).content.decode()
    assert "Constructive Dialogue on smuggling of migrants" in by_topic
    assert "Pakistan dialogue" not in by_topic


def test_the_country_filter_leaves_out_countries_visitors_may_not_see(client, world):
    world.pakistan_initiative.visibility = "members"
    world.pakistan_initiative.save()
    content = client.get(reverse("events:list")).content.decode()
    assert "Kenya" in content
    assert "Pakistan" not in content


def test_the_list_says_so_when_nothing_matches(client, db):
    assert "No upcoming events yet." in client.get(reverse("events:list")).content.decode()


def test_the_list_is_paginated(client, world):
    for n in range(25):
        EventFactory(initiative=world.kenya_initiative, title=f"Event {n:02d}")
    content = client.get(reverse("events:list")).content.decode()
    assert "Page 1 of 2" in content


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_makes_the_same_number_of_queries_at_any_size(client_for, world):
    client = client_for("registered")
    EventFactory(initiative=world.kenya_initiative, alliance=world.kenya_alliance)
    client.get(reverse("events:list"))  # the first request of a session does more
    few = count_queries(client, reverse("events:list"))
    for _ in range(10):
        EventFactory(initiative=world.pakistan_initiative)
        EventFactory(initiative=None)
    assert count_queries(client, reverse("events:list")) == few


def test_the_event_page_makes_the_same_number_of_queries_at_any_size(client_for, world):
    client = client_for("focal_point")
    event = EventFactory(initiative=world.kenya_initiative)
    AgendaItemFactory(event=event)
    RegistrationFactory(event=event)
    client.get(detail(event))  # the first request of a session does more
    few = count_queries(client, detail(event))
    for _ in range(10):
        AgendaItemFactory(event=event)
        RegistrationFactory(event=event)
    assert count_queries(client, detail(event)) == few


# --- The event page -------------------------------------------------------------------------


def test_the_event_page_shows_times_where_it_happens_and_where_the_viewer_is(client_for, world):
    viewer = world["registered"]
    viewer.time_zone = "America/Mexico_City"
    viewer.save()
    event = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.UTC),
        time_zone="Africa/Nairobi",
    )
    AgendaItemFactory(event=event, title="Opening", speakers="Ministry of Interior")
    content = client_for("registered").get(detail(event)).content.decode()
    assert "Tuesday 4 March 2031, 09:00 – 12:00" in content
    assert "Africa/Nairobi" in content
    assert "Tuesday 4 March 2031, 00:00" in content  # 06:00 UTC in Mexico City
    assert "America/Mexico_City" in content
    assert "Opening" in content
    assert "Ministry of Interior" in content


def test_venue_and_link_are_hidden_until_the_person_registers(client_for, world, kenya_event):
    client = client_for("registered")
    content = client.get(detail(kenya_event)).content.decode()
    assert kenya_event.online_link not in content
    assert kenya_event.venue not in content
    assert "shown to registered people" in content

    response = client.post(reverse("events:register", kwargs={"pk": kenya_event.pk}), follow=True)
    content = response.content.decode()
    assert "You are registered." in content
    assert kenya_event.online_link in content
    assert kenya_event.venue in content


def test_visitors_are_asked_to_sign_in_and_see_no_venue(client, kenya_event):
    content = client.get(detail(kenya_event)).content.decode()
    assert "Sign in to register" in content
    assert kenya_event.venue not in content


def test_a_held_event_offers_no_registration_and_no_waiting_list(client, client_for, held_event):
    """Registration closes when an event starts: its page no longer invites visitors to sign
    in to register, nor counts seats and a waiting list."""
    held_event.capacity = 1
    held_event.save()
    RegistrationFactory(event=held_event, status="waitlisted")
    for reader in (client, client_for("coordinator")):
        content = reader.get(detail(held_event)).content.decode()
        assert "Sign in to register" not in content
        assert "Registration is closed." in content
        assert "on the waiting list" not in content
        assert "seat left" not in content
        assert "seats left" not in content


def test_organizers_see_the_venue_and_their_tools(client_for, kenya_event):
    content = client_for("focal_point").get(detail(kenya_event)).content.decode()
    assert kenya_event.online_link in content
    assert reverse("events:registrations", kwargs={"pk": kenya_event.pk}) in content


def test_an_event_the_viewer_may_not_see_is_a_404(client, client_for, world):
    event = EventFactory(
        initiative=world.kenya_initiative, visibility="alliance", title="Alliance only"
    )
    for response in (
        client.get(detail(event)),
        client_for("registered").get(detail(event)),
        client_for("registered").post(reverse("events:register", kwargs={"pk": event.pk})),
        client.get(reverse("events:calendar", kwargs={"pk": event.pk})),
    ):
        assert response.status_code == 404
        assert "Alliance only" not in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_event_puts_the_next_person_on_the_waiting_list_and_says_so(client_for, world):
    event = EventFactory(initiative=world.kenya_initiative, capacity=1)
    RegistrationFactory(event=event)
    response = client_for("registered").post(
        reverse("events:register", kwargs={"pk": event.pk}), follow=True
    )
    content = response.content.decode()
    assert "you are on the waiting list, number 1" in content
    assert event.online_link not in content


def test_registering_reads_the_event_once_and_writes_three_rows(client_for, world, kenya_event):
    """The registration is the busiest write: the event is read once, under its lock, the
    person's place and the lists' state in two more queries, and the registration, its
    audit entry and the person's confirmation in the outbox are written one row each."""
    client = client_for("registered")
    url = reverse("events:register", kwargs={"pk": kenya_event.pk})
    client.get(detail(kenya_event))  # the session and the person are loaded either way
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url)
    assert response.status_code == 302
    statements = [query["sql"].replace('"', "") for query in queries.captured_queries]
    event_reads = [sql for sql in statements if "FROM events_event " in sql]
    assert len(event_reads) == 1
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in event_reads[0]
    registration_reads = [sql for sql in statements if "FROM events_registration " in sql]
    assert len(registration_reads) == 2
    writes = [
        re.findall(r"INSERT INTO (\w+)", sql) for sql in statements if sql.startswith("INSERT")
    ]
    assert writes == [
        ["events_registration"],
        ["audit_auditentry"],
        ["notifications_notification"],
    ]
    assert AuditEntry.objects.get(action="registration.registered").target_id == str(kenya_event.pk)
    assert Registration.objects.get(user=world["registered"]).status == "registered"


def test_registering_on_behalf_of_ones_organization(client_for, world, kenya_event):
    url = reverse("events:register", kwargs={"pk": kenya_event.pk})
    page = client_for("org_admin").get(detail(kenya_event)).content.decode()
    assert f'<option value="{world.organization.pk}">' in page
    response = client_for("org_admin").post(
        url, {"organization": world.organization.pk}, follow=True
    )
    assert "You are registered." in response.content.decode()
    assert Registration.objects.get(user=world["org_admin"]).organization == world.organization


def test_registering_on_behalf_of_someone_elses_organization_is_refused(
    client_for, world, kenya_event
):
    url = reverse("events:register", kwargs={"pk": kenya_event.pk})
    response = client_for("registered").post(
        url, {"organization": world.organization.pk}, follow=True
    )
    assert "Choose one of your own organizations, or yourself." in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_twice_shows_a_message_and_saves_nothing(client_for, world, kenya_event):
    client = client_for("registered")
    url = reverse("events:register", kwargs={"pk": kenya_event.pk})
    client.post(url)
    content = client.post(url, follow=True).content.decode()
    assert "already on the list" in content
    assert Registration.objects.filter(user=world["registered"]).count() == 1


def test_registering_for_a_cancelled_event_is_refused(client_for, world, kenya_event):
    kenya_event.status = EventStatus.CANCELLED
    kenya_event.save()
    response = client_for("registered").post(
        reverse("events:register", kwargs={"pk": kenya_event.pk}), follow=True
    )
    assert "has been cancelled" in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_needs_a_post(client_for, kenya_event):
    response = client_for("registered").get(
        reverse("events:register", kwargs={"pk": kenya_event.pk})
    )
    assert response.status_code == 405


def test_cancelling_ones_registration_asks_first_then_promotes_the_next_person(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(initiative=world.kenya_initiative, capacity=1)
    RegistrationFactory(event=event, user=world["registered"])
    waiting = RegistrationFactory(
        event=event, user=world["org_admin"], status=RegistrationStatus.WAITLISTED, position=1
    )
    client = client_for("registered")
    url = reverse("events:unregister", kwargs={"pk": event.pk})
    confirm = client.get(url).content.decode()
    assert "Yes, cancel my registration" in confirm
    assert Registration.objects.get(user=world["registered"]).status == "registered"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Your registration has been cancelled." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [message.to for message in mailoutbox] == [[world["org_admin"].email]]


# --- Calendars -------------------------------------------------------------------------------


def parse(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_event_calendar_holds_one_event_at_the_right_time(client, world):
    event = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.UTC),
        time_zone="Africa/Nairobi",
    )
    response = client.get(reverse("events:calendar", kwargs={"pk": event.pk}))
    (vevent,) = parse(response)
    assert vevent.get("dtstart").params["TZID"] == "Africa/Nairobi"
    assert vevent.decoded("dtstart").astimezone(datetime.UTC) == event.starts_at
    assert vevent.decoded("dtend").astimezone(datetime.UTC) == event.ends_at
    assert str(vevent.get("uid")) == f"event-{event.pk}@127.0.0.1"
    assert vevent.get("status") == "CONFIRMED"
    assert "location" not in vevent  # a visitor may not see the venue
    assert b"BEGIN:VTIMEZONE" in response.content


def test_a_cancelled_event_is_marked_cancelled_with_a_new_sequence(client_for, world):
    event = EventFactory(
        initiative=world.kenya_initiative, status=EventStatus.CANCELLED, sequence=2
    )
    RegistrationFactory(event=event, user=world["registered"])
    (vevent,) = parse(client_for("registered").get(reverse("events:calendar", args=[event.pk])))
    assert vevent.get("status") == "CANCELLED"
    assert vevent.get("sequence") == 2
    assert str(vevent.get("location")) == event.venue


def test_the_personal_feed_lists_ones_registered_events(client, world, kenya_event):
    from events.services import calendar_feed_for

    other = EventFactory(initiative=world.kenya_initiative, title="Not mine")
    waitlisted = EventFactory(initiative=world.kenya_initiative, title="Waiting")
    RegistrationFactory(event=kenya_event, user=world["registered"])
    RegistrationFactory(event=waitlisted, user=world["registered"], status="waitlisted")
    RegistrationFactory(event=other, user=world["org_admin"])
    feed = calendar_feed_for(world["registered"])
    events = parse(client.get(feed.get_absolute_url()))
    assert [str(vevent.get("summary")) for vevent in events] == ["Kenya consultation"]


def test_a_forged_or_reset_feed_token_is_a_404(client, client_for, world):
    from events.services import calendar_feed_for

    old = calendar_feed_for(world["registered"]).get_absolute_url()
    assert client.get(reverse("events:feed", kwargs={"token": "forged-token"})).status_code == 404
    response = client_for("registered").post(reverse("events:reset_feed"), follow=True)
    assert "The old address no longer works." in response.content.decode()
    assert client.get(old).status_code == 404
    new = calendar_feed_for(world["registered"]).get_absolute_url()
    assert new != old
    assert client.get(new).status_code == 200
    assert new in response.content.decode()


# --- My events ------------------------------------------------------------------------------


def test_my_events_lists_registrations_and_organized_events(client_for, world, kenya_event):
    registered_event = EventFactory(initiative=world.pakistan_initiative, title="Pakistan talk")
    RegistrationFactory(event=registered_event, user=world["focal_point"], status="waitlisted")
    content = client_for("focal_point").get(reverse("events:mine")).content.decode()
    assert "Pakistan talk" in content
    assert "On the waiting list" in content
    assert "Events I organize" in content
    assert "Kenya consultation" in content


@pytest.mark.parametrize(
    ("person", "organized"),
    [
        ("focal_point", "Kenya consultation"),  # the initiative's events
        ("coordinator", "Kenya alliance meeting"),  # the alliance's meetings
        ("registered", "Listed talk"),  # listed as an organizer, with no role
        ("org_admin", None),
    ],
)
def test_my_events_lists_what_each_kind_of_organizer_organizes(
    client_for, world, kenya_event, alliance_meeting, person, organized
):
    listed = EventFactory(initiative=world.pakistan_initiative, title="Listed talk")
    listed.organizers.add(world["registered"])
    content = client_for(person).get(reverse("events:mine")).content.decode()
    assert ("Events I organize" in content) is (organized is not None)
    titles = {"Kenya consultation", "Kenya alliance meeting", "Listed talk"}
    assert {title for title in titles if title in content} == ({organized} - {None})


def test_my_events_needs_signing_in(client, db):
    response = client.get(reverse("events:mine"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Organizers -----------------------------------------------------------------------------


def event_data(**overrides) -> dict:
    data = {
        "kind": "stakeholder_consultation",
        "format": "hybrid",
        "title": "Consultation on the anti-smuggling bill",
        "description": "Civil society comments on the draft bill.",
        "time_zone": "Africa/Nairobi",
        "starts_at": "2031-05-06T09:00",
        "ends_at": "2031-05-06T13:00",
        "venue": "Nairobi",
        "online_link": "https://meet.example.org/bill",
        "capacity": "40",
        "visibility": "public",
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "50",
        "agenda-0-starts_at": "2031-05-06T09:30",
        "agenda-0-title": "The bill in brief",
        "agenda-0-speakers": "Office of the Attorney-General",
        "agenda-0-order": "1",
        "agenda-1-order": "0",  # an empty row, as the browser sends it
    }
    data.update(overrides)
    return data


def test_a_focal_point_creates_an_event_with_its_agenda(client_for, world):
    data = event_data(initiative=world.kenya_initiative.pk)
    response = client_for("focal_point").post(reverse("events:create"), data, follow=True)
    assert "The event has been created." in response.content.decode()
    event = Event.objects.get()
    assert event.initiative == world.kenya_initiative
    assert event.starts_at == datetime.datetime(2031, 5, 6, 6, 0, tzinfo=datetime.UTC)
    assert list(event.organizers.all()) == [world["focal_point"]]
    item = event.agenda_items.get()
    assert item.title == "The bill in brief"
    assert item.starts_at == datetime.datetime(2031, 5, 6, 6, 30, tzinfo=datetime.UTC)
    assert AuditEntry.objects.filter(action="event.created").exists()


def test_a_focal_point_cannot_create_events_for_another_initiative(client_for, world):
    data = event_data(initiative=world.pakistan_initiative.pk)
    response = client_for("focal_point").post(reverse("events:create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2031-05-06T08:00"}, "The event must end after it starts."),
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice"),
        ({"capacity": "0"}, "greater than or equal to 1"),
    ],
    ids=["end-before-start", "unknown-time-zone", "no-capacity"],
)
def test_bad_event_input_is_shown_and_nothing_saved(client_for, world, overrides, message):
    data = event_data(initiative=world.kenya_initiative.pk, **overrides)
    response = client_for("focal_point").post(reverse("events:create"), data)
    content = response.content.decode()
    assert message in content
    assert "Consultation on the anti-smuggling bill" in content  # the input is kept
    assert not Event.objects.exists()


def test_people_who_organize_nothing_cannot_open_the_create_page(client_for, world):
    assert client_for("registered").get(reverse("events:create")).status_code == 403


def test_editing_keeps_times_in_the_events_time_zone(client_for, world):
    event = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=datetime.datetime(2031, 3, 4, 6, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.UTC),
    )
    content = client_for("focal_point").get(reverse("events:edit", args=[event.pk])).content
    assert b'value="2031-03-04T09:00"' in content
    assert client_for("coordinator").get(reverse("events:edit", args=[event.pk])).status_code == 403


def test_organizers_cancel_with_a_confirmation(
    client_for, world, kenya_event, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=kenya_event, user=world["registered"])
    client = client_for("focal_point")
    url = reverse("events:cancel", args=[kenya_event.pk])
    response = client.post(url, {"message": "Unrest in the city."})
    assert "This field is required." in response.content.decode()
    kenya_event.refresh_from_db()
    assert kenya_event.status == EventStatus.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "Unrest in the city.", "confirm": "on"})
    kenya_event.refresh_from_db()
    assert kenya_event.status == EventStatus.CANCELLED
    assert [message.to for message in mailoutbox] == [[world["registered"].email]]


def test_organizers_postpone_to_new_times(client_for, world, kenya_event):
    response = client_for("focal_point").post(
        reverse("events:postpone", args=[kenya_event.pk]),
        {"starts_at": "2031-06-01T10:00", "ends_at": "2031-06-01T12:00", "message": "Moved."},
        follow=True,
    )
    assert "The event has been moved." in response.content.decode()
    kenya_event.refresh_from_db()
    assert kenya_event.starts_at == datetime.datetime(2031, 6, 1, 7, 0, tzinfo=datetime.UTC)
    assert kenya_event.status == EventStatus.POSTPONED


def test_the_attendee_list_is_for_organizers_and_each_view_is_recorded(
    client_for, world, kenya_event
):
    RegistrationFactory(event=kenya_event, user=world["registered"])
    url = reverse("events:registrations", args=[kenya_event.pk])
    content = client_for("focal_point").get(url).content.decode()
    assert world["registered"].email in content
    entry = AuditEntry.objects.get(action="event.attendees_viewed")
    assert entry.sensitive
    assert entry.actor == world["focal_point"]
    for persona in ("registered", "coordinator", "other_focal_point"):
        assert client_for(persona).get(url).status_code == 403
    assert AuditEntry.objects.filter(action="event.attendees_viewed").count() == 1


def test_the_attendee_export_is_a_csv_and_is_recorded(client_for, world, kenya_event):
    RegistrationFactory(event=kenya_event, user=world["registered"], organization=None)
    response = client_for("staff").get(
        reverse("events:registrations_export", args=[kenya_event.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Rita Registered" in body
    assert world["registered"].email in body
    assert AuditEntry.objects.get(action="event.attendees_exported").sensitive


def test_organizers_approve_applications(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(initiative=world.kenya_initiative, requires_approval=True)
    application = RegistrationFactory(event=event, user=world["registered"], status="applied")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("focal_point").post(
            reverse("events:decide", args=[event.pk, application.pk]),
            {"decision": "approve"},
            follow=True,
        )
    assert "Rita Registered: registered." in response.content.decode()
    assert [message.to for message in mailoutbox] == [[world["registered"].email]]


def test_organizers_invite_by_email(client_for, world):
    event = EventFactory(initiative=world.kenya_initiative, visibility="invitation")
    client = client_for("focal_point")
    url = reverse("events:registrations", args=[event.pk])
    response = client.post(url, {"email": "nobody@example.org"})
    assert "Ask the person to register first." in response.content.decode()
    client.post(url, {"email": world["registered"].email})
    assert Registration.objects.get(event=event).user == world["registered"]
    assert client_for("registered").get(detail(event)).status_code == 200


# --- After the event ------------------------------------------------------------------------


@pytest.fixture
def held_event(world):
    event = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=in_days(-2),
        ends_at=in_days(-2, hour=12),
        chatham_house=True,
        title="Closed dialogue",
    )
    RegistrationFactory(event=event, user=world["registered"], status="attended")
    RegistrationFactory(event=event, user=world["org_admin"], status="attended")
    return event


def test_organizers_record_attendance(client_for, world, held_event):
    registration = held_event.registrations.get(user=world["org_admin"])
    client_for("focal_point").post(
        reverse("events:attendance", args=[held_event.pk]),
        {f"attended-{held_event.registrations.get(user=world['registered']).pk}": "on"},
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW


def test_organizers_publish_summary_minutes_and_action_items(client_for, world, held_event):
    response = client_for("focal_point").post(
        reverse("events:outcome", args=[held_event.pk]),
        {
            "public_summary": "The dialogue agreed on three follow-up actions.",
            "minutes": "Participants discussed the referral mechanism.",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "100",
            "actions-0-text": "Draft a referral mechanism",
            "actions-0-owner": "Ministry of Interior",
            "actions-0-due_on": "2031-01-31",
            "actions-0-order": "1",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Participants discussed the referral mechanism." in content
    assert "Draft a referral mechanism" in content
    held_event.refresh_from_db()
    assert held_event.status == EventStatus.HELD
    public = client_for("visitor").get(detail(held_event)).content.decode()
    assert "The dialogue agreed on three follow-up actions." in public
    assert "referral mechanism" not in public


def test_minutes_are_restricted(client, client_for, held_event):
    held_event.minutes = "Confidential discussion."
    held_event.save()
    url = reverse("events:minutes", args=[held_event.pk])
    assert client_for("registered").get(url).status_code == 200
    assert client_for("coordinator").get(url).status_code == 403
    assert client.get(url).status_code == 403


def test_under_chatham_house_attendees_never_learn_who_else_took_part(client_for, held_event):
    for url in (
        reverse("events:minutes", args=[held_event.pk]),
        reverse("events:minutes_export", args=[held_event.pk]),
    ):
        seen_by_attendee = client_for("registered").get(url).content.decode()
        assert "Oscar OrgAdmin" not in seen_by_attendee
        assert "participants are not named" in seen_by_attendee
        seen_by_organizer = client_for("focal_point").get(url).content.decode()
        assert "Oscar OrgAdmin" in seen_by_organizer


def test_reading_who_took_part_in_the_minutes_is_recorded(client_for, world, held_event):
    """Organizers read the participants' names on the minutes page and in its text export:
    each is recorded as access to personal data, as the event's other lists of people are.
    An attendee under the Chatham House rule reads no names, and nothing is recorded."""
    client_for("registered").get(reverse("events:minutes", args=[held_event.pk]))
    assert not AuditEntry.objects.filter(action__startswith="event.participants_").exists()
    organizer = client_for("focal_point")
    organizer.get(reverse("events:minutes", args=[held_event.pk]))
    organizer.get(reverse("events:minutes_export", args=[held_event.pk]))
    entries = AuditEntry.objects.filter(actor=world["focal_point"], target_id=str(held_event.pk))
    assert sorted(entries.filter(sensitive=True).values_list("action", flat=True)) == [
        "event.participants_exported",
        "event.participants_viewed",
    ]


def test_without_chatham_house_attendees_see_who_took_part(client_for, held_event):
    held_event.chatham_house = False
    held_event.save()
    content = client_for("registered").get(reverse("events:minutes", args=[held_event.pk]))
    assert "Oscar OrgAdmin" in content.content.decode()


# --- The country page -----------------------------------------------------------------------


def test_the_country_page_lists_the_initiatives_upcoming_visible_events(client, world, kenya_event):
    EventFactory(initiative=world.kenya_initiative, visibility="members", title="Members talk")
    EventFactory(initiative=world.pakistan_initiative, title="Pakistan dialogue")
    content = client.get("/countries/ke/").content.decode()
    assert "Upcoming events" in content
    assert "Kenya consultation" in content
    assert "Members talk" not in content
    assert "Pakistan dialogue" not in content


def test_a_users_email_never_reaches_a_public_page(client, world, kenya_event):
    UserFactory(email="hidden@example.org")
    RegistrationFactory(event=kenya_event, user=world["registered"])
    assert world["registered"].email not in client.get(detail(kenya_event)).content.decode()


@pytest.mark.parametrize(
    ("visibility", "told"),
    [
        ("public", ["coordinator", "follower", "org_admin"]),
        ("members", ["coordinator", "follower", "org_admin"]),
        ("alliance", ["coordinator", "org_admin"]),
        ("invitation", []),
    ],
)
def test_a_new_event_is_announced_to_those_who_may_see_it(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks, visibility, told
):
    """The country's alliance hears of every event but those by invitation; those who
    follow the country hear of the events open to them; the organizer is not told."""
    from notifications.models import Preferences
    from tests.stakeholders.factories import UserFactory

    follower = UserFactory(email="follower@example.org")
    Preferences.objects.create(user=follower).countries.add(world.kenya)
    people = {**{name: world[name] for name in ("coordinator", "org_admin")}, "follower": follower}
    data = event_data(initiative=world.kenya_initiative.pk, visibility=visibility)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("focal_point").post(reverse("events:create"), data)
    addresses = sorted(message.to[0] for message in mailoutbox)
    assert addresses == sorted(people[name].email for name in told)
    if told:
        message = mailoutbox[0]
        assert (
            message.subject
            == "[VPI Portal] New event in Kenya: Consultation on the anti-smuggling bill"
        )
        body = " ".join(message.body.split())
        assert "A new event is announced in Kenya: Consultation on the anti-smuggling bill." in body
        assert "When: Tuesday 6 May 2031, 09:00 (Africa/Nairobi)" in body


def test_an_event_recorded_after_it_took_place_is_not_announced(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    data = event_data(
        initiative=world.kenya_initiative.pk,
        starts_at="2024-05-06T09:00",
        ends_at="2024-05-06T12:00",
        **{"agenda-TOTAL_FORMS": "0"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for("focal_point").post(reverse("events:create"), data)
    assert Event.objects.exists()
    assert mailoutbox == []
