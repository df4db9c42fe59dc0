"""A person downloads what the portal holds about them and deletes their account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.test import Client

from audit.models import AuditEntry
from audit.services import audit_record
from consultations.models import ConsultationInput
from events.models import Registration, RegistrationStatus
from notifications.models import Notification, Preferences
from notifications.services import notify, preferences_for, unsubscribe_url
from privacy.services import person_pseudonym
from roadmaps.models import Assessment, Comment, MilestoneUpdate
from stakeholders.models import (
    AllianceMembership,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    User,
)
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.roadmaps.factories import (
    AssessmentFactory,
    CommentFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import (
    PASSWORD,
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)
from vpi_portal.models import Session

pytestmark = pytest.mark.django_db

DATA = "/accounts/data/"
EXPORT = "/accounts/data/export.json"
DELETE = "/accounts/delete/"


@pytest.fixture
def participant(world):
    """The org admin, with something in every part of the portal."""
    person = world["org_admin"]
    person.display_name = "Oscar"
    person.save()
    EmailAddress.objects.create(user=person, email="oscar.home@example.org", verified=False)
    milestone = MilestoneFactory(
        priority=PriorityFactory(roadmap__initiative=world.kenya_initiative),
        title="Adopt the anti-trafficking law",
    )
    update = MilestoneUpdateFactory(milestone=milestone, author=world["focal_point"])
    AssessmentFactory(update=update, author=person, comment="Confirmed by our field team.")
    MilestoneUpdateFactory(milestone=milestone, author=person, narrative="We trained 40 judges.")
    CommentFactory(
        roadmap=milestone.priority.roadmap, milestone=milestone, author=person, body="Add shelters."
    )
    ConsultationInputFactory(
        consultation=ConsultationFactory(initiative=world.kenya_initiative),
        organization=world.organization,
        author=person,
        text="Article 12 needs shelters.",
    )
    AllianceMembership.objects.filter(organization=world.organization).update(requested_by=person)
    RegistrationFactory(
        user=person,
        event__title="Joint workshop on firearms",
        event__initiative=world.kenya_initiative,
    )
    preferences = preferences_for(person)
    preferences.countries.add(world.kenya)
    notify(recipients=[person], template="digest", context={"sections": [], "period": "week"})
    audit_record(actor=person, action="organization.updated", target=world.organization)
    return person


# --- The data page and the download -----------------------------------------------------------


def test_visitors_are_asked_to_sign_in_for_the_data_pages(client):
    for url in (DATA, EXPORT, DELETE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_the_data_page_offers_the_download_and_the_deletion(client_for):
    page = client_for("registered").get(DATA).content.decode()
    assert "Download my data (JSON)" in page
    assert EXPORT in page
    assert DELETE in page


def test_the_profile_links_to_the_data_page(client_for):
    assert DATA in client_for("registered").get("/accounts/profile/").content.decode()


def test_the_download_holds_everything_about_the_person(client_for, participant, world):
    response = client_for("org_admin").get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == "orgadmin@example.org"
    assert data["profile"]["display_name"] == "Oscar"
    assert {row["email"] for row in data["email_addresses"]} == {
        "orgadmin@example.org",
        "oscar.home@example.org",
    }
    assert data["organization_memberships"] == [
        {
            "organization": world.organization.name,
            "country": "KE",
            "role": MemberRole.ADMIN,
            "joined": data["organization_memberships"][0]["joined"],
        }
    ]
    assert data["alliance_requests"][0]["organization"] == world.organization.name
    assert data["event_registrations"][0]["event"] == "Joint workshop on firearms"
    assert data["calendar_feed"] == {"exists": False}
    assert data["notification_preferences"]["countries_followed"] == ["KE"]
    assert [row["kind"] for row in data["notifications"]] == ["digest"]
    assert "body" not in json.dumps(data["notifications"])
    assert data["milestone_updates"][0]["narrative"] == "We trained 40 judges."
    assert data["assessments"][0]["comment"] == "Confirmed by our field team."
    assert data["comments"][0]["comment"] == "Add shelters."
    assert data["consultation_inputs"][0]["input"] == "Article 12 needs shelters."
    assert "organization.updated" in [row["action"] for row in data["audit_log"]]


def test_the_download_shows_no_one_else(client_for, participant, world):
    text = client_for("org_admin").get(EXPORT).content.decode()
    for other in ("focal@example.org", "coordinator@example.org", "Fatima Focal"):
        assert other not in text


def test_each_download_is_recorded_as_access_to_personal_data(client_for, participant):
    client_for("org_admin").get(EXPORT)
    entry = AuditEntry.objects.get(action="privacy.data_exported")
    assert entry.actor == participant
    assert entry.sensitive


def test_a_new_account_downloads_an_almost_empty_file(client_for):
    data = json.loads(client_for("registered").get(EXPORT).content)
    assert data["organization_memberships"] == []
    assert data["notification_preferences"] is None
    assert data["format"] == "vpi-portal-personal-data"


# --- Deleting an account ------------------------------------------------------------------------


def delete(client: Client, password: str = PASSWORD, confirm: bool = True):
    data = {"password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(DELETE, data)


def test_the_confirmation_page_says_what_is_removed_and_kept(client_for):
    page = client_for("org_admin").get(DELETE).content.decode()
    assert "What is removed" in page
    assert "Former participant" in page
    assert 'name="password"' in page
    assert 'name="confirm"' in page


def test_a_wrong_password_deletes_nothing(client_for, participant):
    response = delete(client_for("org_admin"), password="not-my-password")
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=participant.pk).exists()


def test_without_the_confirmation_nothing_is_deleted(client_for, participant):
    response = delete(client_for("org_admin"), confirm=False)
    assert "Tick the box to confirm." in response.content.decode()
    assert User.objects.filter(pk=participant.pk).exists()


def test_deleting_removes_the_person_and_signs_them_out_everywhere(client_for, participant, world):
    other_device = client_for("org_admin")
    other_device.get("/")
    client = client_for("org_admin")
    response = delete(client)
    assert response.status_code == 302
    assert response.url == "/"
    assert "Your account has been deleted." in client.get("/").content.decode()
    assert not User.objects.filter(email="orgadmin@example.org").exists()
    assert not EmailAddress.objects.filter(
        email__in=["orgadmin@example.org", "oscar.home@example.org"]
    ).exists()
    assert not OrganizationMember.objects.filter(organization=world.organization).exists()
    assert not Registration.objects.filter(user_id=participant.pk).exists()
    assert not Preferences.objects.filter(user_id=participant.pk).exists()
    assert not Notification.objects.filter(to_email="orgadmin@example.org").exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(participant.pk)
    ]
    assert other_device.get(DATA).status_code == 302


def test_what_the_person_wrote_stays_as_a_former_participants(client_for, participant, world):
    delete(client_for("org_admin"))
    assert MilestoneUpdate.objects.get(narrative="We trained 40 judges.").author is None
    assert Assessment.objects.get(comment="Confirmed by our field team.").author is None
    assert Comment.objects.get(body="Add shelters.").author is None
    assert ConsultationInput.objects.get(text="Article 12 needs shelters.").author is None
    milestone = Comment.objects.get(body="Add shelters.").milestone
    page = client_for("coordinator").get(milestone.get_absolute_url()).content.decode()
    assert "Add shelters." in page
    assert "Former participant" in page
    assert "Oscar" not in page


def test_the_audit_log_keeps_a_pseudonym_and_no_trace_of_the_person(client_for, participant):
    pk = participant.pk
    client = Client()
    client.post("/accounts/login/", {"login": "orgadmin@example.org", "password": "wrong"})
    delete(client_for("org_admin"))
    pseudonym = person_pseudonym(pk)
    assert AuditEntry.objects.filter(actor_id=pk).count() == 0
    updated = AuditEntry.objects.get(action="organization.updated")
    assert updated.data["actor"] == pseudonym
    failed = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert failed.data["login"] == pseudonym
    deleted = AuditEntry.objects.get(action="privacy.account_deleted")
    assert deleted.actor is None
    assert deleted.data["person"] == pseudonym
    for entry in AuditEntry.objects.all():
        text = f"{entry.target_repr} {json.dumps(entry.data)}"
        assert "orgadmin@example.org" not in text
        assert "Oscar" not in text


def test_the_pseudonym_is_stable_and_does_not_reveal_the_id():
    assert person_pseudonym(42) == person_pseudonym(42)
    assert person_pseudonym(42) != person_pseudonym(43)
    assert person_pseudonym(42).startswith("person:")
    assert "42" not in person_pseudonym(42).removeprefix("person:")[:2]


def test_a_seat_given_up_goes_to_the_waiting_list(client_for, world, outbox_delivery):
    event = EventFactory(initiative=world.kenya_initiative, capacity=1)
    RegistrationFactory(event=event, user=world["org_admin"])
    waiting = RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, position=1, user__full_name="Wanjiru"
    )
    with outbox_delivery():
        delete(client_for("org_admin"))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_an_organization_whose_only_member_leaves_stays_registered(client_for, world):
    delete(client_for("org_admin"))
    assert Organization.objects.filter(pk=world.organization.pk).exists()
    assert AuditEntry.objects.filter(
        action="organization.member_left", target_id=str(world.organization.pk)
    ).exists()


def test_the_last_admin_of_an_organization_with_members_is_told_what_to_do(client_for, world):
    colleague = UserFactory(full_name="Colleague")
    OrganizationMemberFactory(organization=world.organization, user=colleague)
    client = client_for("org_admin")
    page = client.get(DELETE).content.decode()
    assert "You are the only admin of" in page
    assert 'name="password"' not in page
    response = delete(client)
    assert response.status_code == 200
    assert User.objects.filter(email="orgadmin@example.org").exists()


def test_an_organization_with_another_admin_does_not_block(client_for, world):
    OrganizationMemberFactory(organization=world.organization, role=MemberRole.ADMIN)
    assert delete(client_for("org_admin")).status_code == 302


@pytest.mark.parametrize(
    ("persona", "reason"),
    [
        ("staff", "You are CSU staff."),
        ("focal_point", "Ask CSU staff to end your role first"),
        ("coordinator", "You coordinate"),
    ],
)
def test_people_others_depend_on_are_told_what_to_do_first(client_for, world, persona, reason):
    client = client_for(persona)
    assert reason in client.get(DELETE).content.decode()
    delete(client)
    assert User.objects.filter(pk=world[persona].pk).exists()


def test_an_unsubscribe_link_of_a_deleted_account_is_simply_invalid(client_for, participant):
    url = unsubscribe_url(user_id=participant.pk, category="digests")
    delete(client_for("org_admin"))
    path = url.removeprefix("http://127.0.0.1:8000")
    assert Client().post(path).status_code == 400


def test_alliance_requests_keep_their_organization_without_the_requester(
    client_for, participant, world
):
    membership = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization=OrganizationFactory(country=world.kenya),
        status=MembershipStatus.DECLINED,
        requested_by=participant,
    )
    delete(client_for("org_admin"))
    membership.refresh_from_db()
    assert membership.requested_by is None
