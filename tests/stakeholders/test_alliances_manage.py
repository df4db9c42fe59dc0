"""Alliance administration by CSU staff: create, edit, coordinators; each change recorded."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from stakeholders.models import Alliance, MemberListVisibility
from tests.countries.factories import CountryFactory
from tests.stakeholders.factories import AllianceFactory, UserFactory

pytestmark = pytest.mark.django_db

MANAGE = "/alliances/ke/manage/"
CREATE = "/alliances/new/"


def test_staff_create_an_alliance_for_a_country_with_an_initiative(world, client_for):
    client = client_for("staff")
    form = client.get(CREATE).content.decode()
    assert "Pakistan" in form
    assert '<option value="' + str(world.kenya.pk) + '"' not in form  # Kenya has one

    response = client.post(
        CREATE,
        {
            "country": world.pakistan.pk,
            "name": "Pakistan Civil Society Alliance",
            "description": "Forty organizations against organized crime.",
            "founded_on": "2024-02-01",
            "member_list_visibility": MemberListVisibility.MEMBERS,
        },
    )

    alliance = Alliance.objects.get(country=world.pakistan)
    assert response.status_code == 302
    assert response["Location"] == "/alliances/pk/manage/"
    assert alliance.name == "Pakistan Civil Society Alliance"
    assert alliance.member_list_visibility == MemberListVisibility.MEMBERS
    entry = AuditEntry.objects.get(action="alliance.created")
    assert entry.actor == world["staff"]
    assert entry.target_id == str(alliance.pk)
    assert "Pakistan Civil Society Alliance" in client.get("/alliances/pk/").content.decode()


def test_a_country_gets_one_alliance_only(world, client_for):
    response = client_for("staff").post(
        CREATE,
        {"country": world.kenya.pk, "name": "Second", "member_list_visibility": "registered"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Alliance.objects.count() == 1


def test_a_country_without_initiative_is_not_offered(world, client_for):
    CountryFactory(code="GH")
    assert "Ghana" not in client_for("staff").get(CREATE).content.decode()


def test_creating_needs_a_name(world, client_for):
    response = client_for("staff").post(
        CREATE, {"country": world.pakistan.pk, "name": "", "member_list_visibility": "public"}
    )
    assert "This field is required." in response.content.decode()
    assert not Alliance.objects.filter(country=world.pakistan).exists()


@pytest.mark.parametrize(
    "persona", ["registered", "org_admin", "coordinator", "focal_point", "other_focal_point"]
)
def test_administration_is_a_404_for_everyone_but_staff(world, client_for, persona):
    client = client_for(persona)
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, {"country": world.pakistan.pk, "name": "X"}).status_code == 404
    assert client.get(MANAGE).status_code == 404
    assert client.post(MANAGE, {"name": "Hijacked"}).status_code == 404
    assert (
        client.post("/alliances/ke/coordinators/add/", {"email": "x@example.org"}).status_code
        == 404
    )
    assert not Alliance.objects.filter(country=world.pakistan).exists()
    world.kenya_alliance.refresh_from_db()
    assert world.kenya_alliance.name != "Hijacked"


def test_staff_edit_description_founded_and_list_visibility(world, client_for):
    client = client_for("staff")
    assert "Manage the alliance" in client.get("/alliances/ke/").content.decode()

    response = client.post(
        MANAGE,
        {
            "name": world.kenya_alliance.name,
            "description": "A new description.",
            "founded_on": "2023-11-20",
            "member_list_visibility": MemberListVisibility.PUBLIC,
        },
        follow=True,
    )

    assert "The alliance has been saved." in response.content.decode()
    world.kenya_alliance.refresh_from_db()
    assert world.kenya_alliance.description == "A new description."
    assert str(world.kenya_alliance.founded_on) == "2023-11-20"
    assert world.kenya_alliance.member_list_visibility == MemberListVisibility.PUBLIC
    entry = AuditEntry.objects.get(action="alliance.updated")
    assert sorted(entry.data["fields"]) == [
        "description",
        "founded_on",
        "member_list_visibility",
    ]


def test_saving_without_change_records_nothing(world, client_for):
    alliance = world.kenya_alliance
    response = client_for("staff").post(
        MANAGE,
        {
            "name": alliance.name,
            "description": alliance.description,
            "founded_on": "",
            "member_list_visibility": alliance.member_list_visibility,
        },
        follow=True,
    )
    assert "Nothing has changed." in response.content.decode()
    assert not AuditEntry.objects.filter(action="alliance.updated").exists()


def test_invalid_edit_is_shown_with_the_input_kept(world, client_for):
    response = client_for("staff").post(
        MANAGE,
        {"name": "", "description": "Kept text", "member_list_visibility": "everyone"},
    )
    content = response.content.decode()
    assert "This field is required." in content
    assert "Select a valid choice" in content
    assert "Kept text" in content
    world.kenya_alliance.refresh_from_db()
    assert world.kenya_alliance.description != "Kept text"


def test_staff_add_a_coordinator_by_email_of_an_existing_account(world, client_for):
    person = UserFactory(full_name="Nia New", email="nia@example.org")
    response = client_for("staff").post(
        "/alliances/ke/coordinators/add/", {"email": "NIA@example.org"}, follow=True
    )
    assert "Nia New now coordinates the alliance." in response.content.decode()
    assert world.kenya_alliance.coordinators.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="alliance.coordinator_added")
    assert entry.data == {"person": person.pk}
    assert "Nia New" in client_for("registered").get("/alliances/ke/").content.decode()


def test_a_new_coordinator_is_told_by_email(world, client_for, outbox_delivery):
    UserFactory(full_name="Nia New", email="nia@example.org", preferred_language="es")
    with outbox_delivery():
        client_for("staff").post("/alliances/ke/coordinators/add/", {"email": "nia@example.org"})
    (message,) = [m for m in mail.outbox if m.to == ["nia@example.org"]]
    alliance = world.kenya_alliance.name
    assert message.subject == f"[Portal VPI] Ahora coordina una alianza: {alliance}"
    body = " ".join(message.body.split())
    assert f"le ha asignado la coordinación de esta alianza: {alliance}." in body
    assert "/alliances/ke/" in message.body


def test_unknown_address_or_existing_coordinator_gets_a_form_error(world, client_for):
    client = client_for("staff")
    response = client.post("/alliances/ke/coordinators/add/", {"email": "nobody@example.org"})
    assert "No active account uses this address." in response.content.decode()
    response = client.post("/alliances/ke/coordinators/add/", {"email": "coordinator@example.org"})
    assert "This person already coordinates the alliance." in response.content.decode()
    assert world.kenya_alliance.coordinators.count() == 1
    assert not AuditEntry.objects.filter(action="alliance.coordinator_added").exists()


def test_staff_remove_a_coordinator_after_confirming(world, client_for):
    client = client_for("staff")
    url = f"/alliances/ke/coordinators/{world['coordinator'].pk}/remove/"
    assert "Remove Cora Coordinator as coordinator?" in client.get(url).content.decode()
    assert world.kenya_alliance.coordinators.count() == 1

    client.post(url)

    assert world.kenya_alliance.coordinators.count() == 0
    assert AuditEntry.objects.filter(action="alliance.coordinator_removed").exists()
    # The former coordinator's queue is closed.
    assert client_for("coordinator").get("/alliances/ke/requests/").status_code == 404


def test_removing_someone_who_is_not_a_coordinator_is_a_404(world, client_for):
    url = f"/alliances/ke/coordinators/{world['registered'].pk}/remove/"
    assert client_for("staff").post(url).status_code == 404


def test_coordinator_of_pakistan_is_not_coordinator_of_kenya(world, client_for):
    AllianceFactory(country=world.pakistan)
    client_for("staff").post("/alliances/pk/coordinators/add/", {"email": "registered@example.org"})
    assert client_for("registered").get("/alliances/pk/requests/").status_code == 200
    assert client_for("registered").get("/alliances/ke/requests/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/stakeholders/alliance/",
        "/admin/stakeholders/alliance/?country__risk_level__exact=high&q=coordinator",
        "/admin/stakeholders/alliancemembership/?status__exact=requested&q=network",
        "/admin/stakeholders/initiativerole/?role__exact=focal_point&active_until__isempty=1",
    ],
)
def test_admin_lists_open_for_staff(world, client_for, path):
    assert client_for("staff").get(path).status_code == 200


def test_admin_alliance_form_opens_with_its_memberships(world, client_for):
    url = f"/admin/stakeholders/alliance/{world.kenya_alliance.pk}/change/"
    content = client_for("staff").get(url).content.decode()
    assert world.organization.name in content
