"""The people of an organization: the list, its export, roles, removal and leaving."""

import csv
import io

import pytest

from audit.models import AuditEntry
from stakeholders.models import MemberRole, OrganizationMember, OrganizationStatus
from tests.stakeholders.factories import (
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def colleague(world):
    """A plain member of the org admin's organization."""
    return OrganizationMemberFactory(
        organization=world.organization,
        user=UserFactory(full_name="Kamau Legal", display_name="K.", email="kamau@example.org"),
    )


def page(response) -> str:
    return response.content.decode()


def people_url(world) -> str:
    return f"/organizations/{world.organization.slug}/people/"


def signed_in(client_for, user):
    client = client_for("visitor")
    client.force_login(user)
    return client


def sensitive_entries(action):
    return AuditEntry.objects.filter(action=action, sensitive=True)


# --- The list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected", "sees_emails", "sees_admin_emails"),
    [
        ("visitor", 302, False, False),
        ("registered", 403, False, False),
        ("org_admin", 200, True, True),
        # Coordinators reach their alliance's organizations through their admins only.
        ("coordinator", 200, False, True),
        ("focal_point", 403, False, False),
        ("other_focal_point", 403, False, False),
        ("staff", 200, True, True),
    ],
)
def test_people_list_is_for_members_coordinators_and_staff(
    world, client_for, colleague, persona, expected, sees_emails, sees_admin_emails
):
    response = client_for(persona).get(people_url(world))
    assert response.status_code == expected
    content = page(response)
    if expected == 200:
        assert "K." in content  # the display name, never the full name
        assert "Kamau Legal" not in content
    assert ("kamau@example.org" in content) is sees_emails
    assert ("orgadmin@example.org" in content) is sees_admin_emails
    assert sensitive_entries("organization.people_viewed").count() == int(sees_admin_emails)


def test_a_plain_member_sees_the_people_without_emails_and_nothing_is_recorded(
    world, client_for, colleague
):
    content = page(signed_in(client_for, colleague.user).get(people_url(world)))
    assert "Oscar OrgAdmin" in content
    assert "orgadmin@example.org" not in content
    assert "Change role" not in content
    assert "Export as CSV" not in content
    assert "Leave" in content
    assert not AuditEntry.objects.filter(action="organization.people_viewed").exists()


def test_viewing_emails_is_recorded_with_who_and_what(world, client_for, colleague):
    client_for("org_admin").get(people_url(world))
    entry = sensitive_entries("organization.people_viewed").get()
    assert entry.actor == world["org_admin"]
    assert entry.target_id == str(world.organization.pk)
    assert entry.data == {"people": 2}


def test_people_of_a_hidden_organization_are_a_404(world, client_for):
    hidden = OrganizationFactory(country=world.kenya, status=OrganizationStatus.PENDING)
    assert client_for("registered").get(f"/organizations/{hidden.slug}/people/").status_code == 404


# --- Export -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("visitor", 302),
        ("registered", 403),
        ("org_admin", 200),
        ("coordinator", 403),
        ("focal_point", 403),
        ("other_focal_point", 403),
        ("staff", 200),
    ],
)
def test_only_admins_and_staff_export_the_people(world, client_for, colleague, persona, expected):
    response = client_for(persona).get(f"{people_url(world)}export.csv")
    assert response.status_code == expected
    assert sensitive_entries("organization.people_exported").count() == int(expected == 200)


def test_an_admin_exports_a_pseudonymous_member_by_the_pseudonym_alone(
    world, client_for, colleague
):
    colleague.user.full_name = "Legal Name Behind"
    colleague.user.display_name = "Sparrow"
    colleague.user.save()
    response = client_for("org_admin").get(f"{people_url(world)}export.csv")
    content = response.content.decode()
    assert "Legal Name Behind" not in content
    rows = {row[0]: row for row in csv.reader(io.StringIO(content))}
    assert rows["Sparrow"][1] == ""
    # The admin's own row carries their own legal name.
    assert rows["Oscar OrgAdmin"][1] == "Oscar OrgAdmin"


