"""Inviting colleagues by email: the signed, expiring link, for new and existing accounts."""

import re
import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from audit.models import AuditEntry
from stakeholders.models import Invitation, MemberRole, OrganizationMember
from stakeholders.services import invitation_create, invitation_token
from tests.stakeholders.factories import (
    PASSWORD,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page(response) -> str:
    return response.content.decode()


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def invite(world, client_for, capture, email, role="member"):
    """The org admin invites someone through the people page; returns the emailed link."""
    mail.outbox.clear()
    with capture(execute=True):
        response = client_for("org_admin").post(
            f"/organizations/{world.organization.slug}/people/invite/",
            {"email": email, "role": role},
            follow=True,
        )
    assert f"An invitation has been sent to {email}" in page(response)
    (message,) = mail.outbox
    assert message.to == [email]
    return link_in(message)


# --- Sending -------------------------------------------------------------------------------------


def test_an_admin_invites_a_colleague_by_email(
    world, client_for, django_capture_on_commit_callbacks
):
    link = invite(world, client_for, django_capture_on_commit_callbacks, "amina@example.org")

    invitation = Invitation.objects.get(email="amina@example.org")
    assert invitation.organization == world.organization
    assert invitation.invited_by == world["org_admin"]
    assert invitation.role == MemberRole.MEMBER
    message = mail.outbox[0]
    assert f"You are invited to join {world.organization.name}" in message.subject
    assert "Oscar OrgAdmin invited you" in message.body
    assert link.startswith("/invitations/")
    assert AuditEntry.objects.filter(action="organization.member_invited").exists()
    # The open invitation is listed for the admins, with a way to revoke it.
    content = page(client_for("org_admin").get(f"/organizations/{world.organization.slug}/people/"))
    assert "amina@example.org" in content
    assert "Revoke" in content


def test_inviting_someone_already_invited_or_already_a_member_is_refused(
    world, client_for, django_capture_on_commit_callbacks
):
    invite(world, client_for, django_capture_on_commit_callbacks, "amina@example.org")
    url = f"/organizations/{world.organization.slug}/people/invite/"
    client = client_for("org_admin")

    again = client.post(url, {"email": "AMINA@example.org", "role": "member"})
    assert "has already been invited" in page(again)
    member = client.post(url, {"email": "orgadmin@example.org", "role": "member"})
    assert "is already a member of this organization" in page(member)
    bad = client.post(url, {"email": "not-an-email", "role": "member"})
    assert "Enter a valid email address." in page(bad)
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("visitor", 302),
        ("registered", 403),
        ("org_admin", 302),
        ("coordinator", 403),
        ("focal_point", 403),
        ("other_focal_point", 403),
        ("staff", 302),
    ],
)
def test_only_admins_and_staff_may_invite(world, client_for, persona, expected):
    response = client_for(persona).post(
        f"/organizations/{world.organization.slug}/people/invite/",
        {"email": f"new-{persona}@example.org", "role": "member"},
    )
    assert response.status_code == expected
    invited = Invitation.objects.filter(email=f"new-{persona}@example.org").exists()
    assert invited is (persona in ("org_admin", "staff"))
    if persona == "visitor":
        assert response.url.startswith("/accounts/login/")


