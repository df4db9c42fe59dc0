"""The country page's stakeholders section: focal points who agreed to be shown, the
alliance summary and the participation figures, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import RiskLevel
from stakeholders.models import OrganizationKind, OrganizationStatus, RoleKind
from stakeholders.selectors import country_stakeholders
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    InitiativeRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/countries/ke/"


def add_people(world, n: int) -> None:
    """n more member organizations (of two kinds) and n more alternates, half shown."""
    for i in range(n):
        AllianceMembershipFactory(
            alliance=world.kenya_alliance,
            organization__kind=OrganizationKind.ACADEMIA if i % 2 else OrganizationKind.MEDIA,
        )
        InitiativeRoleFactory(
            initiative=world.kenya_initiative,
            role=RoleKind.ALTERNATE_FOCAL_POINT,
            shown_publicly=bool(i % 2),
        )


def test_shows_focal_points_who_agreed_and_nobody_else(world, client):
    InitiativeRoleFactory(
        initiative=world.kenya_initiative,
        user=UserFactory(full_name="Grace Shown", email="grace@example.org"),
        role=RoleKind.ALTERNATE_FOCAL_POINT,
        agency="Office of the Attorney General",
        job_title="Senior State Counsel",
        shown_publicly=True,
    )
    content = client.get(PAGE).content.decode()
    assert "Grace Shown" in content
    assert "Senior State Counsel, Office of the Attorney General" in content
    assert "Alternate focal point" in content
    assert "grace@example.org" not in content
    # Fatima did not agree to be shown; other people of the world are never named.
    for name in ["Fatima Focal", "Cora Coordinator", "Oscar OrgAdmin", "Omar Otherfocal"]:
        assert name not in content
    assert "@example.org" not in content


def test_shown_focal_point_appears_under_the_display_name(world, client):
    role = world["focal_point"].initiative_roles.get()
    role.shown_publicly = True
    role.save()
    world["focal_point"].display_name = "F. Focal"
    world["focal_point"].save()
    content = client.get(PAGE).content.decode()
    assert "F. Focal" in content
    assert "Fatima Focal" not in content
    assert "Director, Ministry of Interior" in content


def test_ended_roles_are_neither_shown_nor_counted(world, client):
    InitiativeRoleFactory(
        initiative=world.kenya_initiative,
        user=UserFactory(full_name="Ended Role"),
        role=RoleKind.ALTERNATE_FOCAL_POINT,
        shown_publicly=True,
        active_from="2020-01-01",
        active_until="2021-01-01",
    )
    content = client.get(PAGE).content.decode()
    assert "Ended Role" not in content
    assert "1</strong> government expert" in content


def test_no_focal_point_shown_says_so(world, client):
    assert "No focal point is shown publicly." in client.get(PAGE).content.decode()


def test_participation_figures_count_organizations_by_kind_and_government_experts(world, client):
    add_people(world, 4)
    AllianceMembershipFactory(
        alliance=world.kenya_alliance, organization__status=OrganizationStatus.SUSPENDED
    )
    content = client.get(PAGE).content.decode()
    assert "5</strong> civil society organizations" in content
    assert "5</strong> government experts" in content
    assert "Media: 2" in content
    assert "Academia and research: 2" in content
    assert "Non-governmental organization: 1" in content


def test_alliance_summary_links_to_the_alliance_page(world, client):
    content = client.get(PAGE).content.decode()
    assert world.kenya_alliance.name in content
    assert 'href="/alliances/ke/"' in content


def test_high_risk_country_shows_counts_but_no_names(world, client):
    world.kenya.risk_level = RiskLevel.HIGH
    world.kenya.save()
    content = client.get(PAGE).content.decode()
    assert "1</strong> civil society organization" in content
    assert world.organization.name not in content


def test_country_without_alliance_says_so(world, client):
    content = client.get("/countries/pk/").content.decode()
    assert "No alliance has been formed yet." in content
    assert "civil society organization" not in content
    assert "1</strong> government expert" in content


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [("visitor", False), ("registered", False), ("other_focal_point", False), ("staff", True)],
)
def test_create_alliance_link_is_for_staff_where_there_is_none(
    world, client_for, persona, sees_link
):
    assert (
        "/alliances/new/" in client_for(persona).get("/countries/pk/").content.decode()
    ) is sees_link
    assert "/alliances/new/" not in client_for(persona).get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [("visitor", False), ("registered", False), ("focal_point", False), ("staff", True)],
)
def test_manage_roles_link_is_for_staff(world, client_for, persona, sees_link):
    content = client_for(persona).get(PAGE).content.decode()
    assert ("/countries/ke/roles/" in content) is sees_link


@pytest.mark.parametrize("persona", ["visitor", "registered", "staff"])
def test_selector_runs_a_fixed_number_of_queries(world, django_assert_num_queries, persona):
    user = world[persona]
    # Roles, alliance, its kinds of organizations and the declared figures; for a person
    # who is not staff also their standing (whether they are a focal point), which a page
    # has read already and keeps on the user for the request.
    queries = 5 if persona == "registered" else 4
    with django_assert_num_queries(queries):
        country_stakeholders(initiative=world.kenya_initiative, user=user)
    add_people(world, 6)
    with django_assert_num_queries(queries - (persona == "registered")):
        context = country_stakeholders(initiative=world.kenya_initiative, user=user)
    assert context["stakeholders"].alliance_organizations == 7
    assert context["stakeholders"].government_experts == 7


@pytest.mark.parametrize("persona", ["visitor", "registered", "staff"])
def test_country_page_queries_do_not_grow_with_people(
    world, client_for, django_assert_num_queries, persona
):
    """Other sections of the page have their own guards: this one counts the whole page
    at two sizes of the stakeholders data only."""
    client = client_for(persona)
    client.get(PAGE)  # warm up what the first request of a session loads
    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    add_people(world, 8)
    with django_assert_num_queries(len(small)):
        content = client.get(PAGE).content.decode()
    assert "9</strong> civil society organizations" in content
