"""The home page's list of initiatives is kept in the cache per audience and language, and
shows a change to an initiative or a country as soon as it commits."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from countries.models import Visibility
from tests.countries.factories import CountryFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_is_read_once_then_served_from_the_cache(world):
    home(Client())
    with CaptureQueriesContext(connection) as second:
        page = home(Client())
    assert "Kenya" in page
    assert not [q for q in second.captured_queries if "countries_initiative" in q["sql"]]


def test_a_new_initiative_shows_at_once(world, django_capture_on_commit_callbacks):
    home(Client())
    with django_capture_on_commit_callbacks(execute=True):
        InitiativeFactory(country=CountryFactory(code="AO"))
    assert "Angola" in home(Client())


def test_a_changed_initiative_shows_at_once(world, django_capture_on_commit_callbacks):
    home(Client())
    world.kenya_initiative.status = "concluded"
    with django_capture_on_commit_callbacks(execute=True):
        world.kenya_initiative.save()
    assert "Kenya" not in home(Client())


def test_visitors_never_get_the_list_of_signed_in_people(world, client_for):
    InitiativeFactory(country=CountryFactory(code="AO"), visibility=Visibility.MEMBERS)
    assert "Angola" in home(client_for("registered"))
    assert "Angola" not in home(Client())


def test_each_language_has_its_own_list(world, settings):
    assert "2 countries run a VPI" in " ".join(home(Client()).split())
    french = Client()
    french.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "countries run a VPI" not in " ".join(home(french).split())


def test_a_change_not_yet_committed_leaves_the_list_as_it_was(
    world, django_capture_on_commit_callbacks
):
    """A page rendered before the commit, from the data of then, must not be kept under a
    version that says the change is in."""
    home(Client())
    with django_capture_on_commit_callbacks() as callbacks:
        InitiativeFactory(country=CountryFactory(code="AO"))
        assert "Angola" not in home(Client())
    for callback in callbacks:
        callback()
    assert "Angola" in home(Client())
