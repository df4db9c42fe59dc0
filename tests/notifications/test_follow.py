"""Following a country from its page: its news then comes in the digest and on "My work"."""

import pytest
from django.urls import reverse

from notifications.models import countries_followed_by
from tests.countries.factories import CountryFactory

pytestmark = pytest.mark.django_db


def test_a_person_follows_a_country_and_stops(world, client_for):
    client = client_for("registered")
    page = world.kenya.get_absolute_url()
    assert "Follow this country" in client.get(page).content.decode()
    url = reverse("notifications:follow_country", args=[world.kenya.slug])
    response = client.post(url, {"follow": "1"}, follow=True)
    content = response.content.decode()
    assert "You follow Kenya" in content
    assert "Stop following" in content
    assert countries_followed_by(world["registered"]) == [world.kenya.pk]
    client.post(url, {"follow": "0"})
    assert countries_followed_by(world["registered"]) == []


def test_a_country_without_an_initiative_cannot_be_followed(world, client_for):
    CountryFactory(code="SO")
    client = client_for("registered")
    for code in ("so", "zz"):
        response = client.post(
            reverse("notifications:follow_country", args=[code]), {"follow": "1"}
        )
        assert response.status_code == 404
    assert countries_followed_by(world["registered"]) == []


def test_visitors_see_no_follow_button(world, client_for):
    assert "Follow this country" not in client_for("visitor").get("/countries/ke/").content.decode()
