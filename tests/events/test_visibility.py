"""Who may know that an event exists, asked two ways: the queryset that lists events
(``Event.objects.visible_to``) and the rule that answers for one event (``can_see_event``,
which answers the common cases without a query). They must never disagree."""

import itertools

import pytest

from events.models import Event, EventKind, EventVisibility
from events.rules import can_see_event
from tests.conftest import PERSONA_NAMES
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    """An event of every visibility, for Kenya's initiative, for a members-only initiative,
    for the Kenyan alliance and without an initiative; one invitation lists the registered
    person, one the focal point as organizer."""
    members_only = InitiativeFactory(country=CountryFactory(code="MX"), visibility="members")
    made = []
    for visibility, scope in itertools.product(
        EventVisibility.values, ["kenya", "members_only", "alliance", "global"]
    ):
        options = {
            "kenya": {"initiative": world.kenya_initiative},
            "members_only": {"initiative": members_only},
            "alliance": {
                "initiative": world.kenya_initiative,
                "alliance": world.kenya_alliance,
                "kind": EventKind.ALLIANCE_MEETING,
            },
            "global": {"initiative": None, "kind": EventKind.CONSTRUCTIVE_DIALOGUE},
        }[scope]
        made.append(EventFactory(visibility=visibility, title=f"{visibility} {scope}", **options))
    invitation = next(e for e in made if e.title == "invitation global")
    RegistrationFactory(event=invitation, user=world["registered"])
    listed = next(e for e in made if e.title == "invitation members_only")
    listed.organizers.add(world["other_focal_point"])
    return made


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_rule_and_the_queryset_agree_on_every_event(world, events, persona):
    user = world[persona]
    listed = set(Event.objects.visible_to(user).values_list("pk", flat=True))
    for event in Event.objects.select_related("initiative").filter(pk__in=[e.pk for e in events]):
        assert can_see_event(user, event) is (event.pk in listed), (persona, event.title)


def test_a_visitor_sees_only_public_events_of_public_initiatives(world, events):
    seen = {e.title for e in events if can_see_event(world["visitor"], e)}
    assert seen == {"public kenya", "public alliance", "public global"}


def test_public_and_members_events_need_no_query_for_signed_in_people(
    world, events, django_assert_num_queries
):
    shown = [e for e in events if e.visibility in ("public", "members")]
    with django_assert_num_queries(0):
        assert all(can_see_event(world["registered"], e) for e in shown)
