"""The permission matrix: every rule in events/rules.py against the seven personas of the
design's policy table. Kenya is "own" (its focal point and alliance coordinator organize
its events); Pakistan is "other"."""

import pytest

from events.models import EventVisibility, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "registered",
    "org_admin",
    "coordinator",
    "focal_point",
    "other_focal_point",
    "staff",
]


def matrix(**expected: bool) -> list:
    assert set(expected) == set(PERSONAS)
    return [pytest.param(name, expected[name], id=name) for name in PERSONAS]


@pytest.fixture
def registered_for_it(world, kenya_event):
    """The people the design's table calls "registered for it"."""
    for name in ("registered", "org_admin", "other_focal_point"):
        RegistrationFactory(event=kenya_event, user=world[name])
    return kenya_event


def check(world, persona: str, perm: str, obj=None) -> bool:
    return world[persona].has_perm(perm, obj)


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=True,
        registered=True,
        org_admin=True,
        coordinator=True,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_everyone_sees_a_public_event(world, kenya_event, persona, expected):
    assert check(world, persona, "events.view_event", kenya_event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=True,
        coordinator=True,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_members_events_are_for_signed_in_people(world, persona, expected):
    event = EventFactory(initiative=world.kenya_initiative, visibility=EventVisibility.MEMBERS)
    assert check(world, persona, "events.view_event", event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=True,
        coordinator=True,
        focal_point=False,
        other_focal_point=False,
        staff=True,
    ),
)
def test_alliance_events_are_for_the_alliance(world, alliance_meeting, persona, expected):
    assert check(world, persona, "events.view_event", alliance_meeting) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=False,
        coordinator=False,
        focal_point=True,
        other_focal_point=False,
        staff=True,
    ),
)
def test_events_by_invitation_are_for_the_invited_and_organizers(world, persona, expected):
    event = EventFactory(initiative=world.kenya_initiative, visibility=EventVisibility.INVITATION)
    RegistrationFactory(event=event, user=world["registered"])
    assert check(world, persona, "events.view_event", event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=True,
        coordinator=False,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_venue_and_link_are_for_registered_people_and_organizers(
    world, registered_for_it, persona, expected
):
    assert check(world, persona, "events.view_event_access", registered_for_it) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=True,
        focal_point=False,
        other_focal_point=False,
        staff=True,
    ),
)
def test_coordinators_see_the_venue_of_their_alliance_meeting(
    world, alliance_meeting, persona, expected
):
    assert check(world, persona, "events.view_event_access", alliance_meeting) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=False,
        focal_point=True,
        other_focal_point=False,
        staff=True,
    ),
)
def test_waitlisted_and_applying_people_do_not_see_the_venue(world, kenya_event, persona, expected):
    RegistrationFactory(event=kenya_event, user=world["registered"], status="waitlisted")
    RegistrationFactory(event=kenya_event, user=world["org_admin"], status="applied")
    assert check(world, persona, "events.view_event_access", kenya_event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=True,
        coordinator=True,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_signed_in_people_may_register(world, kenya_event, persona, expected):
    assert check(world, persona, "events.register", kenya_event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=True,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_focal_points_coordinators_and_staff_may_create_events(world, persona, expected):
    assert check(world, persona, "events.add_event") is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=False,
        focal_point=True,
        other_focal_point=False,
        staff=True,
    ),
)
def test_only_the_initiatives_focal_point_creates_its_events(world, persona, expected):
    assert (
        check(world, persona, "events.add_event_for_initiative", world.kenya_initiative) is expected
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=True,
        focal_point=False,
        other_focal_point=False,
        staff=True,
    ),
)
def test_only_the_alliances_coordinator_creates_its_events(world, persona, expected):
    assert check(world, persona, "events.add_event_for_alliance", world.kenya_alliance) is expected


ORGANIZER_PERMS = ["events.change_event", "events.manage_registrations", "events.view_attendees"]


@pytest.mark.parametrize("perm", ORGANIZER_PERMS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=False,
        focal_point=True,
        other_focal_point=False,
        staff=True,
    ),
)
def test_organizers_of_an_initiative_event_are_its_focal_points(
    world, registered_for_it, perm, persona, expected
):
    assert check(world, persona, perm, registered_for_it) is expected


@pytest.mark.parametrize("perm", ORGANIZER_PERMS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=True,
        focal_point=False,
        other_focal_point=False,
        staff=True,
    ),
)
def test_organizers_of_an_alliance_meeting_are_its_coordinators(
    world, alliance_meeting, perm, persona, expected
):
    assert check(world, persona, perm, alliance_meeting) is expected


@pytest.mark.parametrize("perm", ORGANIZER_PERMS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=False,
        coordinator=False,
        focal_point=False,
        other_focal_point=False,
        staff=True,
    ),
)
def test_a_listed_organizer_organizes_a_global_event(world, perm, persona, expected):
    event = EventFactory(initiative=None, organizers=[world["registered"]])
    assert check(world, persona, perm, event) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=True,
        coordinator=False,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_minutes_are_for_registered_attendees_organizers_and_staff(
    world, registered_for_it, persona, expected
):
    registered_for_it.registrations.filter(user=world["org_admin"]).update(
        status=RegistrationStatus.ATTENDED
    )
    assert check(world, persona, "events.view_minutes", registered_for_it) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=True,
        org_admin=True,
        coordinator=False,
        focal_point=True,
        other_focal_point=True,
        staff=True,
    ),
)
def test_attendees_learn_who_took_part_in_an_open_event(
    world, registered_for_it, persona, expected
):
    assert check(world, persona, "events.view_participant_names", registered_for_it) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    matrix(
        visitor=False,
        registered=False,
        org_admin=False,
        coordinator=False,
        focal_point=True,
        other_focal_point=False,
        staff=True,
    ),
)
def test_under_chatham_house_only_organizers_learn_who_took_part(
    world, registered_for_it, persona, expected
):
    registered_for_it.chatham_house = True
    registered_for_it.save()
    assert check(world, persona, "events.view_participant_names", registered_for_it) is expected
