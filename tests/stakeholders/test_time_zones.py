"""Times in the person's own zone from the start: the browser's zone at sign-up, a picker
grouped by region, and a new event in its country's zone."""

import pytest

from countries.models import country_time_zone
from events.forms import EventForm
from stakeholders.forms import ProfileForm, time_zone_choices
from stakeholders.models import User
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.stakeholders.factories import InitiativeRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Wanjiru Example",
    "email": "wanjiru@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def test_sign_up_keeps_the_zone_the_browser_gave(client):
    assert "data-browser-time-zone" in client.get("/accounts/signup/").content.decode()
    client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Africa/Nairobi"})
    assert User.objects.get(email="wanjiru@example.org").time_zone == "Africa/Nairobi"


def test_sign_up_without_a_known_zone_keeps_utc(client):
    client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Mars/Olympus_Mons"})
    assert User.objects.get(email="wanjiru@example.org").time_zone == "UTC"


def test_the_picker_groups_zones_by_region_and_names_their_places():
    choices = dict(time_zone_choices())
    assert choices["UTC"] == "UTC"
    africa = dict(choices["Africa"])
    assert africa["Africa/Nairobi"] == "Nairobi"
    assert dict(choices["Americas"])["America/Argentina/Buenos_Aires"] == "Argentina – Buenos Aires"


def test_a_zone_kept_from_before_stays_offered_to_whoever_has_it(client):
    person = UserFactory(time_zone="US/Eastern")
    form = ProfileForm(instance=person)
    assert ("US/Eastern", "US/Eastern") in form.fields["time_zone"].choices
    client.force_login(person)
    page = client.get("/accounts/profile/").content.decode()
    assert '<optgroup label="Africa">' in page


def test_a_new_event_starts_in_its_countrys_zone(world):
    assert country_time_zone("KE") == "Africa/Nairobi"
    assert country_time_zone("PK") == "Asia/Karachi"
    form = EventForm(user=world["focal_point"])
    assert form.initial["time_zone"] == "Africa/Nairobi"
    someone = UserFactory(time_zone="Europe/Vienna")
    mexico = InitiativeFactory(country=CountryFactory(code="MX"))
    InitiativeRoleFactory(user=someone, initiative=mexico)
    assert EventForm(user=someone).initial["time_zone"] == "America/Mexico_City"
    assert EventForm(user=world["staff"]).initial["time_zone"] == world["staff"].time_zone
