"""A milestone's leading organizations are a relation: each reader sees named only the
organizations they may see, and the others are counted, on every page and export."""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from countries.models import RiskLevel
from roadmaps import services
from roadmaps.models import Milestone
from stakeholders.models import OrganizationVisibility
from tests.roadmaps.factories import MilestoneFactory, RoadmapFactory
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = "Red de Apoyo a Personas Migrantes"


@pytest.fixture
def led(world, adopted):
    """Kenya at elevated risk; a milestone led by an agency, an alliance-only organization
    of the alliance and a public organization."""
    world.kenya.risk_level = RiskLevel.ELEVATED
    world.kenya.save()
    hidden = OrganizationFactory(
        country=world.kenya, name=HIDDEN, visibility=OrganizationVisibility.ALLIANCE
    )
    AllianceMembershipFactory(alliance=world.kenya_alliance, organization=hidden)
    public = OrganizationFactory(country=world.kenya, name="Open Society Kenya")
    milestone = MilestoneFactory(
        priority=adopted.priorities.get(), title="Open a hotline", lead="Ministry of Interior"
    )
    milestone.lead_organizations.set([hidden, public])
    return milestone


def pages(client, milestone):
    code = milestone.priority.roadmap.initiative.country.slug
    return {
        "roadmap": client.get(reverse("roadmaps:country_roadmap", kwargs={"code": code})),
        "milestone": client.get(milestone.get_absolute_url()),
        "csv": client.get(reverse("roadmaps:roadmap_csv", kwargs={"code": code})),
        "json": client.get(reverse("roadmaps:roadmap_json", kwargs={"code": code})),
    }


@pytest.mark.parametrize("persona", ["visitor", "registered", "focal_point", "other_focal_point"])
def test_a_hidden_leading_organization_is_counted_not_named(client_for, led, persona):
    for name, response in pages(client_for(persona), led).items():
        text = response.content.decode()
        assert response.status_code == 200, name
        assert HIDDEN not in text, name
        assert "Ministry of Interior" in text, name
        assert "Open Society Kenya" in text, name
    page = pages(client_for(persona), led)["milestone"].content.decode()
    assert "1 other organization" in page


def test_the_alliance_sees_the_leading_organization_named(client_for, led):
    member = UserFactory()
    OrganizationMemberFactory(user=member, organization=led.lead_organizations.get(name=HIDDEN))
    client = client_for("coordinator")
    for name in ("roadmap", "milestone"):
        assert HIDDEN in pages(client, led)[name].content.decode(), name


def test_open_data_is_the_visitors_record_whoever_downloads_it(client_for, led):
    data = json.loads(pages(client_for("coordinator"), led)["json"].content)
    (row,) = [m for p in data["priorities"] for m in p["milestones"] if m["title"] == led.title]
    assert row["lead"] == "Ministry of Interior"
    assert row["lead_organizations"] == ["Open Society Kenya"]
    assert row["other_lead_organizations"] == 1


def test_a_focal_point_editing_keeps_the_leads_they_cannot_see(client_for, world, led):
    draft = RoadmapFactory(initiative=world.kenya_initiative, version=2)
    milestone = MilestoneFactory(priority__roadmap=draft, lead="")
    milestone.lead_organizations.set(led.lead_organizations.all())
    response = client_for("focal_point").get(
        reverse("roadmaps:milestone_edit", args=[milestone.pk])
    )
    assert HIDDEN not in response.content.decode()
    public = led.lead_organizations.get(name="Open Society Kenya")
    response = client_for("focal_point").post(
        reverse("roadmaps:milestone_edit", args=[milestone.pk]),
        {
            "title": "Open a hotline",
            "title_en": "Open a hotline",
            "lead": "",
            "lead_organizations": [public.pk],
            "status": "not_started",
            "progress": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(milestone.lead_organizations.values_list("name", flat=True)) == {
        HIDDEN,
        "Open Society Kenya",
    }


def test_a_revision_keeps_each_milestones_leading_organizations(world, adopted, led):
    revision = services.roadmap_start_revision(roadmap=adopted, actor=world["focal_point"])
    copy = Milestone.objects.get(priority__roadmap=revision, copied_from=led)
    assert set(copy.lead_organizations.all()) == set(led.lead_organizations.all())


def test_the_migration_turns_a_lead_naming_an_organization_into_the_relation(world, adopted):
    hidden = OrganizationFactory(country=world.kenya, name=HIDDEN)
    named = MilestoneFactory(priority=adopted.priorities.get(), lead=HIDDEN.upper())
    agency = MilestoneFactory(priority=adopted.priorities.get(), lead="Ministry of Justice")
    migration = importlib.import_module("roadmaps.migrations.0004_milestone_lead_organizations")
    migration.leads_to_organizations(apps, None)
    named.refresh_from_db()
    agency.refresh_from_db()
    assert named.lead == ""
    assert list(named.lead_organizations.all()) == [hidden]
    assert agency.lead == "Ministry of Justice"
    assert not agency.lead_organizations.exists()
