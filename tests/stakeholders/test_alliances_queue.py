"""The coordinator queue: approve, decline, remove; member contacts and their export, each
look recorded for staff to review."""

import csv
import io

import pytest
from django.core import mail
from django.test import Client

from audit.models import AuditEntry
from stakeholders.models import AllianceMembership, MemberRole, MembershipStatus
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/alliances/ke/requests/"
CONTACTS = "/alliances/ke/contacts/"
EXPORT = "/alliances/ke/members.csv"


def decide_url(membership, decision: str) -> str:
    return f"/alliances/ke/requests/{membership.pk}/{decision}/"


@pytest.fixture
def request_(world):
    """A pending request from Haki Trust, whose admin is Amina."""
    membership = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        status=MembershipStatus.REQUESTED,
        organization__name="Haki Trust",
        motivation="We shelter survivors of trafficking.",
    )
    OrganizationMemberFactory(
        user=UserFactory(full_name="Amina Applicant", email="amina@example.org"),
        organization=membership.organization,
        role=MemberRole.ADMIN,
    )
    return membership


def subject(world, status: str) -> str:
    return f"[VPI Portal] Haki Trust in {world.kenya_alliance.name}: {status}"


# --- The queue -----------------------------------------------------------------------------


def test_coordinator_sees_pending_requests_with_motivation_and_current_members(
    world, client_for, request_
):
    response = client_for("coordinator").get(QUEUE)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Haki Trust" in content
    assert "We shelter survivors of trafficking." in content
    assert world.organization.name in content
    assert decide_url(request_, "approve") in content
    assert decide_url(world.organization.alliance_memberships.get(), "remove") in content
    # Contact details live on their own, recorded page.
    assert "amina@example.org" not in content
    assert not AuditEntry.objects.filter(sensitive=True).exists()


def test_empty_queue_says_so(world, client_for):
    assert "No requests are waiting." in client_for("coordinator").get(QUEUE).content.decode()


def test_alliance_page_links_coordinators_and_staff_to_the_queue(world, client_for):
    assert QUEUE in client_for("coordinator").get("/alliances/ke/").content.decode()
    assert QUEUE in client_for("staff").get("/alliances/ke/").content.decode()
    assert QUEUE not in client_for("org_admin").get("/alliances/ke/").content.decode()


@pytest.mark.parametrize("persona", ["registered", "org_admin", "focal_point", "other_focal_point"])
def test_queue_is_a_404_for_everyone_but_coordinators_and_staff(world, client_for, persona):
    assert client_for(persona).get(QUEUE).status_code == 404


def test_visitors_are_sent_to_sign_in(world, client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Decisions -----------------------------------------------------------------------------


def test_coordinator_approves_and_the_organization_is_told_and_listed(
    world, client_for, request_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(decide_url(request_, "approve"), follow=True)

    request_.refresh_from_db()
    assert request_.status == MembershipStatus.APPROVED
    assert request_.decided_by == world["coordinator"]
    assert request_.decided_at is not None
    assert "Haki Trust is now a member of the alliance." in response.content.decode()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["amina@example.org"], subject(world, "Approved"))
    ]
    assert AuditEntry.objects.filter(
        action="alliance.membership_approved", actor=world["coordinator"]
    ).exists()
    assert "Haki Trust" in client_for("registered").get("/alliances/ke/").content.decode()


