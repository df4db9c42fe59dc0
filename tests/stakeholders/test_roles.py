"""Focal points and other initiative roles, assigned and ended by CSU staff in the portal."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from stakeholders.models import InitiativeRole, RoleKind
from tests.stakeholders.factories import InitiativeRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = "/countries/ke/roles/"


def assign(client, **data):
    fields = {
        "email": "",
        "role": RoleKind.ALTERNATE_FOCAL_POINT,
        "agency": "Ministry of Interior",
        "job_title": "Deputy Director",
        "active_from": "2025-01-15",
    }
    fields.update(data)
    return client.post(ROLES, fields)


def test_staff_see_active_and_past_roles(world, client_for):
    InitiativeRoleFactory(
        initiative=world.kenya_initiative,
        user=UserFactory(full_name="Peter Past"),
        role=RoleKind.ALTERNATE_FOCAL_POINT,
        active_from="2022-01-01",
        active_until="2023-01-01",
    )
    response = client_for("staff").get(ROLES)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Fatima Focal" in content
    assert "focal@example.org" in content
    assert "Peter Past" in content
    assert "Past roles" in content
    assert "Omar Otherfocal" not in content


@pytest.mark.parametrize(
    "persona", ["registered", "org_admin", "coordinator", "focal_point", "other_focal_point"]
)
def test_roles_page_is_a_404_for_everyone_but_staff(world, client_for, persona):
    client = client_for(persona)
    assert client.get(ROLES).status_code == 404
    assert assign(client, email="registered@example.org").status_code == 404
    role = world["focal_point"].initiative_roles.get()
    assert client.post(f"/countries/ke/roles/{role.pk}/end/").status_code == 404
    role.refresh_from_db()
    assert role.is_active
    assert InitiativeRole.objects.count() == 2


def test_visitors_are_sent_to_sign_in(world, client):
    assert client.get(ROLES)["Location"].startswith("/accounts/login/")


def test_unknown_country_is_a_404(world, client_for):
    assert client_for("staff").get("/countries/zz/roles/").status_code == 404


def test_staff_assign_an_alternate_who_is_emailed(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client_for("staff"), email="Registered@example.org", shown_publicly="on")

    assert response.status_code == 302
    role = InitiativeRole.objects.get(user=world["registered"])
    assert role.role == RoleKind.ALTERNATE_FOCAL_POINT
    assert role.initiative == world.kenya_initiative
    assert role.agency == "Ministry of Interior"
    assert role.job_title == "Deputy Director"
    assert role.shown_publicly is True
    assert str(role.active_from) == "2025-01-15"
    assert role.assigned_by == world["staff"]
    [message] = mail.outbox
    assert message.to == ["registered@example.org"]
    assert message.subject == (
        f"[VPI Portal] You are Alternate focal point of {world.kenya_initiative.title}"
    )
    assert AuditEntry.objects.filter(
        action="initiative.role_assigned", actor=world["staff"]
    ).exists()


def test_a_second_active_focal_point_is_a_clear_form_error(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = assign(
            client_for("staff"), email="registered@example.org", role=RoleKind.FOCAL_POINT
        )

    assert response.status_code == 200
    content = response.content.decode()
    assert "already has an active focal point. End that role first." in content
    assert 'value="registered@example.org"' in content
    assert not InitiativeRole.objects.filter(user=world["registered"]).exists()
    assert mail.outbox == []


def test_the_same_role_twice_is_a_form_error(world, client_for):
    client = client_for("staff")
    assign(client, email="registered@example.org")
    response = assign(client, email="registered@example.org")
    assert "This person already holds this role." in response.content.decode()
    assert InitiativeRole.objects.filter(user=world["registered"]).count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "nobody@example.org"}, "No active account uses this address."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"email": "registered@example.org", "role": "minister"}, "Select a valid choice"),
        ({"email": "registered@example.org", "active_from": "someday"}, "Enter a valid date."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(world, client_for, data, error):
    response = assign(client_for("staff"), **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert InitiativeRole.objects.count() == 2


def test_staff_end_a_role_after_confirming_then_name_a_new_focal_point(world, client_for):
    client = client_for("staff")
    role = world["focal_point"].initiative_roles.get()
    url = f"/countries/ke/roles/{role.pk}/end/"
    assert "End the role of Fatima Focal (Focal point)?" in client.get(url).content.decode()
    role.refresh_from_db()
    assert role.is_active

    response = client.post(url, follow=True)

    role.refresh_from_db()
    assert not role.is_active
    assert "The role of Fatima Focal has ended." in response.content.decode()
    assert AuditEntry.objects.filter(action="initiative.role_ended").exists()
    assert (
        assign(client, email="registered@example.org", role=RoleKind.FOCAL_POINT).status_code == 302
    )
    assert (
        InitiativeRole.objects.active()
        .get(role=RoleKind.FOCAL_POINT, initiative=world.kenya_initiative)
        .user
        == world["registered"]
    )


def test_ending_a_role_twice_says_it_has_ended(world, client_for):
    client = client_for("staff")
    role = world["focal_point"].initiative_roles.get()
    url = f"/countries/ke/roles/{role.pk}/end/"
    client.post(url)
    assert "This role has already ended." in client.post(url, follow=True).content.decode()
    assert "This role has already ended." in client.get(url, follow=True).content.decode()


def test_role_of_another_country_is_a_404_under_kenyas_address(world, client_for):
    role = world["other_focal_point"].initiative_roles.get()
    assert client_for("staff").post(f"/countries/ke/roles/{role.pk}/end/").status_code == 404
    role.refresh_from_db()
    assert role.is_active