def test_a_plain_member_may_not_invite(world, client_for):
    member = OrganizationMemberFactory(organization=world.organization).user
    client = client_for("visitor")
    client.force_login(member)
    response = client.post(
        f"/organizations/{world.organization.slug}/people/invite/",
        {"email": "x@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- Accepting ---------------------------------------------------------------------------------


def test_a_new_person_signs_up_from_the_link_and_accepts(
    world, client_for, client, django_capture_on_commit_callbacks
):
    link = invite(
        world, client_for, django_capture_on_commit_callbacks, "amina@example.org", role="admin"
    )

    landing = client.get(link)
    content = page(landing)
    assert f"Invitation to join {world.organization.name}" in content
    assert "sign in with amina@example.org" in content
    signup_url = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', content).group(1)
    assert "next=%2Finvitations%2F" in signup_url

    # Sign up from the link, then confirm the address from the email.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            signup_url.replace("&amp;", "&"),
            {
                "full_name": "Amina Example",
                "email": "amina@example.org",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
                "next": link,
            },
        )
    confirm = re.search(r"(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    confirmed = client.post(confirm)
    # Confirming signs the person in and brings them back to the invitation.
    assert confirmed.url == link
    assert "Accept the invitation" in page(client.get(link))

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(link, follow=True)

    member = OrganizationMember.objects.get(user__email="amina@example.org")
    assert member.organization == world.organization
    assert member.role == MemberRole.ADMIN
    assert f"Welcome to {world.organization.name}" in page(accepted)
    invitation = Invitation.objects.get(email="amina@example.org")
    assert invitation.accepted_by == member.user
    assert invitation.accepted_at is not None
    # The organization's admins hear about it; the new member is not told twice.
    assert [message.to for message in mail.outbox] == [["orgadmin@example.org"]]
    assert "Amina Example accepted" in mail.outbox[0].body


def test_an_existing_account_signs_in_from_the_link_and_accepts(
    world, client_for, client, django_capture_on_commit_callbacks
):
    colleague = UserFactory(full_name="Juma Colleague", email="juma@example.org")
    link = invite(world, client_for, django_capture_on_commit_callbacks, "juma@example.org")

    login_url = re.search(r'href="(/accounts/login/\?next=[^"]+)"', page(client.get(link)))
    signed_in = client.post(
        login_url.group(1), {"login": "juma@example.org", "password": PASSWORD, "next": link}
    )
    assert signed_in.url == link

    client.post(link)
    assert OrganizationMember.objects.filter(
        user=colleague, organization=world.organization, role=MemberRole.MEMBER
    ).exists()


def test_a_person_signed_in_with_another_address_cannot_accept(
    world, client_for, django_capture_on_commit_callbacks
):
    link = invite(world, client_for, django_capture_on_commit_callbacks, "amina@example.org")
    client = client_for("registered")

    content = page(client.get(link))
    assert "This invitation was sent to amina@example.org" in content
    assert "Accept the invitation" not in content

    response = client.post(link)
    assert "This invitation was sent to amina@example.org" in page(response)
    assert not OrganizationMember.objects.filter(user=world["registered"]).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_unconfirmed_address_is_not_enough_to_accept(
    world, client_for, django_capture_on_commit_callbacks
):
    link = invite(world, client_for, django_capture_on_commit_callbacks, "amina@example.org")
    person = world["registered"]
    EmailAddress.objects.create(user=person, email="amina@example.org", verified=False)
    client = client_for("registered")
    client.post(link)
    assert not OrganizationMember.objects.filter(user=person).exists()


def test_an_expired_link_is_refused(world, settings, client_for):
    settings.ORGANIZATION_INVITATION_MAX_AGE = 60 * 60
    invitation = Invitation.objects.create(
        organization=world.organization, email="registered@example.org", invited_by=None
    )
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 60 * 60):
        token = invitation_token(invitation)
    client = client_for("registered")

    content = page(client.get(f"/invitations/{token}/"))
    assert "This invitation has expired." in content
    client.post(f"/invitations/{token}/")
    assert not OrganizationMember.objects.filter(user=world["registered"]).exists()


def test_the_same_link_is_still_valid_within_its_age(world, settings, client_for):
    settings.ORGANIZATION_INVITATION_MAX_AGE = 3 * 60 * 60
    invitation = Invitation.objects.create(
        organization=world.organization, email="registered@example.org"
    )
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 2 * 60 * 60):
        token = invitation_token(invitation)
    client_for("registered").post(f"/invitations/{token}/")
    assert OrganizationMember.objects.filter(user=world["registered"]).exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "999999" + token[token.index(":") :],
        lambda token: "garbage",
    ],
)
def test_a_forged_link_is_refused(world, client_for, forge):
    invitation = Invitation.objects.create(
        organization=world.organization, email="registered@example.org"
    )
    token = forge(invitation_token(invitation))
    client = client_for("registered")
    response = client.get(f"/invitations/{token}/")
    assert "This invitation link is not valid." in page(response)
    assert world.organization.name not in page(response)
    client.post(f"/invitations/{token}/")
    assert not OrganizationMember.objects.filter(user=world["registered"]).exists()


def test_a_link_cannot_be_used_twice(world, client_for, django_capture_on_commit_callbacks):
    link = invite(world, client_for, django_capture_on_commit_callbacks, "registered@example.org")
    client = client_for("registered")
    client.post(link)
    member = OrganizationMember.objects.get(user=world["registered"])
    member.role = MemberRole.MEMBER
    member.save()

    content = page(client.get(link))
    assert "This invitation has already been accepted." in content
    client.post(link)
    assert OrganizationMember.objects.filter(user=world["registered"]).count() == 1


def test_a_revoked_invitation_no_longer_works(
    world, client_for, django_capture_on_commit_callbacks
):
    link = invite(world, client_for, django_capture_on_commit_callbacks, "registered@example.org")
    invitation = Invitation.objects.get()
    admin = client_for("org_admin")
    revoke_url = f"/organizations/{world.organization.slug}/invitations/{invitation.pk}/revoke/"

    confirm = page(admin.get(revoke_url))
    assert "Revoke the invitation to registered@example.org?" in confirm
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # the GET only asks

    done = admin.post(revoke_url, follow=True)
    assert "has been revoked" in page(done)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.filter(action="organization.invitation_revoked").exists()

    client = client_for("registered")
    assert "withdrawn" in page(client.get(link))
    client.post(link)
    assert not OrganizationMember.objects.filter(user=world["registered"]).exists()
    # Revoking twice says so and changes nothing.
    again = admin.post(revoke_url, follow=True)
    assert "no longer open" in page(again)


def test_only_admins_may_revoke(world, client_for):
    invitation = invitation_create(
        organization=world.organization, actor=world["org_admin"], email="x@example.org"
    )
    url = f"/organizations/{world.organization.slug}/invitations/{invitation.pk}/revoke/"
    assert client_for("coordinator").post(url).status_code == 403
    other = OrganizationFactory(country=world.kenya)
    wrong_org = f"/organizations/{other.slug}/invitations/{invitation.pk}/revoke/"
    staff = client_for("staff")
    assert staff.post(wrong_org).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_existing_member_opening_an_invitation_gets_a_message(
    world, client_for, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        organization=world.organization, email="orgadmin@example.org"
    )
    response = client_for("org_admin").post(
        f"/invitations/{invitation_token(invitation)}/", follow=True
    )
    assert "You are already a member of this organization." in page(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
