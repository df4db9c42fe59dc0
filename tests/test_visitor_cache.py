"""Visitors' public pages kept whole with Django's cache middleware: served from the cache,
never to signed-in people, and out of date as soon as a change to what they show commits."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common import visitor_cache
from countries.models import Initiative
from events.models import Registration
from stakeholders.services import organization_vet
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.events.factories import EventFactory
from tests.roadmaps.factories import AdoptedRoadmapFactory, CommentFactory
from tests.stakeholders.factories import OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    settings.REDIS_URL = settings.REDIS_URL or "redis://shared-cache-in-production"


def visit(client: Client, url: str = "/countries/ke/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rendered(client: Client, url: str = "/countries/ke/") -> bool:
    """Whether the page was rendered for this request (a page from the cache reads nothing
    from the database)."""
    with CaptureQueriesContext(connection) as queries:
        visit(client, url)
    return len(queries) > 0


def test_a_visitor_gets_the_second_view_from_the_cache(world):
    first = visit(Client())
    assert not rendered(Client())
    second = visit(Client())
    assert second == first
    assert world.kenya_initiative.title in second


def test_browsers_are_told_to_ask_again(world):
    visit(Client())
    response = Client().get("/countries/ke/")
    assert "max-age=0" in response["Cache-Control"]
    assert not response.has_header("Expires")


def test_a_visitors_page_carries_no_csrf_token_and_the_language_switch_needs_none(world):
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in visit(client)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_a_signed_in_persons_language_switch_is_checked(world):
    person = UserFactory(preferred_language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post("/i18n/setlang/", {"language": "fr"}).status_code == 403
    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_a_saved_change_shows_at_once(world, django_capture_on_commit_callbacks):
    visit(Client())
    with django_capture_on_commit_callbacks(execute=True):
        initiative = Initiative.objects.get(pk=world.kenya_initiative.pk)
        initiative.title = "A renamed VPI"
        initiative.save()
    assert "A renamed VPI" in visit(Client())


def test_a_change_a_service_makes_with_update_shows_at_once(
    world, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(country=world.kenya, name="Coast Watch")
    assert "Coast Watch" in visit(Client(), "/organizations/")
    with django_capture_on_commit_callbacks(execute=True):
        organization_vet(
            organization=organization,
            decision="suspended",
            actor=world["staff"],
            reason="Under review.",
        )
    assert "Coast Watch" not in visit(Client(), "/organizations/")


def test_a_change_rolled_back_keeps_the_cache(world, django_capture_on_commit_callbacks):
    visit(Client())
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                Initiative.objects.get(pk=world.kenya_initiative.pk).save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []


def test_the_version_changes_only_after_the_commit(world, django_capture_on_commit_callbacks):
    before = visitor_cache.content_version()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        Initiative.objects.get(pk=world.kenya_initiative.pk).save()
        assert visitor_cache.content_version() == before
    assert [callback.func for callback in callbacks] == [visitor_cache.bump_content_version]
    callbacks[0]()
    assert visitor_cache.content_version() != before


def test_registrations_and_sign_ins_do_not_empty_the_cache(
    world, django_capture_on_commit_callbacks
):
    event = EventFactory(initiative=world.kenya_initiative)
    person = UserFactory()
    before = visitor_cache.content_version()
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.create(event=event, user=person)
        Client().force_login(person)  # saves last_login
    assert visitor_cache.content_version() == before


def test_signed_in_people_never_get_or_fill_the_cache(world, client_for):
    person = client_for("registered")
    signed_in = person.get("/countries/ke/")
    assert "private" in signed_in["Cache-Control"]
    # A visitor's page is rendered for them, not taken from the person's.
    assert "Sign in" in visit(Client())
    # And the person's next view is theirs, not the visitor's kept one.
    assert world["registered"].public_name in person.get("/countries/ke/").content.decode()


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_for_them(world):
    visit(Client())
    assert not rendered(Client())
    client = Client()
    client.cookies["messages"] = "anything"
    assert rendered(client)


def test_a_long_search_is_rendered_and_not_kept(world):
    url = "/organizations/?q=" + "x" * 300
    visit(Client(), url)
    assert rendered(Client(), url)


def test_without_a_shared_cache_nothing_is_cached(world, settings):
    settings.REDIS_URL = ""
    visit(Client())
    assert rendered(Client())


def test_a_comment_renews_its_countrys_pages_and_leaves_the_others_kept(
    world, django_capture_on_commit_callbacks
):
    mexico = CountryFactory(code="MX")
    InitiativeFactory(country=mexico, title="VPI Mexico")
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    for url in ("/countries/ke/", "/countries/ke/roadmap/", "/countries/mx/", "/organizations/"):
        visit(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(roadmap=roadmap, author=world["registered"], body="Where is the hotline?")
    assert rendered(Client(), "/countries/ke/")
    assert "Where is the hotline?" in visit(Client(), "/countries/ke/roadmap/")
    assert not rendered(Client(), "/countries/mx/")
    assert not rendered(Client(), "/organizations/")


@pytest.mark.parametrize(
    "url", ["/", "/countries/", "/countries/ke/roadmap/", "/organizations/", "/events/"]
)
def test_every_public_list_is_kept_for_visitors(world, url):
    AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    visit(Client(), url)
    assert not rendered(Client(), url)


def test_an_event_page_is_kept_per_state_of_its_registrations(world, django_assert_num_queries):
    event = EventFactory(initiative=world.kenya_initiative, capacity=10)
    visit(Client(), f"/events/{event.pk}/")
    with django_assert_num_queries(1):  # its registrations counted, nothing rendered
        visit(Client(), f"/events/{event.pk}/")