def test_declining_needs_a_note_and_changes_nothing_without_one(
    world, client_for, request_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(decide_url(request_, "decline"), {"note": " "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REQUESTED
    assert mail.outbox == []


def test_coordinator_declines_with_a_note_the_organization_reads(
    world, client_for, request_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(
            decide_url(request_, "decline"), {"note": "Register your board first."}
        )

    request_.refresh_from_db()
    assert request_.status == MembershipStatus.DECLINED
    assert request_.decision_note == "Register your board first."
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == subject(world, "Declined")
    assert "Register your board first." in message.body


def test_deciding_a_request_already_decided_gets_a_clear_message_and_changes_nothing(
    world, client_for, request_, django_capture_on_commit_callbacks
):
    client = client_for("coordinator")
    client.post(decide_url(request_, "approve"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(request_, "decline"), {"note": "Too late"}, follow=True)

    assert "This request is already approved." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.APPROVED
    assert request_.decision_note == ""
    assert mail.outbox == []
    # Opening the form of a decided request says so too.
    assert (
        "This request is already approved."
        in client.get(decide_url(request_, "approve"), follow=True).content.decode()
    )


def test_coordinator_of_another_country_cannot_decide(world, request_):
    pakistani = UserFactory()
    AllianceFactory(country=world.pakistan).coordinators.add(pakistani)
    client = Client()
    client.force_login(pakistani)

    assert client.get(QUEUE).status_code == 404
    assert client.post(decide_url(request_, "approve")).status_code == 404

    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REQUESTED
    assert client.get("/alliances/pk/requests/").status_code == 200


@pytest.mark.parametrize("persona", ["registered", "org_admin", "focal_point", "other_focal_point"])
def test_others_cannot_decide(world, client_for, request_, persona):
    assert client_for(persona).post(decide_url(request_, "approve")).status_code == 404
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REQUESTED


def test_csu_staff_decide_like_coordinators(world, client_for, request_):
    client_for("staff").post(decide_url(request_, "approve"))
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.APPROVED
    assert request_.decided_by == world["staff"]


def test_unknown_decision_or_membership_of_another_alliance_is_a_404(world, client_for, request_):
    client = client_for("coordinator")
    assert client.post(decide_url(request_, "approved")).status_code == 404
    other = AllianceMembershipFactory(
        alliance=AllianceFactory(country=world.pakistan), status=MembershipStatus.REQUESTED
    )
    assert client.post(decide_url(other, "approve")).status_code == 404
    other.refresh_from_db()
    assert other.status == MembershipStatus.REQUESTED


def test_removing_a_member_asks_for_a_note_and_a_confirmation(
    world, client_for, django_capture_on_commit_callbacks
):
    membership = world.organization.alliance_memberships.get()
    client = client_for("coordinator")
    url = decide_url(membership, "remove")
    page = client.get(url).content.decode()
    assert f"Remove {world.organization.name} from the alliance?" in page

    response = client.post(url, {"note": "No activity for two years."})
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"confirm": "on"})
    assert "This field is required." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": "No activity for two years.", "confirm": "on"})

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REMOVED
    assert membership.decision_note == "No activity for two years."
    [message] = mail.outbox
    assert message.to == ["orgadmin@example.org"]
    assert message.subject.endswith(": Removed")


def test_a_pending_request_cannot_be_removed(world, client_for, request_):
    response = client_for("coordinator").post(
        decide_url(request_, "remove"), {"note": "x", "confirm": "on"}, follow=True
    )
    assert "This request is already requested." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == MembershipStatus.REQUESTED


# --- Member contacts -----------------------------------------------------------------------


def test_coordinator_sees_member_admins_contacts_and_the_look_is_recorded(
    world, client_for, request_
):
    response = client_for("coordinator").get(CONTACTS)
    content = response.content.decode()
    assert response.status_code == 200
    assert "orgadmin@example.org" in content
    assert "Oscar OrgAdmin" in content
    assert world.organization.contact_email in content
    # A request is not a membership yet.
    assert "amina@example.org" not in content

    entry = AuditEntry.objects.get(sensitive=True)
    assert entry.actor == world["coordinator"]
    assert entry.action == "alliance.member_contacts_viewed"
    assert entry.target_type == "stakeholders.alliance"
    assert entry.target_id == str(world.kenya_alliance.pk)
    assert entry.data == {"organizations": 1}


def test_queue_links_to_contacts_with_a_warning(world, client_for):
    content = client_for("coordinator").get(QUEUE).content.decode()
    assert CONTACTS in content
    assert "each look is recorded" in content


@pytest.mark.parametrize("persona", ["registered", "org_admin", "focal_point", "other_focal_point"])
def test_contacts_and_export_are_a_404_for_others_and_nothing_is_recorded(
    world, client_for, persona
):
    client = client_for(persona)
    assert client.get(CONTACTS).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(sensitive=True).exists()


def test_coordinator_of_another_country_sees_no_contacts(world):
    pakistani = UserFactory()
    AllianceFactory(country=world.pakistan).coordinators.add(pakistani)
    client = Client()
    client.force_login(pakistani)
    assert client.get(CONTACTS).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(sensitive=True).exists()


def test_export_lists_members_with_admin_contacts_and_is_recorded(world, client_for):
    second_admin = UserFactory(full_name="Zed Second", email="zed@example.org")
    OrganizationMemberFactory(
        user=second_admin, organization=world.organization, role=MemberRole.ADMIN
    )
    OrganizationMemberFactory(
        user=UserFactory(email="plain@example.org"),
        organization=world.organization,
        role=MemberRole.MEMBER,
    )

    response = client_for("staff").get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Organization"
    assert [(row[0], row[6], row[7]) for row in rows[1:]] == [
        (world.organization.name, "Oscar OrgAdmin", "orgadmin@example.org"),
        (world.organization.name, "Zed Second", "zed@example.org"),
    ]
    assert "plain@example.org" not in response.content.decode()
    entry = AuditEntry.objects.get(sensitive=True)
    assert entry.action == "alliance.member_contacts_exported"
    assert entry.actor == world["staff"]


def test_export_cells_cannot_become_spreadsheet_formulas(world, client_for):
    world.organization.name = '=HYPERLINK("http://evil")'
    world.organization.save()
    rows = list(csv.reader(io.StringIO(client_for("coordinator").get(EXPORT).content.decode())))
    assert rows[1][0].startswith("'=")


def test_removed_member_is_no_longer_in_contacts(world, client_for):
    AllianceMembership.objects.update(status=MembershipStatus.REMOVED)
    content = client_for("coordinator").get(CONTACTS).content.decode()
    assert "orgadmin@example.org" not in content
    assert "No member organizations yet." in content
