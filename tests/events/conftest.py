import pytest

from tests.events.factories import EventFactory, RegistrationFactory


@pytest.fixture
def event_factory(db):
    return EventFactory


@pytest.fixture
def registration_factory(db):
    return RegistrationFactory


@pytest.fixture
def kenya_event(world):
    """A public consultation of Kenya's initiative, organized by its focal point."""
    return EventFactory(initiative=world.kenya_initiative, title="Kenya consultation")


@pytest.fixture
def alliance_meeting(world):
    from events.models import EventKind, EventVisibility

    return EventFactory(
        initiative=world.kenya_initiative,
        alliance=world.kenya_alliance,
        kind=EventKind.ALLIANCE_MEETING,
        visibility=EventVisibility.ALLIANCE,
        title="Kenya alliance meeting",
    )
