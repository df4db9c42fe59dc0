"""Cross-cutting security rules: headers, two-factor enforcement, sessions, rate limits,
the admin sign-in and the sign-in audit trail."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.signals import authenticator_removed
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import AuditEntry
from tests.stakeholders.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_sends_the_security_headers(client, kenya_initiative):
    response = client.get("/countries/ke/")
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.fixture
def privileged_rules(settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True


def give_two_factor(user) -> None:
    TOTP.activate(user, generate_totp_secret())


@pytest.mark.parametrize("persona", ["staff", "focal_point", "coordinator"])
def test_privileged_people_without_two_factor_are_sent_to_set_it_up(
    privileged_rules, client_for, persona
):
    client = client_for(persona)
    response = client.get("/countries/ke/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")
    assert "next=%2Fcountries%2Fke%2F" in response.url
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Set up two-factor authentication to continue" in page.content.decode()


def test_the_two_factor_setup_ends_with_a_way_on_to_the_page_asked_for(privileged_rules, world):
    """The setup's last page, the recovery codes, links to where the person was going; once
    they are there, the page (met again from their security settings) links to the portal."""
    client = Client()  # signed in through the form: allauth asks for a recent sign-in here
    client.post("/accounts/login/", {"login": world["focal_point"].email, "password": PASSWORD})
    assert client.get("/countries/ke/").status_code == 302
    # As the setup does: the password again, then the app and the recovery codes.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    give_two_factor(world["focal_point"])
    RecoveryCodes.activate(world["focal_point"])
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'href="/countries/ke/">Continue to the page you asked for</a>' in codes
    assert client.get("/countries/ke/").status_code == 200
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'href="/">Continue to the portal</a>' in codes


def test_the_admin_requires_two_factor_for_staff(privileged_rules, client_for):
    response = client_for("staff").get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")


@pytest.mark.parametrize("persona", ["staff", "focal_point", "coordinator"])
def test_privileged_people_with_two_factor_go_on(privileged_rules, client_for, world, persona):
    give_two_factor(world[persona])
    assert client_for(persona).get("/countries/ke/").status_code == 200


def test_two_factor_removed_elsewhere_is_felt_on_the_next_request(
    privileged_rules, client_for, world
):
    give_two_factor(world["staff"])
    client = client_for("staff")
    assert client.get("/countries/ke/").status_code == 200
    # Removed without this session hearing of it (another session, the admin, a shell).
    Authenticator.objects.filter(user=world["staff"]).delete()
    response = client.get("/countries/ke/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")


def test_removing_two_factor_is_felt_at_once_in_that_session(privileged_rules, client_for, world):
    give_two_factor(world["staff"])
    client = client_for("staff")
    assert client.get("/countries/ke/").status_code == 200
    authenticator = Authenticator.objects.get(user=world["staff"])
    request = RequestFactory().post("/accounts/2fa/totp/deactivate/")
    request.session = client.session
    authenticator.delete()
    authenticator_removed.send(
        sender=Authenticator, request=request, user=world["staff"], authenticator=authenticator
    )
    request.session.save()
    assert client.get("/countries/ke/").status_code == 302


@pytest.mark.parametrize("persona", ["registered", "org_admin"])
def test_other_people_are_not_asked_for_two_factor(privileged_rules, client_for, persona):
    assert client_for(persona).get("/countries/ke/").status_code == 200


def test_an_ended_focal_point_role_is_no_longer_privileged(privileged_rules, client_for, world):
    from django.utils import timezone

    world["focal_point"].initiative_roles.update(active_until=timezone.localdate())
    assert client_for("focal_point").get("/countries/ke/").status_code == 200


def session_aged(client: Client, *, signed_in: int = 0, seen: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session["signed_in_at"] = now - signed_in
    session["seen_at"] = now - seen
    session.save()


def test_an_idle_session_ends(client, user, settings, kenya_initiative):
    client.force_login(user)
    session_aged(client, seen=settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/countries/ke/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=")
    assert "Your session has ended" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_a_session_ends_after_its_absolute_lifetime_however_active(
    client, user, settings, kenya_initiative
):
    client.force_login(user)
    session_aged(client, signed_in=settings.SESSION_ABSOLUTE_TIMEOUT + 5, seen=1)
    assert client.get("/countries/ke/").status_code == 302


def test_privileged_sessions_end_sooner(client_for, world, settings):
    idle = settings.SESSION_IDLE_TIMEOUT_PRIVILEGED + 5
    assert idle < settings.SESSION_IDLE_TIMEOUT
    regular, focal = client_for("registered"), client_for("focal_point")
    session_aged(regular, seen=idle)
    session_aged(focal, seen=idle)
    assert regular.get("/countries/ke/").status_code == 200
    assert focal.get("/countries/ke/").status_code == 302


def test_a_password_change_ends_the_persons_other_sessions(user, kenya_initiative):
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-passphrase-42",
            "password2": "a-brand-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert here.get("/accounts/profile/").status_code == 200
    assert elsewhere.get("/accounts/profile/").status_code == 302


def test_deactivating_a_person_ends_their_sessions(user_client, user):
    user.is_active = False
    user.save()
    assert user_client.get("/accounts/profile/").status_code == 302


def test_signing_in_starts_a_new_session(client, user):
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.cookies["sessionid"].value != (before.value if before else None)


REFUSED = "Too many failed login attempts. Try again later."


def test_the_eleventh_failed_sign_in_in_a_minute_from_one_address_is_refused(client, user):
    pages = [
        client.post(
            "/accounts/login/", {"login": f"someone{n}@example.org", "password": "wrong"}
        ).content.decode()
        for n in range(10)
    ]
    assert not any(REFUSED in page for page in pages)
    # Even with the right password, the eleventh attempt from this address is refused.
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert REFUSED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # From another address the person signs in.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )


def test_five_failures_on_one_account_lock_it_for_a_while(client, user):
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert REFUSED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_sign_in_does_not_reveal_whether_an_account_exists(client, user):
    known = client.post(
        "/accounts/login/", {"login": user.email, "password": "wrong"}
    ).content.decode()
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}
    ).content.decode()
    message = "The email address and/or password you specified are not correct."
    assert message in known
    assert message in unknown


def test_the_admin_signs_in_through_the_portals_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_sign_ins_and_failures_are_audited(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    failed = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert failed.data["login"] == user.email
    assert failed.actor is None
    signed_in = AuditEntry.objects.get(action="auth.signed_in")
    assert signed_in.actor == user
    assert "password" not in str(failed.data)


def test_changing_email_asks_to_re_authenticate(user_client, user):
    # A session without a recent sign-in (force_login records none) must confirm the password.
    response = user_client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert not user.emailaddress_set.filter(email="new@example.org").exists()


def test_two_factor_settings_ask_to_re_authenticate(user_client):
    """Unless the person signed in moments ago and has no factor yet
    (tests/stakeholders/test_two_factor.py)."""
    session = user_client.session
    session["signed_in_at"] -= 301
    session.save()
    response = user_client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
