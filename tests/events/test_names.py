"""Minutes, attendee lists and their exports name a participant's organization only to a
reader who may see that organization, and a pseudonymous person only by the pseudonym."""

import pytest
from django.urls import reverse

from events.models import EventStatus, RegistrationStatus
from stakeholders.models import OrganizationVisibility
from tests.countries.factories import CountryFactory
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Red de Apoyo a Personas Migrantes"


@pytest.fixture
def held(world):
    """A held dialogue in Kenya attended by a pseudonymous member of a Mexican alliance-only
    organization, and by the Kenyan org admin."""
    mexico = CountryFactory(code="MX")
    hidden = OrganizationFactory(
        country=mexico, name=HIDDEN, visibility=OrganizationVisibility.ALLIANCE
    )
    AllianceMembershipFactory(alliance=AllianceFactory(country=mexico), organization=hidden)
    sparrow = UserFactory(full_name="Legal Name Behind", display_name="PSEUDO-Sparrow")
    OrganizationMemberFactory(user=sparrow, organization=hidden)
    event = EventFactory(
        initiative=world.kenya_initiative,
        starts_at=in_days(-2),
        status=EventStatus.HELD,
        minutes="Agreed next steps.",
    )
    RegistrationFactory(
        event=event, user=sparrow, organization=hidden, status=RegistrationStatus.ATTENDED
    )
    RegistrationFactory(event=event, user=world["org_admin"], status=RegistrationStatus.ATTENDED)
    return event


@pytest.mark.parametrize("route", ["events:minutes", "events:minutes_export"])
@pytest.mark.parametrize("persona", ["org_admin", "focal_point"])
def test_the_minutes_name_the_participant_but_not_a_hidden_organization(
    client_for, held, route, persona
):
    response = client_for(persona).get(reverse(route, args=[held.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "PSEUDO-Sparrow" in text
    assert HIDDEN not in text
    assert "Legal Name Behind" not in text


@pytest.mark.parametrize(
    "route", ["events:registrations", "events:registrations_export", "events:attendance"]
)
def test_organizers_lists_do_not_name_a_hidden_organization(client_for, held, route):
    response = client_for("focal_point").get(reverse(route, args=[held.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "PSEUDO-Sparrow" in text
    assert HIDDEN not in text
    assert "Legal Name Behind" not in text


def test_staff_see_the_organization(client_for, held):
    response = client_for("staff").get(reverse("events:minutes", args=[held.pk]))
    assert f"PSEUDO-Sparrow ({HIDDEN})" in response.content.decode()
