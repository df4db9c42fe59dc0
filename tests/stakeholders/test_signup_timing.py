"""Sign-up answers a known address as it answers a new one: the same page, the same work
(and so the same time), and an email to the address's owner in both cases."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail

from stakeholders.models import User
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Wanjiru Example",
    "display_name": "",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def sign_up(client, email: str):
    with mock.patch.object(
        PBKDF2PasswordHasher, "encode", autospec=True, side_effect=PBKDF2PasswordHasher.encode
    ) as encode:
        response = client.post("/accounts/signup/", {**SIGNUP, "email": email})
    return response, encode.call_count


def test_a_known_address_costs_the_same_work_and_gets_the_same_answer(
    client, settings, outbox_delivery
):
    # The production hasher, whose cost is what a stopwatch would see.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = False
    UserFactory(email="known@example.org")
    with outbox_delivery():
        new, new_hashes = sign_up(client, "new@example.org")
        client.logout()
        known, known_hashes = sign_up(client, "known@example.org")
    assert new_hashes == known_hashes == 1
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    assert User.objects.filter(email="known@example.org").count() == 1
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {"new@example.org", "known@example.org"}
