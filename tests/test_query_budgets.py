"""Every page, for the people who use it, costs the same number of queries whatever the size
of the data, and at most QUERY_BUDGET: a page that grows a query per row shows here first.

Each case renders a page once with a little data and once with more of everything the page
lists (organizations, members, milestones, reports, assessments, comments, events,
registrations, audit entries...), and compares the queries. The cache is cleared before
each measurement: the count is the cold one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from countries.models import Country
from events.models import RegistrationStatus
from events.services import calendar_feed_for
from groups.models import ReplyRevision
from notifications.models import Category
from notifications.services import preferences_for, unsubscribe_token
from stakeholders.models import MemberRole, MembershipStatus, OrganizationStatus
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.countries.factories import InitiativeFactory
from tests.events.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    EventFactory,
    RegistrationFactory,
)
from tests.groups.factories import (
    GroupMemberFactory,
    ProposalFactory,
    ReplyFactory,
    ThreadFactory,
    VoteFactory,
    WorkingGroupFactory,
)
from tests.notifications.factories import NotificationFactory
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    AssessmentFactory,
    CommentFactory,
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

# A signed-in page starts with four: the session, the person, their standing and the
# unread count beside "Notifications"; the country page adds the declared participation
# and whether the person follows the country.
QUERY_BUDGET = 17
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
    closed_consultation: Any  # past its deadline: its summary lists the inputs
    group: Any  # public, run by the focal point, the organization admin in it
    thread: Any
    proposal: Any
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
    closed = ConsultationFactory(
        initiative=world.kenya_initiative, deadline=timezone.now() - datetime.timedelta(days=1)
    )
    preferences_for(world["registered"])
    RegistrationFactory(event=event, user=world["registered"])
    group = WorkingGroupFactory(
        initiative=world.kenya_initiative, facilitator=world["focal_point"], visibility="public"
    )
    GroupMemberFactory(
        group=group, user=world["org_admin"], side="civil_society", organization=world.organization
    )
    thread = ThreadFactory(group=group, author=world["focal_point"])
    proposal = ProposalFactory(thread=thread)
    return Scene(roadmap, priority, milestone, event, consultation, closed, group, thread, proposal)


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
        RegistrationFactory(event=scene.event, status=RegistrationStatus.ATTENDED)
        AgendaItemFactory(event=scene.event)
        ActionItemFactory(event=scene.event)
        # Consultation inputs, and things that happened.
        for consultation in (scene.consultation, scene.closed_consultation):
            ConsultationInputFactory(
                consultation=consultation,
                organization=AllianceMembershipFactory(alliance=world.kenya_alliance).organization,
            )
        # Working groups: more groups, members of both sides, threads, replies and edits.
        WorkingGroupFactory(initiative=world.kenya_initiative, visibility="public")
        expert = GroupMemberFactory(group=scene.group, side="government").user
        voice = GroupMemberFactory(
            group=scene.group, side="civil_society", organization=member.organization
        ).user
        ThreadFactory(group=scene.group, author=expert)
        VoteFactory(proposal=scene.proposal, user=expert, side="government")
        VoteFactory(
            proposal=scene.proposal,
            user=voice,
            side="civil_society",
            position="objection",
            reason="Too slow.",
            response="Shelters open at night.",
            responded_by=world["focal_point"],
            responded_at=timezone.now(),
        )
        for author in (expert, voice):
            reply = ReplyFactory(thread=scene.thread, author=author, quote=None)
            ReplyRevision.objects.create(reply=reply, body="Before.", written_at=timezone.now())
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
        "consultation_summary": f"/consultations/{scene.closed_consultation.pk}/summary/",
        "healthz": "/healthz/",
        "audit": "/audit/",
        "profile": "/accounts/profile/",
        "preferences": "/accounts/notifications/",
        # Calendars, exports and the pages behind the forms.
        "personal_feed": calendar_feed_for(world["registered"]).get_absolute_url(),
        "event_calendar": f"/events/{event}/calendar.ics",
        "minutes": f"/events/{event}/minutes/",
        "minutes_export": f"/events/{event}/minutes.txt",
        "event_edit": f"/events/{event}/edit/",
        "event_postpone": f"/events/{event}/postpone/",
        "event_cancel": f"/events/{event}/cancel/",
        "attendance": f"/events/{event}/attendance/",
        "outcome": f"/events/{event}/outcome/",
        "registrations_export": f"/events/{event}/registrations.csv",
        "unregister": f"/events/{event}/cancel-registration/",
        "organization_edit": f"/organizations/{world.organization.slug}/edit/",
        "organization_people_export": f"/organizations/{world.organization.slug}/people/export.csv",
        "organization_invite": f"/organizations/{world.organization.slug}/people/invite/",
        "alliance_new": "/alliances/new/",
        "alliance_members_export": "/alliances/ke/members.csv",
        "roadmap_version": f"/countries/ke/roadmap/v{scene.roadmap.version}/",
        "roadmap_csv": "/countries/ke/roadmap.csv",
        "milestone_edit": f"/milestones/{scene.milestone.pk}/edit/",
        "new_consultation": "/countries/ke/consultations/new/",
        "consultation_summary_csv": f"/consultations/{scene.closed_consultation.pk}/summary.csv",
        "personal_data": "/accounts/data/",
        "account_delete": "/accounts/delete/",
        "accessibility": "/accessibility/",
        "groups": "/countries/ke/groups/",
        "my_groups": "/groups/mine/",
        "group": f"/groups/{scene.group.pk}/",
        "group_members": f"/groups/{scene.group.pk}/members/",
        "thread": f"/threads/{scene.thread.pk}/",
        "proposal": f"/proposals/{scene.proposal.pk}/",
        "unsubscribe": reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(user_id=world["registered"].pk, category=Category.DIGESTS)],
        ),
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
    ("visitor", "personal_feed"),
    ("visitor", "event_calendar"),
    ("focal_point", "minutes"),
    ("focal_point", "minutes_export"),
    ("focal_point", "event_edit"),
    ("focal_point", "event_postpone"),
    ("focal_point", "event_cancel"),
    ("focal_point", "attendance"),
    ("focal_point", "outcome"),
    ("focal_point", "registrations_export"),
    ("registered", "unregister"),
    ("org_admin", "organization_edit"),
    ("org_admin", "organization_people_export"),
    ("org_admin", "organization_invite"),
    ("staff", "alliance_new"),
    ("coordinator", "alliance_members_export"),
    ("visitor", "roadmap_version"),
    ("visitor", "roadmap_csv"),
    ("focal_point", "milestone_edit"),
    ("focal_point", "new_consultation"),
    ("focal_point", "consultation_summary_csv"),
    ("registered", "personal_data"),
    ("registered", "account_delete"),
    ("visitor", "accessibility"),
    ("visitor", "unsubscribe"),
    ("visitor", "groups"),
    ("org_admin", "my_groups"),
    ("focal_point", "my_groups"),
    ("org_admin", "groups"),
    ("visitor", "group"),
    ("org_admin", "group"),
    ("focal_point", "group"),
    ("focal_point", "group_members"),
    ("org_admin", "thread"),
    ("focal_point", "thread"),
    ("staff", "thread"),
    ("org_admin", "proposal"),
    ("focal_point", "proposal"),
]


def queries(client, url: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in context.captured_queries]


def queries_at_two_sizes(
    client, url: str | Callable[[], str], grow_by: Callable[[int], None]
) -> tuple[list[str], list[str]]:
    """The queries of ``url`` with a little data, then with three times more. ``url`` may
    be a function, for an address that exists only once the data has grown."""
    grow_by(1)
    address = url() if callable(url) else url
    client.get("/")  # the first request of a session saves it
    client.get(address)
    small = queries(client, address)
    grow_by(3)
    return small, queries(client, address)


@pytest.mark.parametrize(("persona", "page"), PAGES, ids=[f"{p}-{n}" for p, n in PAGES])
def test_every_page_costs_the_same_queries_at_two_sizes_within_the_budget(
    world, scene, client_for, persona, page
):
    small, large = queries_at_two_sizes(
        client_for(persona),
        lambda: url_of(world, scene, page),
        lambda n: grow(world, scene, n),
    )
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= QUERY_BUDGET, "\n".join(large)


# A person's whole record as one file: one read per kind of data the portal keeps about
# them (preferences, addresses, memberships, registrations, emails, reports, comments,
# working groups, their replies and votes...),
# never one per row. It is a download asked for rarely, not a page, so it has a budget of
# its own: the page budget would mean merging unrelated tables into one query.
PERSONAL_DATA_EXPORT_BUDGET = 34


def test_a_persons_data_export_reads_each_kind_of_data_once_whatever_its_size(
    world, scene, client_for
):
    person = world["registered"]
    client = client_for("registered")

    def more_of_their_data(n: int) -> None:
        grow(world, scene, n)  # followed countries, registrations
        for _ in range(n):
            update = MilestoneUpdateFactory(milestone=scene.milestone, author=person)
            AssessmentFactory(update=update, organization=world.organization, author=person)
            CommentFactory(roadmap=scene.roadmap, milestone=scene.milestone, author=person)
            AuditEntry.objects.create(actor=person, action="profile.updated", target_repr="Rita")

    small, large = queries_at_two_sizes(client, "/accounts/data/export.json", more_of_their_data)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= PERSONAL_DATA_EXPORT_BUDGET, "\n".join(large)


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


def admin_lists() -> list[str]:
    from django.contrib import admin

    return sorted(
        f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry
    )


def grow_for_the_administration(world, scene: Scene, n: int) -> None:
    """``grow``, and more of what only the administration lists: people's second
    factors, calendars, preferences and emails; roadmaps, alliances, roles, consultations,
    co-signatures and invitations."""
    from allauth.mfa.models import Authenticator

    from roadmaps.models import Endorsement
    from stakeholders.models import Invitation, RoleKind
    from tests.roadmaps.factories import RoadmapFactory
    from tests.stakeholders.factories import AllianceFactory, InitiativeRoleFactory

    for _ in range(n):
        grow(world, scene, 1)
        initiative = Country.objects.latest("pk").initiatives.get()
        person = UserFactory()
        Authenticator.objects.create(
            user=person, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
        )
        calendar_feed_for(person)
        preferences_for(person)
        NotificationFactory(recipient=person)
        AllianceFactory(country=initiative.country)
        RoadmapFactory(initiative=initiative)
        InitiativeRoleFactory(initiative=initiative, user=person, role=RoleKind.CSU_OFFICER)
        ConsultationFactory(initiative=initiative)
        Endorsement.objects.create(roadmap=scene.roadmap, user=person)
        Invitation.objects.create(
            organization=world.organization,
            email=f"invited-{person.pk}@example.org",
            invited_by=world["org_admin"],
        )
        # For the pages of one priority, one report and one event, with their rows inline.
        ActionItemFactory(event=scene.event, milestone=MilestoneFactory(priority=scene.priority))
        first_report = scene.milestone.updates.order_by("pk").first()
        EvidenceFactory(update=first_report)
        AssessmentFactory(
            update=first_report, organization=OrganizationFactory(country=world.kenya)
        )


def admin_pages(world, scene: Scene) -> dict[str, str]:
    """The administration's pages of one object, for the objects with rows inline."""
    first_report = scene.milestone.updates.order_by("pk").first()
    return {
        "organization": f"stakeholders/organization/{world.organization.pk}",
        "alliance": f"stakeholders/alliance/{world.kenya_alliance.pk}",
        "roadmap": f"roadmaps/roadmap/{scene.roadmap.pk}",
        "priority": f"roadmaps/priority/{scene.priority.pk}",
        "report": f"roadmaps/milestoneupdate/{first_report.pk}",
        "consultation": f"consultations/consultation/{scene.consultation.pk}",
        "event": f"events/event/{scene.event.pk}",
    }


@pytest.mark.parametrize("model", admin_lists())
def test_every_list_of_the_administration_costs_the_same_queries_at_two_sizes(
    world, scene, client_for, model
):
    """CSU staff browse these lists: a column that names a related object must not read it
    row by row (Django joins only the relations that cannot be empty)."""
    small, large = queries_at_two_sizes(
        client_for("staff"),
        f"/admin/{model}/",
        lambda n: grow_for_the_administration(world, scene, n),
    )
    assert len(large) == len(small), "\n".join(large)


@pytest.mark.parametrize(
    "page", ["organization", "alliance", "roadmap", "priority", "report", "consultation", "event"]
)
def test_every_administration_page_with_rows_inline_costs_the_same_queries_at_two_sizes(
    world, scene, client_for, page
):
    small, large = queries_at_two_sizes(
        client_for("staff"),
        lambda: f"/admin/{admin_pages(world, scene)[page]}/change/",
        lambda n: grow_for_the_administration(world, scene, n),
    )
    assert len(large) == len(small), "\n".join(large)
