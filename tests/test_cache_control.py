"""Pages and files with personal data are not kept by browsers or shared caches."""

import pytest
from django.urls import reverse

from events.services import calendar_feed_for
from tests.events.factories import EventFactory, RegistrationFactory


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("registered", "/"),
        ("registered", "/accounts/notifications/"),
        ("registered", "/events/mine/"),
        ("org_admin", "/organizations/{slug}/people/"),
        ("org_admin", "/organizations/{slug}/people/export.csv"),
        ("coordinator", "/alliances/ke/members.csv"),
        ("staff", "/dashboard/"),
        ("staff", "/audit/"),
    ],
)
def test_what_a_signed_in_person_is_answered_is_private_and_not_stored(
    world, client_for, persona, url
):
    response = client_for(persona).get(url.format(slug=world.organization.slug))
    assert response.status_code == 200, url
    assert no_store(response), response.get("Cache-Control")


def test_the_attendee_export_and_a_signed_in_calendar_are_not_stored(world, client_for):
    event = EventFactory(initiative=world.kenya_initiative)
    RegistrationFactory(event=event, user=world["registered"])
    staff = client_for("staff")
    assert no_store(staff.get(reverse("events:registrations_export", args=[event.pk])))
    assert no_store(client_for("registered").get(reverse("events:calendar", args=[event.pk])))


def test_the_secret_calendar_feed_is_not_stored(client, world):
    event = EventFactory(initiative=world.kenya_initiative)
    RegistrationFactory(event=event, user=world["registered"])
    response = client.get(calendar_feed_for(world["registered"]).get_absolute_url())
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_a_visitors_public_page_keeps_the_default_caching(client, world):
    response = client.get("/countries/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
