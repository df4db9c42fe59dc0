"""An input is shown with the organization it speaks for only to readers who may see that
organization; the others read the input from "An organization"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import OrganizationVisibility
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.stakeholders.factories import AllianceMembershipFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Red de Apoyo a Personas Migrantes"


@pytest.fixture
def hidden_input(world):
    hidden = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization__name=HIDDEN,
        organization__visibility=OrganizationVisibility.ALLIANCE,
    ).organization
    consultation = ConsultationFactory(
        initiative=world.kenya_initiative, deadline=timezone.now() - timezone.timedelta(days=1)
    )
    return ConsultationInputFactory(consultation=consultation, organization=hidden)


@pytest.mark.parametrize(
    "route",
    [
        "consultations:detail",
        "consultations:summary",
        "consultations:summary_csv",
    ],
)
def test_the_focal_point_reads_an_alliance_only_organization_s_input_unnamed(
    world, client_for, hidden_input, route
):
    focal_point = world["focal_point"]
    assert not focal_point.has_perm("stakeholders.view_organization", hidden_input.organization)
    url = reverse(route, args=[hidden_input.consultation.pk])
    content = client_for("focal_point").get(url).content.decode()
    assert hidden_input.text in content
    assert HIDDEN not in content
    assert "An organization" in content


def test_the_alliance_s_own_people_read_the_name(world, client_for, hidden_input):
    url = reverse("consultations:summary", args=[hidden_input.consultation.pk])
    assert HIDDEN in client_for("coordinator").get(url).content.decode()


def test_naming_the_sources_costs_the_same_for_one_input_or_many(world, client_for, hidden_input):
    url = reverse("consultations:summary", args=[hidden_input.consultation.pk])
    client = client_for("coordinator")
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(4):
        ConsultationInputFactory(
            consultation=hidden_input.consultation,
            organization=AllianceMembershipFactory(
                alliance=world.kenya_alliance,
                organization__visibility=OrganizationVisibility.ALLIANCE,
            ).organization,
        )
    assert queries() == one
