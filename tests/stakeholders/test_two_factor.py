"""A person's privileged standing counts from the request after it changes: two-factor
authentication is asked and the shorter session limits apply at once."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from stakeholders.models import RoleKind
from stakeholders.services import initiative_role_assign
from tests.countries.factories import CountryFactory, InitiativeFactory
from tests.stakeholders.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def privileged_rules(settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True


def appoint_focal_point(world, person):
    ghana = InitiativeFactory(country=CountryFactory(code="GH"))
    initiative_role_assign(
        initiative=ghana, user=person, role=RoleKind.FOCAL_POINT, actor=world["staff"]
    )


def test_a_person_appointed_focal_point_while_signed_in_is_asked_for_two_factor_at_once(
    privileged_rules, client_for, world
):
    client = client_for("registered")
    assert client.get("/countries/ke/").status_code == 200
    appoint_focal_point(world, world["registered"])
    response = client.get("/countries/ke/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")
    assert "next=%2Fcountries%2Fke%2F" in response.url
    page = client.get(response.url)
    assert "Set up two-factor authentication to continue" in page.content.decode()


def test_a_person_made_coordinator_while_signed_in_is_asked_for_two_factor_at_once(
    privileged_rules, client_for, world
):
    client = client_for("org_admin")
    assert client.get("/countries/ke/").status_code == 200
    world.kenya_alliance.coordinators.add(world["org_admin"])
    response = client.get("/countries/ke/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")


def test_a_newly_appointed_focal_point_with_two_factor_goes_on(privileged_rules, client_for, world):
    client = client_for("registered")
    TOTP.activate(world["registered"], generate_totp_secret())
    appoint_focal_point(world, world["registered"])
    assert client.get("/countries/ke/").status_code == 200


def test_an_appointment_brings_the_shorter_session_limit_at_once(client_for, world, settings):
    client = client_for("registered")
    session = client.session
    session["seen_at"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_PRIVILEGED - 5
    session.save()
    appoint_focal_point(world, world["registered"])
    response = client.get("/countries/ke/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=")
    assert "Your session has ended" in response.content.decode()


def test_the_time_a_person_was_last_seen_is_written_at_most_once_a_minute(
    privileged_rules, client_for, world
):
    TOTP.activate(world["staff"], generate_totp_secret())
    client = client_for("staff")
    session = client.session
    half_a_minute_ago = int(time.time()) - 30
    session["seen_at"] = half_a_minute_ago
    session.save()
    assert client.get("/countries/ke/").status_code == 200
    assert client.session["seen_at"] == half_a_minute_ago
    session = client.session
    session["seen_at"] = int(time.time()) - 61
    session.save()
    assert client.get("/countries/ke/").status_code == 200
    assert client.session["seen_at"] >= int(time.time()) - 1
    # Nothing about the person's standing is kept in the session.
    assert "privileged" not in client.session


def sign_in(client, person):
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302


def test_setting_up_two_factor_right_after_signing_in_does_not_ask_the_password_again(
    privileged_rules, client, world
):
    focal = world["focal_point"]
    sign_in(client, focal)
    sent = client.get("/countries/ke/")
    assert sent.url.startswith("/accounts/2fa/")
    form = client.get("/accounts/2fa/totp/activate/")
    assert form.status_code == 200  # not /accounts/reauthenticate/
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert done.status_code == 302
    assert "reauthenticate" not in done.url
    assert Authenticator.objects.filter(user=focal, type=Authenticator.Type.TOTP).exists()
    # With a factor in place, changing it asks for the password, as allauth does.
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.url.startswith("/accounts/reauthenticate/")


def test_a_sign_in_long_ago_does_not_stand_for_the_password(privileged_rules, client, world):
    sign_in(client, world["focal_point"])
    session = client.session
    session["signed_in_at"] = int(time.time()) - 301
    session.save()
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.url.startswith("/accounts/reauthenticate/")
