"""The emails of accounts (allauth's) as their reader meets them: the portal named, links
to the portal's own address whatever Host the request claimed, the reader's language, no
empty placeholders, lines that fit in 78 characters."""

import re

import pytest
from django.core import mail

from stakeholders.models import User
from tests.stakeholders.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://vpi.example.org"
PORTAL = {"en": "VPI Portal", "es": "Portal VPI"}
SIGNUP = {
    "full_name": "Wanjiru O'Brien",
    "email": "wanjiru@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}
LINK = re.compile(r"https?://\S+")
EMPTY_PLACEHOLDER = re.compile(r" [.!,;:)]|\( |¡ |“”|\"\"")


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_BASE_URL = BASE
    # Any Host passes Django's check, as behind a proxy that forwards whatever it receives.
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def sent(client, outbox_delivery):
    """``sent(path, data, language)``: the emails a POST from a browser in ``language``
    (with a forged Host header) leaves in the outbox."""

    def post(path: str, data: dict, language: str = "en") -> list:
        with outbox_delivery():
            response = client.post(
                path, data, HTTP_HOST="evil.example", headers={"accept-language": language}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return list(mail.outbox)

    return post


def assert_reads_well(message, language: str) -> None:
    """What every account email must be, whichever it is."""
    assert message.subject.startswith(f"[{PORTAL[language]}] "), message.subject
    assert PORTAL[language] in message.body
    assert "evil.example" not in message.subject + message.body
    assert all(link.startswith(BASE + "/") for link in LINK.findall(message.body)), message.body
    assert not EMPTY_PLACEHOLDER.search(message.subject + "\n" + message.body), message.body
    assert "&#x27;" not in message.body
    assert "&amp;" not in message.body
    for line in message.body.splitlines():
        assert len(line) <= 78 or LINK.fullmatch(line.strip()), line


def links(message) -> list[str]:
    return LINK.findall(message.body)


def sign_in_recently(client, person) -> None:
    """Signed in, and the password confirmed just now, as changing an account asks."""
    client.force_login(person)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "text"),
    [
        (
            "en",
            "[VPI Portal] Please Confirm Your Email Address",
            "Hello from VPI Portal!",
            "register an account on vpi.example.org.",
        ),
        (
            "es",
            "[Portal VPI] Por favor, confirme su dirección de correo electrónico",
            "¡Hola de parte de Portal VPI!",
            "registrar una cuenta en vpi.example.org.",
        ),
    ],
)
def test_sign_up_confirmation_names_the_portal_and_links_to_it(
    client, sent, language, subject, greeting, text
):
    (message,) = sent("/accounts/signup/", SIGNUP, language)

    assert message.to == [SIGNUP["email"]]
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert text in " ".join(message.body.split())
    assert "Wanjiru O'Brien" in message.body
    assert_reads_well(message, language)
    (link,) = links(message)
    assert link.startswith(f"{BASE}/accounts/confirm-email/")
    response = client.post(link.removeprefix(BASE))
    assert response.status_code == 302
    assert User.objects.get(email=SIGNUP["email"]).emailaddress_set.get().verified


@pytest.mark.parametrize("language", ["en", "es"])
def test_sign_up_with_a_known_address_tells_its_owner_how_to_get_back_in(sent, language):
    owner = UserFactory(email=SIGNUP["email"], preferred_language=language)

    (message,) = sent("/accounts/signup/", SIGNUP, language)

    assert message.to == [owner.email]
    assert_reads_well(message, language)
    assert owner.email in message.body
    assert links(message) == [f"{BASE}/accounts/password/reset/"]
    expected = {
        "en": "An account with this address already exists.",
        "es": "Ya existe una cuenta con esta dirección.",
    }
    assert expected[language] in " ".join(message.body.split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_password_reset_reaches_the_person_in_their_language(client, sent, language):
    # The browser is English; the person chose their language in their profile.
    person = UserFactory(email="amina@example.org", preferred_language=language)

    (message,) = sent("/accounts/password/reset/", {"email": person.email}, "en")

    assert message.to == [person.email]
    assert_reads_well(message, language)
    expected = {"en": "Password Reset", "es": "restablecer contraseña"}
    assert expected[language].lower() in message.subject.lower()
    (link,) = links(message)
    assert link.startswith(f"{BASE}/accounts/password/reset/key/")
    form = client.get(link.removeprefix(BASE), follow=True)
    assert 'name="password1"' in form.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_password_reset_for_an_unknown_address_offers_to_sign_up(sent, language):
    (message,) = sent("/accounts/password/reset/", {"email": "nobody@example.org"}, language)

    assert message.to == ["nobody@example.org"]
    assert_reads_well(message, language)
    assert "nobody@example.org" in message.body
    assert links(message) == [f"{BASE}/accounts/signup/"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_adding_an_address_sends_a_confirmation_to_it(client, outbox_delivery, language):
    person = UserFactory(email="amina@example.org", preferred_language=language)
    sign_in_recently(client, person)

    with outbox_delivery():
        response = client.post(
            "/accounts/email/",
            {"email": "amina.work@example.org", "action_add": ""},
            HTTP_HOST="evil.example",
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["amina.work@example.org"]
    assert_reads_well(message, language)
    (link,) = links(message)
    assert link.startswith(f"{BASE}/accounts/confirm-email/")


@pytest.mark.parametrize("language", ["en", "es"])
def test_changing_the_password_is_notified_when_notices_are_on(
    client, outbox_delivery, settings, language
):
    # Off in the portal's settings today (ACCOUNT_EMAIL_NOTIFICATIONS); its text must still
    # read well the day it is switched on, as must the other notices sharing its template.
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    person = UserFactory(email="amina@example.org", preferred_language=language)
    sign_in_recently(client, person)
    new = "another-long-and-unusual-passphrase"

    with outbox_delivery():
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
            HTTP_HOST="evil.example",
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert_reads_well(message, language)
    assert "IP" in message.body
