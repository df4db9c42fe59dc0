import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from stakeholders.models import User
from tests.stakeholders.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Wanjiru Example",
    "display_name": "WE",
    "email": "wanjiru@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_sends_a_confirmation_email_and_confirming_signs_in(client, outbox_delivery):
    with outbox_delivery():
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302

    user = User.objects.get(email="wanjiru@example.org")
    assert user.full_name == "Wanjiru Example"
    assert user.public_name == "WE"
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wanjiru@example.org"]
    assert message.subject.startswith("[VPI Portal]")

    link = confirmation_link(message)
    page = client.get(link)
    assert "Confirm" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_in_is_refused_until_the_email_is_confirmed(client):
    client.post("/accounts/signup/", SIGNUP)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert client.get("/accounts/profile/").status_code == 302


def test_sign_up_form_rerenders_with_errors_and_keeps_input(client, user):
    data = {**SIGNUP, "email": user.email.upper(), "password2": "something-else"}
    response = client.post("/accounts/signup/", data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Wanjiru Example" in content
    assert "You must type the same password each time." in content
    assert User.objects.count() == 1


def test_sign_up_requires_a_full_name(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "full_name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_a_verified_person_signs_in_with_email_and_password(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "Bob Registered" in client.get("/").content.decode()


def test_password_reset_email_reaches_the_person(client, user, outbox_delivery):
    with outbox_delivery():
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_for_an_unknown_address_does_not_reveal_it(client, user, outbox_delivery):
    with outbox_delivery():
        known = client.post("/accounts/password/reset/", {"email": user.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    # The page answers the same whether or not an account exists...
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    # ...and the unknown address alone is told that it has no account, with no reset link.
    to_unknown = [message for message in mail.outbox if message.to == ["nobody@example.org"]]
    assert len(to_unknown) == 1
    assert "/accounts/password/reset/key/" not in to_unknown[0].body
    assert len(mail.outbox) == 2


def test_profile_updates_names_language_and_time_zone(user_client, user):
    response = user_client.post(
        "/accounts/profile/",
        {
            "full_name": "Bob Renamed",
            "display_name": "Rafiki",
            "preferred_language": "fr",
            "time_zone": "Africa/Nairobi",
        },
        follow=True,
    )
    assert "Your profile has been saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.display_name, user.preferred_language, user.time_zone) == (
        "Bob Renamed",
        "Rafiki",
        "fr",
        "Africa/Nairobi",
    )


def test_profile_rejects_an_unknown_time_zone(user_client, user):
    response = user_client.post(
        "/accounts/profile/",
        {"full_name": "Bob", "preferred_language": "en", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_profile_needs_a_signed_in_person(client, db):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_emails_are_written_to_files_by_default(client, settings, tmp_path, outbox_delivery):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    with outbox_delivery():
        client.post("/accounts/signup/", SIGNUP)
    written = list((tmp_path / "mail").iterdir())
    assert len(written) == 1
    assert "wanjiru@example.org" in written[0].read_text()


def test_admin_accepts_staff_and_refuses_others(client, staff, user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "VPI Portal administration" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/countries/country/",
        "/admin/countries/initiative/",
        "/admin/stakeholders/user/",
        "/admin/stakeholders/user/add/",
    ],
)
def test_admin_pages_open_for_staff(staff_client, kenya_initiative, url):
    assert staff_client.get(url).status_code == 200


def test_admin_lists_filter_and_search(staff_client, kenya_initiative, user):
    content = staff_client.get("/admin/countries/initiative/", {"q": "Kenya"}).content.decode()
    assert "VPI Kenya" in content
    content = staff_client.get("/admin/stakeholders/user/", {"q": "Bob"}).content.decode()
    assert user.email in content
