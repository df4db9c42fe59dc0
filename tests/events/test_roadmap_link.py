"""Action items agreed at an event become milestones of the country's roadmap."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from events.services import action_item_to_milestone
from tests.events.factories import ActionItemFactory, EventFactory, in_days
from tests.roadmaps.factories import AdoptedRoadmapFactory, PriorityFactory, RoadmapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(world):
    return EventFactory(
        initiative=world.kenya_initiative,
        title="Dialogue on smuggling of migrants",
        starts_at=in_days(-3),
        ends_at=in_days(-3, hour=12),
        minutes="The participants agreed on a referral mechanism.",
    )


@pytest.fixture
def priority(world):
    return PriorityFactory(
        roadmap=RoadmapFactory(initiative=world.kenya_initiative),
        title="Protect smuggled migrants",
    )


def test_an_action_item_becomes_a_milestone_linked_both_ways(world, dialogue, priority):
    item = ActionItemFactory(event=dialogue, text="Set up a referral mechanism", owner="NCM")
    milestone = action_item_to_milestone(
        action_item=item, priority=priority, actor=world["focal_point"]
    )
    item.refresh_from_db()
    assert item.milestone == milestone
    assert list(milestone.action_items.all()) == [item]
    assert milestone.action_items.get().event == dialogue
    assert milestone.priority == priority
    assert milestone.title == "Set up a referral mechanism"
    assert milestone.lead == "NCM"
    assert milestone.due_on == item.due_on
    assert "Dialogue on smuggling of migrants" in milestone.description
    assert AuditEntry.objects.filter(action="event.action_item_to_milestone").exists()


def test_an_action_item_goes_on_the_roadmap_only_once(world, dialogue, priority):
    item = ActionItemFactory(event=dialogue)
    action_item_to_milestone(action_item=item, priority=priority, actor=world["focal_point"])
    with pytest.raises(ValidationError, match="on the roadmap already"):
        action_item_to_milestone(action_item=item, priority=priority, actor=world["focal_point"])
    assert priority.milestones.count() == 1


def test_another_countrys_roadmap_is_refused(world, dialogue):
    other = PriorityFactory(roadmap=RoadmapFactory(initiative=world.pakistan_initiative))
    with pytest.raises(ValidationError, match="this initiative's roadmap"):
        action_item_to_milestone(
            action_item=ActionItemFactory(event=dialogue), priority=other, actor=world["staff"]
        )
    assert not other.milestones.exists()


def test_an_adopted_roadmap_is_frozen(world, dialogue):
    frozen = PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=world.kenya_initiative))
    item = ActionItemFactory(event=dialogue)
    with pytest.raises(ValidationError, match="frozen"):
        action_item_to_milestone(action_item=item, priority=frozen, actor=world["focal_point"])
    item.refresh_from_db()
    assert item.milestone is None


def test_only_people_who_may_change_the_roadmap_add_milestones(world, dialogue, priority):
    dialogue.organizers.add(world["registered"])
    with pytest.raises(PermissionDenied):
        action_item_to_milestone(
            action_item=ActionItemFactory(event=dialogue),
            priority=priority,
            actor=world["registered"],
        )
    assert not priority.milestones.exists()


def test_action_items_from_the_minutes_appear_on_the_countrys_roadmap(
    client_for, world, dialogue, priority
):
    item = ActionItemFactory(event=dialogue, text="Train border officials on victim referral")
    client = client_for("focal_point")
    minutes = client.get(reverse("events:minutes", args=[dialogue.pk])).content.decode()
    assert "Add to the roadmap" in minutes
    response = client.post(
        reverse("events:action_item_to_milestone", args=[dialogue.pk, item.pk]),
        {f"item-{item.pk}-priority": priority.pk},
        follow=True,
    )
    content = response.content.decode()
    assert "is now a milestone of the roadmap" in content
    assert "On the roadmap:" in content

    roadmap = client.get(reverse("roadmaps:country_roadmap", kwargs={"code": "ke"}))
    assert "Train border officials on victim referral" in roadmap.content.decode()
    milestone = item.__class__.objects.get(pk=item.pk).milestone
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Dialogue on smuggling of migrants" in page


def test_attendees_see_the_minutes_without_the_roadmap_form(client_for, world, dialogue, priority):
    from tests.events.factories import RegistrationFactory

    RegistrationFactory(event=dialogue, user=world["registered"], status="attended")
    ActionItemFactory(event=dialogue)
    content = client_for("registered").get(reverse("events:minutes", args=[dialogue.pk]))
    assert "Add to the roadmap" not in content.content.decode()


def test_the_minutes_say_why_action_items_cannot_reach_an_adopted_roadmap(
    world, dialogue, client_for
):
    adopted = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    PriorityFactory(roadmap=adopted)
    ActionItemFactory(event=dialogue, text="Train border officials")
    url = reverse("events:minutes", args=[dialogue.pk])

    page = client_for("focal_point").get(url).content.decode()
    assert "Add to the roadmap" not in page
    assert "the adopted roadmap is frozen" in page
    assert reverse("roadmaps:roadmap_revise", args=[adopted.pk]) in page

    # Once a revision is started, the button is back and the hint is gone.
    RoadmapFactory(initiative=world.kenya_initiative, version=2, revision_of=adopted)
    PriorityFactory(roadmap=adopted.revisions.get())
    page = client_for("focal_point").get(url).content.decode()
    assert "Add to the roadmap" in page
    assert "the adopted roadmap is frozen" not in page
