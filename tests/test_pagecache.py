"""The whole-page cache for visitors: served from the cache, never to signed-in people, and
out of date as soon as a change to what the pages show commits."""

import re

import pytest
from django.db import transaction
from django.test import Client

from countries.models import Initiative
from events.models import Registration
from tests.events.factories import EventFactory
from tests.stakeholders.factories import UserFactory
from vpi_portal import pagecache


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    settings.REDIS_URL = settings.REDIS_URL or "redis://shared-cache-in-production"


def visit(client: Client, url: str = "/countries/ke/"):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_visitor_gets_the_second_view_from_the_cache(world):
    first = visit(Client())
    second = visit(Client())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert world.kenya_initiative.title in second.content.decode()


def test_the_cached_page_carries_a_csrf_token_that_works_for_this_visitor(world):
    visit(Client())
    client = Client(enforce_csrf_checks=True)
    page = visit(client)
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page.content.decode())[1]
    assert pagecache.CSRF_SLOT not in page.content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_committed_change_of_any_kind_shows_at_once(world, django_capture_on_commit_callbacks):
    visit(Client())
    with django_capture_on_commit_callbacks(execute=True):
        # A queryset update: no model signal, yet the cursor saw it.
        Initiative.objects.filter(pk=world.kenya_initiative.pk).update(title="A renamed VPI")
    page = visit(Client())
    assert page["X-Page-Cache"] == "miss"
    assert "A renamed VPI" in page.content.decode()


def test_a_change_rolled_back_keeps_the_cache(world, django_capture_on_commit_callbacks):
    visit(Client())
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                Initiative.objects.filter(pk=world.kenya_initiative.pk).update(title="No")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert visit(Client())["X-Page-Cache"] == "hit"


def test_the_version_changes_only_after_the_commit(world, django_capture_on_commit_callbacks):
    before = pagecache.current_version()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        Initiative.objects.filter(pk=world.kenya_initiative.pk).update(title="Renamed")
        assert pagecache.current_version() == before
    assert set(callbacks) == {pagecache.bump_version}
    callbacks[0]()
    assert pagecache.current_version() != before


def test_registrations_do_not_empty_the_cache(world, django_capture_on_commit_callbacks):
    event = EventFactory(initiative=world.kenya_initiative)
    person = UserFactory()
    visit(Client())
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.create(event=event, user=person)
    assert visit(Client())["X-Page-Cache"] == "hit"


def test_signed_in_people_never_get_or_fill_the_cache(world, client_for):
    person = client_for("registered")
    assert not person.get("/countries/ke/").has_header("X-Page-Cache")
    assert visit(Client())["X-Page-Cache"] == "miss"


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_for_them(world):
    visit(Client())
    client = Client()
    client.cookies["messages"] = "anything"
    assert not visit(client).has_header("X-Page-Cache")


def test_pages_that_are_not_public_lists_are_not_cached(world):
    visit(Client(), "/countries/ke/")
    assert not visit(Client(), "/healthz/").has_header("X-Page-Cache")


def test_without_a_shared_cache_nothing_is_cached(world, settings):
    settings.REDIS_URL = ""
    visit(Client())
    assert not visit(Client()).has_header("X-Page-Cache")
