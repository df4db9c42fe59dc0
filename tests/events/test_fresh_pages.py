"""The event page and a person's events are rendered for each request: what they show is
never older than the request."""

import re

import pytest
from django.test import Client

from events.services import (
    calendar_feed_for,
    calendar_feed_reset,
    registration_cancel,
    registration_create,
)
from tests.events.factories import EventFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _visitor_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60


def seats_left(page: str) -> str:
    return re.search(r"(\d+) seats? left", page)[1]


def test_an_event_page_shows_its_seats_as_they_are(world):
    event = EventFactory(initiative=world.kenya_initiative, capacity=10)
    url = f"/events/{event.pk}/"
    assert seats_left(Client().get(url).content.decode()) == "10"
    registration_create(event=event, user=UserFactory())
    assert seats_left(Client().get(url).content.decode()) == "9"


def test_a_hidden_event_is_a_404_for_visitors(world):
    event = EventFactory(initiative=world.kenya_initiative, visibility="alliance")
    for _ in range(2):
        assert Client().get(f"/events/{event.pk}/").status_code == 404


def my_events(client: Client) -> str:
    response = client.get("/events/mine/")
    assert response.status_code == 200
    return response.content.decode()


def test_my_events_shows_a_change_of_the_persons_registrations_at_once(world, client_for):
    person = world["registered"]
    client = client_for("registered")
    event = EventFactory(initiative=world.kenya_initiative, title="Dialogue on firearms")
    assert "Dialogue on firearms" not in my_events(client)
    registration = registration_create(event=event, user=person)
    assert "Dialogue on firearms" in my_events(client)
    registration_cancel(registration=registration, actor=person)
    assert "Dialogue on firearms" not in my_events(client)


def test_my_events_shows_a_new_calendar_address_at_once(world, client_for):
    client = client_for("registered")
    my_events(client)
    feed = calendar_feed_reset(user=world["registered"])
    assert feed.get_absolute_url() in my_events(client)


def test_my_events_is_each_persons_own(world, client_for):
    for name in ("registered", "org_admin"):
        page = my_events(client_for(name))
        assert calendar_feed_for(world[name]).token in page
        other = "org_admin" if name == "registered" else "registered"
        assert calendar_feed_for(world[other]).token not in page
