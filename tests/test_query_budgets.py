"""Every page, for the people who use it, costs the same number of queries whatever the size
of the data, and at most QUERY_BUDGET: a page that grows a query per row shows here first.

Each case renders a page once with a little data and once with more of everything the page
lists (organizations, members, milestones, reports, assessments, comments, events,
registrations, audit entries...), and compares the queries. The cache is cleared before
each measurement: the count is the cold one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from countries.models import Country
from events.models import RegistrationStatus
from notifications.services import preferences_for
from stakeholders.models import MemberRole, MembershipStatus, OrganizationStatus
from tests.countries.factories import InitiativeFactory
from tests.events.factories import AgendaItemFactory, EventFactory, RegistrationFactory
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    AssessmentFactory,
    CommentFactory,
    ConsultationFactory,
    ConsultationInputFactory,
    EvidenceFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    ThemeFactory,
    UserFactory,
)

QUERY_BUDGET = 15
# Countries that are not the world's Kenya and Pakistan, added as the data grows.
EXTRA_COUNTRIES = ["AO", "NG", "GH", "CO", "PE", "PH", "TH", "SN", "ZA", "BR"]


@dataclass
class Scene:
    """The objects every page is opened on; ``grow`` adds rows around them."""

    roadmap: Any
    priority: Any
    milestone: Any
    event: Any
    consultation: Any
    grown: int = 0


@pytest.fixture
def scene(world) -> Scene:
    roadmap = AdoptedRoadmapFactory(initiative=world.kenya_initiative)
    priority = PriorityFactory(roadmap=roadmap)
    milestone = MilestoneFactory(priority=priority, status="in_progress", progress=20)
    event = EventFactory(
        initiative=world.kenya_initiative, organizers=[world["focal_point"]], capacity=500
    )
    consultation = ConsultationFactory(initiative=world.kenya_initiative)
    preferences_for(world["registered"])
    RegistrationFactory(event=event, user=world["registered"])
    return Scene(roadmap, priority, milestone, event, consultation)


def grow(world, scene: Scene, n: int) -> None:
    """Add ``n`` more of everything the pages list."""
    theme = ThemeFactory()
    kenya = world.kenya
    for _ in range(n):
        index = scene.grown
        scene.grown += 1
        # Countries with initiatives, which the registered person follows.
        country = Country.objects.create(
            code=EXTRA_COUNTRIES[index % len(EXTRA_COUNTRIES)], un_regional_group="african"
        )
        InitiativeFactory(country=country)
        world["registered"].notification_preferences.countries.add(country)
        # Organizations: members of the alliance, waiting in its queue, waiting for vetting.
        member = AllianceMembershipFactory(alliance=world.kenya_alliance)
        member.organization.themes.add(theme)
        AllianceMembershipFactory(alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED)
        OrganizationFactory(country=kenya, status=OrganizationStatus.PENDING)
        OrganizationMemberFactory(organization=world.organization)
        OrganizationMemberFactory(
            organization=OrganizationFactory(country=kenya, status=OrganizationStatus.PENDING),
            user=world["org_admin"],
            role=MemberRole.ADMIN,
        )
        # The roadmap: more priorities and milestones, each reported on, assessed, discussed.
        priority = PriorityFactory(roadmap=scene.roadmap)
        priority.themes.add(theme)
        for target in (scene.milestone, MilestoneFactory(priority=priority)):
            update = MilestoneUpdateFactory(milestone=target)
            EvidenceFactory(update=update)
            AssessmentFactory(update=update, organization=world.organization)
            CommentFactory(roadmap=scene.roadmap, milestone=target)
        CommentFactory(roadmap=scene.roadmap, priority=priority)
        # Events: more of them, with registrations and agenda items.
        other = EventFactory(initiative=world.kenya_initiative)
        RegistrationFactory(event=other, user=world["registered"])
        RegistrationFactory(event=scene.event)
        RegistrationFactory(event=scene.event, status=RegistrationStatus.WAITLISTED)
        AgendaItemFactory(event=scene.event)
        # Consultation inputs, and things that happened.
        ConsultationInputFactory(
            consultation=scene.consultation,
            organization=AllianceMembershipFactory(alliance=world.kenya_alliance).organization,
        )
        AuditEntry.objects.create(
            actor=world["staff"], action="organization.verified", target_repr=f"Org {index}"
        )
        UserFactory()


def url_of(world, scene: Scene, name: str) -> str:
    event = scene.event.pk
    return {
        "home": "/",
        "countries": "/countries/",
        "country": "/countries/ke/",
        "roadmap": "/countries/ke/roadmap/",
        "roadmap_json": "/countries/ke/roadmap.json",
        "milestone": f"/milestones/{scene.milestone.pk}/",
        "consultations": "/countries/ke/consultations/",
        "consultation": f"/consultations/{scene.consultation.pk}/",
        "organizations": "/organizations/",
        "organization_search": "/organizations/?q=network&kind=ngo",
        "organization": f"/organizations/{world.organization.slug}/",
        "my_organizations": "/organizations/mine/",
        "organization_people": f"/organizations/{world.organization.slug}/people/",
        "alliance": "/alliances/ke/",
        "alliance_requests": "/alliances/ke/requests/",
        "alliance_contacts": "/alliances/ke/contacts/",
        "alliance_manage": "/alliances/ke/manage/",
        "initiative_roles": "/countries/ke/roles/",
        "events": "/events/",
        "past_events": "/events/?when=past",
        "event": f"/events/{event}/",
        "event_registrations": f"/events/{event}/registrations/",
        "my_events": "/events/mine/",
        "dashboard": "/dashboard/",
        "vetting": "/vetting/",
        "vetting_detail": f"/vetting/{world.organization.slug}/",
        "new_organization": "/organizations/new/",
        "new_event": "/events/new/",
        "consultation_summary": f"/consultations/{scene.consultation.pk}/summary/",
        "healthz": "/healthz/",
        "audit": "/audit/",
        "profile": "/accounts/profile/",
        "preferences": "/accounts/notifications/",
    }[name]


PAGES = [
    ("visitor", "home"),
    ("registered", "home"),
    ("visitor", "countries"),
    ("visitor", "country"),
    ("registered", "country"),
    ("staff", "country"),
    ("visitor", "roadmap"),
    ("focal_point", "roadmap"),
    ("org_admin", "roadmap"),
    ("visitor", "roadmap_json"),
    ("visitor", "milestone"),
    ("org_admin", "milestone"),
    ("focal_point", "milestone"),
    ("staff", "milestone"),
    ("org_admin", "consultations"),
    ("org_admin", "consultation"),
    ("focal_point", "consultation"),
    ("visitor", "organizations"),
    ("registered", "organizations"),
    ("visitor", "organization_search"),
    ("registered", "organization_search"),
    ("visitor", "organization"),
    ("org_admin", "organization"),
    ("org_admin", "my_organizations"),
    ("org_admin", "organization_people"),
    ("visitor", "alliance"),
    ("registered", "alliance"),
    ("org_admin", "alliance"),
    ("coordinator", "alliance"),
    ("coordinator", "alliance_requests"),
    ("coordinator", "alliance_contacts"),
    ("staff", "alliance_manage"),
    ("staff", "initiative_roles"),
    ("visitor", "events"),
    ("registered", "events"),
    ("visitor", "past_events"),
    ("visitor", "event"),
    ("registered", "event"),
    ("focal_point", "event"),
    ("focal_point", "event_registrations"),
    ("registered", "my_events"),
    ("staff", "dashboard"),
    ("staff", "vetting"),
    ("staff", "vetting_detail"),
    ("registered", "new_organization"),
    ("focal_point", "new_event"),
    ("focal_point", "consultation_summary"),
    ("visitor", "healthz"),
    ("staff", "audit"),
    ("registered", "profile"),
    ("registered", "preferences"),
]


def queries(client, url: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize(("persona", "page"), PAGES, ids=[f"{p}-{n}" for p, n in PAGES])
def test_every_page_costs_the_same_queries_at_two_sizes_within_the_budget(
    world, scene, client_for, persona, page
):
    grow(world, scene, 1)
    client = client_for(persona)
    url = url_of(world, scene, page)
    client.get("/")  # the first request of a session saves it
    client.get(url)
    small = queries(client, url)
    grow(world, scene, 3)
    large = queries(client, url)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= QUERY_BUDGET, "\n".join(large)


def test_the_budget_holds_where_events_and_milestones_are_due_today(world, scene, client_for):
    """Overdue and stalled milestones fill the dashboard's lists; they stay one query each."""
    client = client_for("staff")
    grow(world, scene, 1)
    client.get("/dashboard/")
    small = queries(client, "/dashboard/")
    for _ in range(4):
        MilestoneFactory(
            priority=scene.priority,
            status="delayed",
            progress=10,
            due_on=timezone.localdate() - datetime.timedelta(days=3),
        )
    large = queries(client, "/dashboard/")
    assert len(large) == len(small) <= QUERY_BUDGET


def test_the_floor_view_answers_ok_in_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
