"""Calendar files hold what people typed, whatever it is: a title with a line break is a
valid calendar, and a published calendar names its organizer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.services import calendar_feed_for
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def parsed(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"\n" not in response.content.replace(b"\r\n", b"")  # every line ends in CRLF
    return Calendar.from_ical(response.content)


def test_an_event_title_with_line_breaks_gives_a_calendar_on_one_line(client, world):
    event = EventFactory(
        initiative=world.kenya_initiative,
        title="Roadmap review\r\nsecond day\n\tand\x0bmore",
        description="Morning: priorities.\r\nAfternoon: milestones.",
    )
    calendar = parsed(client.get(reverse("events:calendar", args=[event.pk])))
    assert str(calendar["X-WR-CALNAME"]) == "Roadmap review second day and more"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Roadmap review second day and more"
    assert str(vevent["DESCRIPTION"]).startswith("Morning: priorities.\nAfternoon: milestones.")


def test_a_venue_with_a_line_break_stays_on_one_line_for_those_who_see_it(client_for, world):
    event = EventFactory(initiative=world.kenya_initiative, venue="UN Gigiri\nRoom 4")
    RegistrationFactory(event=event, user=world["registered"])
    response = client_for("registered").get(reverse("events:calendar", args=[event.pk]))
    (vevent,) = parsed(response).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "UN Gigiri Room 4"


def test_the_published_calendar_names_the_portal_as_organizer(client, world, settings):
    settings.DEFAULT_FROM_EMAIL = "VPI Portal <noreply@vpi.example>"
    event = EventFactory(initiative=world.kenya_initiative)
    calendar = parsed(client.get(reverse("events:calendar", args=[event.pk])))
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@vpi.example"
    assert vevent["ORGANIZER"].params["CN"] == "VPI Portal"


def test_the_personal_feed_survives_line_breaks_and_names_the_organizer(client, world):
    event = EventFactory(initiative=world.kenya_initiative, title="Joint\nworkshop")
    RegistrationFactory(event=event, user=world["registered"])
    feed = calendar_feed_for(world["registered"])
    calendar = parsed(client.get(feed.get_absolute_url()))
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Joint workshop"
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert vevent["ORGANIZER"].params["CN"] == "VPI Portal"
