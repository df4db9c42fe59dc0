"""Every kind of action the security issue names writes its audit entry: role changes,
vetting and membership decisions, roadmap adoption, milestone updates, event changes, and
every view or export of a list of people with their contact details (recorded as access to
personal data). Each test goes through the page a person uses, where there is one."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from events.models import EventStatus
from roadmaps.models import RoadmapStatus
from stakeholders.models import MemberRole, MembershipStatus, OrganizationStatus
from tests.events.factories import EventFactory, RegistrationFactory
from tests.roadmaps.factories import (
    AdoptedRoadmapFactory,
    MilestoneFactory,
    PriorityFactory,
    RoadmapFactory,
)
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def recorded(action: str, *, actor, sensitive: bool | None = None) -> AuditEntry:
    entries = AuditEntry.objects.filter(action=action, actor=actor)
    assert entries.exists(), (
        f"no {action} entry; got {list(AuditEntry.objects.values_list('action', flat=True))}"
    )
    entry = entries.latest("pk")
    if sensitive is not None:
        assert entry.sensitive is sensitive
    return entry


# --- Role changes ------------------------------------------------------------------------------


def test_an_organization_admin_changing_a_role_is_recorded(world, client_for):
    member = OrganizationMemberFactory(organization=world.organization)
    url = f"/organizations/{world.organization.slug}/people/{member.pk}/role/"
    client_for("org_admin").post(url, {"role": MemberRole.ADMIN})
    entry = recorded("organization.member_role_changed", actor=world["org_admin"])
    assert entry.data == {"person": member.user_id, "previous": "member", "role": "admin"}


def test_assigning_and_ending_a_focal_point_role_is_recorded(world, client_for):
    person = UserFactory(email="alternate@example.org")
    client = client_for("staff")
    client.post(
        "/countries/ke/roles/",
        {
            "email": person.email,
            "role": "alternate_focal_point",
            "active_from": timezone.localdate().isoformat(),
        },
    )
    assigned = recorded("initiative.role_assigned", actor=world["staff"])
    assert assigned.data["person"] == person.pk
    role = person.initiative_roles.get()
    client.post(f"/countries/ke/roles/{role.pk}/end/")
    assert recorded("initiative.role_ended", actor=world["staff"]).data["person"] == person.pk


def test_adding_and_removing_a_coordinator_is_recorded(world, client_for):
    person = UserFactory(email="newcoordinator@example.org")
    client = client_for("staff")
    client.post("/alliances/ke/coordinators/add/", {"email": person.email})
    assert recorded("alliance.coordinator_added", actor=world["staff"]).data["person"] == person.pk
    client.post(f"/alliances/ke/coordinators/{person.pk}/remove/")
    assert (
        recorded("alliance.coordinator_removed", actor=world["staff"]).data["person"] == person.pk
    )


def test_making_someone_staff_in_the_administration_is_recorded(world, client_for):
    person = world["registered"]
    page = client_for("staff").get(f"/admin/stakeholders/user/{person.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in (
            (name, form[name].value()) for name in form.fields if name not in ("password",)
        )
        if value is not None and value is not False
    }
    data.update(
        {
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        }
    )
    for name in ("groups", "user_permissions"):
        data.pop(name, None)
    response = client_for("staff").post(f"/admin/stakeholders/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_staff
    entry = recorded("admin.changed", actor=world["staff"])
    assert entry.target_type == "stakeholders.user"
    assert entry.target_id == str(person.pk)
    assert "CSU staff" in entry.data["change"]


# --- Vetting and membership decisions ----------------------------------------------------------


def test_vetting_decisions_are_recorded(world, client_for):
    organization = OrganizationFactory(country=world.kenya, status=OrganizationStatus.PENDING)
    client_for("staff").post(
        f"/vetting/{organization.slug}/",
        {"decision": "rejected", "seen_status": "pending", "reason": "Not an NGO."},
    )
    entry = recorded("organization.rejected", actor=world["staff"])
    assert entry.target_id == str(organization.pk)
    assert entry.data == {"previous": "pending", "reason": "Not an NGO."}


def test_membership_request_and_decisions_are_recorded(world, client_for):
    organization = OrganizationFactory(country=world.kenya)
    OrganizationMemberFactory(
        organization=organization, user=world["registered"], role=MemberRole.ADMIN
    )
    client_for("registered").post(
        "/alliances/ke/join/",
        {"organization": organization.pk, "motivation": "We protect victims."},
    )
    recorded("alliance.membership_requested", actor=world["registered"])
    membership = organization.alliance_memberships.get()
    coordinator = client_for("coordinator")
    coordinator.post(f"/alliances/ke/requests/{membership.pk}/approve/", {"note": ""})
    recorded("alliance.membership_approved", actor=world["coordinator"])
    coordinator.post(
        f"/alliances/ke/requests/{membership.pk}/remove/",
        {"note": "Inactive for two years.", "confirm": "on"},
    )
    recorded("alliance.membership_removed", actor=world["coordinator"])


def test_declining_and_withdrawing_are_recorded(world, client_for):
    declined = AllianceMembershipFactory(
        alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED
    )
    client_for("coordinator").post(
        f"/alliances/ke/requests/{declined.pk}/decline/", {"note": "Outside the alliance's scope."}
    )
    assert recorded("alliance.membership_declined", actor=world["coordinator"]).data == {
        "note": "Outside the alliance's scope."
    }
    own = world.organization.alliance_memberships.get()
    client_for("org_admin").post(f"/alliances/ke/memberships/{own.pk}/withdraw/")
    recorded("alliance.membership_withdrawn", actor=world["org_admin"])


# --- Roadmaps ------------------------------------------------------------------------------------


def test_adopting_and_cosigning_a_roadmap_are_recorded(world, client_for):
    roadmap = RoadmapFactory(
        initiative=world.kenya_initiative,
        status=RoadmapStatus.CONSULTATION,
        consultation_closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    PriorityFactory(roadmap=roadmap)
    client_for("coordinator").post(f"/roadmaps/{roadmap.pk}/cosign/", {"word": "cosign"})
    recorded("roadmap.cosigned", actor=world["coordinator"])
    client_for("focal_point").post(f"/roadmaps/{roadmap.pk}/adopt/", {"confirm": "on"})
    assert recorded("roadmap.adopted", actor=world["focal_point"]).data == {"version": 1}


def test_a_milestone_update_is_recorded(world, client_for):
    milestone = MilestoneFactory(
        priority=PriorityFactory(roadmap=AdoptedRoadmapFactory(initiative=world.kenya_initiative))
    )
    client_for("focal_point").post(
        f"/milestones/{milestone.pk}/report/",
        {
            "status": "in_progress",
            "progress": "40",
            "narrative": "The bill passed its first reading.",
            "link_1_sensitivity": "public",
            "link_2_sensitivity": "public",
            "file_1_sensitivity": "public",
            "file_2_sensitivity": "public",
            "file_3_sensitivity": "public",
        },
    )
    entry = recorded("milestone.progress_reported", actor=world["focal_point"])
    assert entry.data == {"status": "in_progress", "progress": 40, "evidence": 0}


# --- Events -------------------------------------------------------------------------------


def wall(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_postponing_and_cancelling_an_event_are_recorded(world, client_for):
    event = EventFactory(initiative=world.kenya_initiative, time_zone="UTC")
    client = client_for("focal_point")
    later = event.starts_at + datetime.timedelta(days=7)
    client.post(
        f"/events/{event.pk}/postpone/",
        {
            "starts_at": wall(later),
            "ends_at": wall(later + datetime.timedelta(hours=2)),
            "message": "The minister travels that week.",
        },
    )
    recorded("event.postponed", actor=world["focal_point"])
    client.post(
        f"/events/{event.pk}/cancel/", {"message": "Elections were called.", "confirm": "on"}
    )
    recorded("event.cancelled", actor=world["focal_point"])
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def test_creating_and_changing_an_event_are_recorded(world, client_for):
    starts = timezone.now() + datetime.timedelta(days=30)
    data = {
        "initiative": world.kenya_initiative.pk,
        "kind": "stakeholder_consultation",
        "format": "in_person",
        "title": "Consultation on the firearms law",
        "description": "Government and civil society read the draft together.",
        "time_zone": "Africa/Nairobi",
        "starts_at": wall(starts),
        "ends_at": wall(starts + datetime.timedelta(hours=3)),
        "visibility": "public",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    client = client_for("focal_point")
    response = client.post("/events/new/", data)
    assert response.status_code == 302
    created = recorded("event.created", actor=world["focal_point"])
    data["title"] = "Consultation on the firearms bill"
    client.post(f"/events/{created.target_id}/edit/", data)
    assert recorded("event.changed", actor=world["focal_point"]).data["fields"] == ["title"]


# --- Lists of people with contact details ---------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url", "action"),
    [
        ("org_admin", "/organizations/{org}/people/", "organization.people_viewed"),
        ("org_admin", "/organizations/{org}/people/export.csv", "organization.people_exported"),
        ("coordinator", "/alliances/ke/contacts/", "alliance.member_contacts_viewed"),
        ("coordinator", "/alliances/ke/members.csv", "alliance.member_contacts_exported"),
        ("focal_point", "/events/{event}/registrations/", "event.attendees_viewed"),
        ("focal_point", "/events/{event}/registrations.csv", "event.attendees_exported"),
        ("staff", "/countries/ke/roles/", "initiative.roles_viewed"),
        ("staff", "/alliances/ke/manage/", "alliance.coordinators_viewed"),
    ],
)
def test_every_look_at_contact_details_is_recorded_as_access_to_personal_data(
    world, client_for, persona, url, action
):
    event = EventFactory(initiative=world.kenya_initiative)
    RegistrationFactory(event=event, user=world["registered"])
    response = client_for(persona).get(url.format(org=world.organization.slug, event=event.pk))
    assert response.status_code == 200
    recorded(action, actor=world[persona], sensitive=True)


def test_the_people_list_without_contact_details_is_not_recorded(world, client_for):
    member = UserFactory()
    OrganizationMemberFactory(organization=world.organization, user=member)
    client = Client()
    client.force_login(member)
    page = client.get(f"/organizations/{world.organization.slug}/people/")
    assert "orgadmin@example.org" not in page.content.decode()
    assert not AuditEntry.objects.filter(action="organization.people_viewed").exists()
