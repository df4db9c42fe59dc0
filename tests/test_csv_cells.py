"""Every CSV the portal serves holds cells a spreadsheet shows as text, never runs."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from common.csv import csv_cell
from stakeholders.models import MemberRole
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.roadmaps.factories import AdoptedRoadmapFactory, MilestoneFactory, PriorityFactory
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
# What a spreadsheet evaluates: a cell starting with one of these (after nothing else).
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def payload(prefix: str) -> str:
    return f"{prefix}cmd|'/Ccalc'!A0"


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def assert_inert(rows: list[list[str]], prefix: str, expected_cells: int) -> None:
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(DANGEROUS), repr(cell)
    assert sum(1 for cell in cells if cell.startswith("'" + prefix)) >= expected_cells


def roadmap_csv(world, prefix):
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    priority = PriorityFactory(roadmap=roadmap, title=payload(prefix))
    MilestoneFactory(priority=priority, title=payload(prefix), lead=payload(prefix))
    return "visitor", "/countries/ke/roadmap.csv", 3


def consultation_csv(world, prefix):
    consultation = ConsultationFactory(initiative=world.kenya_initiative)
    ConsultationInputFactory(
        consultation=consultation,
        organization=OrganizationFactory(name=payload(prefix)),
        text=payload(prefix),
        response=payload(prefix),
    )
    consultation.deadline = timezone.now() - datetime.timedelta(hours=1)
    consultation.save()
    return "staff", reverse("consultations:summary_csv", args=[consultation.pk]), 3


def registrations_csv(world, prefix):
    event = EventFactory(initiative=world.kenya_initiative)
    # Sign-up accepts such an address: the local part may hold = | ' / ! and the like.
    user = UserFactory(full_name=payload(prefix), email=f"{payload(prefix)}@evil.example")
    RegistrationFactory(
        event=event, user=user, organization=OrganizationFactory(name=payload(prefix))
    )
    return "staff", reverse("events:registrations_export", args=[event.pk]), 3


def people_csv(world, prefix):
    user = UserFactory(full_name=payload(prefix), email=f"{payload(prefix)}@evil.example")
    OrganizationMemberFactory(user=user, organization=world.organization, role=MemberRole.MEMBER)
    return "staff", f"/organizations/{world.organization.slug}/people/export.csv", 2


def alliance_csv(world, prefix):
    organization = OrganizationFactory(
        country=world.kenya,
        name=payload(prefix),
        city=payload(prefix),
        contact_email=f"{payload(prefix)}@evil.example",
    )
    AllianceMembershipFactory(alliance=world.kenya_alliance, organization=organization)
    admin = UserFactory(full_name=payload(prefix), email=f"{payload(prefix)}@evil.example")
    OrganizationMemberFactory(user=admin, organization=organization, role=MemberRole.ADMIN)
    return "staff", "/alliances/ke/members.csv", 4


@pytest.mark.parametrize(
    "route",
    [roadmap_csv, consultation_csv, registrations_csv, people_csv, alliance_csv],
    ids=lambda route: route.__name__,
)
@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_every_csv_route_yields_cells_a_spreadsheet_will_not_evaluate(
    world, client_for, route, prefix
):
    persona, url, expected_cells = route(world, prefix)
    assert_inert(rows_of(client_for(persona).get(url)), prefix, expected_cells)


@pytest.mark.parametrize("prefix", [*PREFIXES, "\uff1d", "\uff0b", "\uff0d", "\uff20"], ids=repr)
def test_a_formula_prefix_gets_an_apostrophe(prefix):
    assert csv_cell(f"{prefix}SUM(A1)") == f"'{prefix}SUM(A1)"


def test_plain_text_numbers_and_nothing_stay_as_they_are():
    assert csv_cell("Kenya") == "Kenya"
    assert csv_cell("2026-01-01") == "2026-01-01"
    assert csv_cell(-5) == -5
    assert csv_cell(None) == ""
