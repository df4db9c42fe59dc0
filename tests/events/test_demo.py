import pytest

from events.demo import seed_events
from events.models import ActionItem, AgendaItem, Event, EventKind, Registration
from roadmaps.demo import seed_roadmaps
from vpi_portal.management.commands.seed_demo import seed_demo

pytestmark = pytest.mark.django_db

MODELS = [Event, AgendaItem, Registration, ActionItem]


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in MODELS]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    seed_roadmaps()
    seed_events()


def test_a_second_run_changes_nothing(demo):
    first = snapshot()
    seed_events()
    assert snapshot() == first


def test_the_demo_has_past_and_upcoming_events_of_every_kind_in_the_four_countries(demo):
    assert set(Event.objects.values_list("kind", flat=True)) == set(EventKind.values)
    countries = {
        event.initiative.country.code.code
        for event in Event.objects.exclude(initiative=None).select_related("initiative__country")
    }
    assert countries == {"MX", "PK", "KE", "AO"}
    assert Event.objects.upcoming().exists()
    assert Event.objects.past().exists()


def test_the_demo_has_a_constructive_dialogue_on_smuggling_of_migrants(demo):
    dialogue = Event.objects.get(
        kind=EventKind.CONSTRUCTIVE_DIALOGUE, topic="smuggling_of_migrants"
    )
    statuses = set(dialogue.registrations.values_list("status", flat=True))
    assert {"attended", "waitlisted"} <= statuses
    assert dialogue.minutes
    assert dialogue.action_items.count() == 2


def test_an_angolan_action_item_is_a_milestone_of_the_draft_roadmap(demo):
    item = ActionItem.objects.get(milestone__isnull=False)
    assert item.event.initiative.country.code == "AO"
    assert item.milestone.priority.roadmap.initiative == item.event.initiative


def test_the_demo_pages_render(demo, client):
    assert client.get("/events/").status_code == 200
    assert client.get("/events/?when=past").status_code == 200
    for event in Event.objects.visible_to(None):
        assert client.get(event.get_absolute_url()).status_code == 200
