"""A portal with something on every main page, the pages each persona uses, and signing in
through the real form: shared by the accessibility and phone tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from playwright.sync_api import Page, expect

from roadmaps.models import MilestoneStatus, RoadmapStatus
from stakeholders.models import MembershipStatus, OrganizationStatus
from tests.consultations.factories import ConsultationFactory
from tests.events.factories import AgendaItemFactory, EventFactory, RegistrationFactory
from tests.groups.factories import (
    GroupMemberFactory,
    ReplyFactory,
    ThreadFactory,
    WorkingGroupFactory,
)
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    AssessmentFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import PASSWORD, AllianceMembershipFactory, OrganizationFactory


@dataclass
class Portal:
    milestone: str
    event: str
    organization: str
    consultation: str
    group: str
    thread: str


def build_portal(world) -> Portal:
    """Kenya's adopted roadmap with a progress report and its assessment, a public event with
    an agenda, a consultation, an organization waiting for vetting and a membership request
    waiting for the coordinator."""
    kenya = world.kenya_initiative
    kenya.summary = "Government and civil society working on trafficking in persons."
    kenya.save()
    roadmap = AdoptedRoadmapFactory(initiative=kenya, status=RoadmapStatus.ADOPTED)
    priority = PriorityFactory(
        roadmap=roadmap,
        title="Protect victims of trafficking",
        description="Shelters, referral and legal aid for victims.",
    )
    milestone = MilestoneFactory(
        priority=priority,
        title="Adopt the anti-trafficking law",
        status=MilestoneStatus.IN_PROGRESS,
        progress=40,
    )
    MilestoneFactory(priority=priority, title="Open two shelters")
    update = MilestoneUpdateFactory(
        milestone=milestone, author=world["focal_point"], progress_after=40
    )
    AssessmentFactory(update=update, author=world["org_admin"])
    event = EventFactory(
        initiative=kenya,
        title="Consultation on the anti-smuggling bill",
        starts_at=timezone.now() + datetime.timedelta(days=20),
        ends_at=timezone.now() + datetime.timedelta(days=20, hours=3),
        organizers=[world["focal_point"]],
    )
    AgendaItemFactory(event=event, title="Opening")
    RegistrationFactory(event=event, user=world["org_admin"])
    consultation = ConsultationFactory(initiative=kenya)
    OrganizationFactory(
        name="Coast Youth Network", country=world.kenya, status=OrganizationStatus.PENDING
    )
    AllianceMembershipFactory(alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED)
    group = WorkingGroupFactory(
        initiative=kenya,
        facilitator=world["focal_point"],
        visibility="public",
        title="Referral of victims of trafficking",
    )
    GroupMemberFactory(
        group=group, user=world["org_admin"], side="civil_society", organization=world.organization
    )
    GroupMemberFactory(
        group=group, side="government", agency="Directorate of Criminal Investigations"
    )
    thread = ThreadFactory(group=group, author=world["focal_point"])
    ReplyFactory(thread=thread, author=world["org_admin"])
    return Portal(
        milestone=milestone.get_absolute_url(),
        event=event.get_absolute_url(),
        organization=world.organization.get_absolute_url(),
        consultation=consultation.get_absolute_url(),
        group=group.get_absolute_url(),
        thread=thread.get_absolute_url(),
    )


def pages_for(persona: str, portal: Portal) -> list[str]:
    """The main pages a persona goes through (their own work areas included)."""
    public = [
        "/",
        "/countries/",
        "/countries/ke/",
        "/countries/ke/roadmap/",
        portal.milestone,
        "/organizations/",
        portal.organization,
        "/alliances/ke/",
        "/events/",
        portal.event,
        "/countries/ke/groups/",
        portal.group,
    ]
    signed_in = ["/my-work/", "/accounts/profile/", "/accounts/notifications/", "/events/mine/"]
    pages = {
        "visitor": [
            *public,
            "/accessibility/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
        ],
        "registered": [
            *public,
            *signed_in,
            "/organizations/new/",
            "/organizations/mine/",
            "/accounts/data/",
        ],
        "org_admin": [
            portal.milestone,
            portal.organization,
            f"{portal.organization}people/",
            f"{portal.organization}edit/",
            "/alliances/ke/",
            portal.consultation,
            portal.thread,
            *signed_in,
        ],
        "coordinator": [
            "/alliances/ke/",
            "/alliances/ke/requests/",
            "/alliances/ke/contacts/",
            portal.milestone,
            portal.consultation,
        ],
        "focal_point": [
            "/countries/ke/",
            "/countries/ke/roadmap/",
            portal.milestone,
            portal.event,
            f"{portal.event}registrations/",
            "/events/new/",
            "/countries/ke/consultations/",
            portal.group,
            f"{portal.group}members/",
            portal.thread,
            "/countries/ke/groups/new/",
        ],
        "other_focal_point": ["/countries/ke/", "/countries/ke/roadmap/", "/events/"],
        "staff": [
            "/dashboard/",
            "/vetting/",
            "/audit/",
            "/countries/ke/roles/",
            "/countries/ke/roadmap/",
            portal.milestone,
            f"{portal.event}registrations/",
        ],
    }
    return pages[persona]


def sign_in(page: Page, email: str) -> None:
    """Through the real sign-in form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    # On a phone the button sits in the folded menu: present, not necessarily visible.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)