def test_the_export_is_a_csv_of_the_people_and_is_recorded(world, client_for, colleague):
    colleague.user.full_name = "=HYPERLINK(evil)"
    colleague.user.save()
    response = client_for("staff").get(f"{people_url(world)}export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "Legal name", "Email", "Role", "Joined"]
    assert rows[1][:4] == ["Oscar OrgAdmin", "Oscar OrgAdmin", "orgadmin@example.org", "Admin"]
    # A spreadsheet must not run a name as a formula.
    assert rows[2][1] == "'=HYPERLINK(evil)"
    entry = sensitive_entries("organization.people_exported").get()
    assert entry.actor == world["staff"]


# --- Roles ---------------------------------------------------------------------------------------


def test_an_admin_changes_a_role_after_a_confirmation_page(world, client_for, colleague):
    url = f"{people_url(world)}{colleague.pk}/role/"
    admin = client_for("org_admin")
    confirm = page(admin.get(url))
    assert "Change the role of K." in confirm
    colleague.refresh_from_db()
    assert colleague.role == MemberRole.MEMBER

    response = admin.post(url, {"role": "admin"}, follow=True)
    colleague.refresh_from_db()
    assert colleague.role == MemberRole.ADMIN
    assert "K. is now admin." in page(response)
    assert AuditEntry.objects.filter(action="organization.member_role_changed").exists()


def test_the_last_admin_cannot_step_down(world, client_for):
    admin_member = OrganizationMember.objects.get(user=world["org_admin"])
    response = client_for("org_admin").post(
        f"{people_url(world)}{admin_member.pk}/role/", {"role": "member"}, follow=True
    )
    admin_member.refresh_from_db()
    assert admin_member.role == MemberRole.ADMIN
    assert "An organization needs at least one admin." in page(response)


def test_a_plain_member_cannot_change_roles(world, client_for, colleague):
    response = signed_in(client_for, colleague.user).post(
        f"{people_url(world)}{colleague.pk}/role/", {"role": "admin"}
    )
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.role == MemberRole.MEMBER


def test_a_member_of_another_organization_is_a_404(world, client_for):
    stranger = OrganizationMemberFactory(organization=OrganizationFactory(country=world.kenya))
    response = client_for("org_admin").post(
        f"{people_url(world)}{stranger.pk}/role/", {"role": "admin"}
    )
    assert response.status_code == 404


# --- Removal and leaving -------------------------------------------------------------------------


def test_an_admin_removes_a_member_after_confirming(world, client_for, colleague):
    url = f"{people_url(world)}{colleague.pk}/remove/"
    admin = client_for("org_admin")
    assert "Remove K.?" in page(admin.get(url))
    assert OrganizationMember.objects.filter(pk=colleague.pk).exists()

    response = admin.post(url, follow=True)
    assert "K. is no longer a member" in page(response)
    assert not OrganizationMember.objects.filter(pk=colleague.pk).exists()
    assert AuditEntry.objects.filter(action="organization.member_removed").exists()


def test_a_plain_member_cannot_remove_anyone(world, client_for, colleague):
    admin_member = OrganizationMember.objects.get(user=world["org_admin"])
    response = signed_in(client_for, colleague.user).post(
        f"{people_url(world)}{admin_member.pk}/remove/"
    )
    assert response.status_code == 403
    assert OrganizationMember.objects.filter(pk=admin_member.pk).exists()


def test_a_member_leaves_after_confirming(world, client_for, colleague):
    client = signed_in(client_for, colleague.user)
    url = f"/organizations/{world.organization.slug}/leave/"
    assert f"Leave {world.organization.name}?" in page(client.get(url))

    response = client.post(url, follow=True)
    assert f"You have left {world.organization.name}." in page(response)
    assert not OrganizationMember.objects.filter(pk=colleague.pk).exists()
    assert AuditEntry.objects.filter(action="organization.member_left").exists()


def test_the_last_admin_cannot_leave(world, client_for):
    response = client_for("org_admin").post(
        f"/organizations/{world.organization.slug}/leave/", follow=True
    )
    assert "The last admin cannot leave" in page(response)
    assert OrganizationMember.objects.filter(user=world["org_admin"]).exists()


def test_an_admin_may_leave_once_someone_else_is_admin(world, client_for, colleague):
    colleague.role = MemberRole.ADMIN
    colleague.save()
    client_for("org_admin").post(f"/organizations/{world.organization.slug}/leave/")
    assert not OrganizationMember.objects.filter(user=world["org_admin"]).exists()


def test_someone_who_is_not_a_member_cannot_leave(world, client_for):
    response = client_for("registered").post(f"/organizations/{world.organization.slug}/leave/")
    assert response.status_code == 404
