"""The session store: Django's database sessions, read with one plain query. What it must
keep: a session reads back as saved, an expired or unknown key reads as a new empty
session, and signing out ends the session for every later request."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.support.signin import assert_sent_to_sign_in
from vpi_portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_portal_uses_this_store():
    assert settings.SESSION_ENGINE == "vpi_portal.sessions"


def test_a_session_reads_back_as_saved():
    store = SessionStore()
    store["answer"] = {"nested": [1, "two"]}
    store.create()
    again = SessionStore(session_key=store.session_key)
    assert again["answer"] == {"nested": [1, "two"]}
    assert again.session_key == store.session_key


def test_an_expired_session_reads_as_a_new_empty_one():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    again = SessionStore(session_key=store.session_key)
    assert "answer" not in again
    assert again.session_key is None  # a new key is made on the next save


@pytest.mark.parametrize("key", ["no-such-session-key-0123456789abc", "short", ""])
def test_an_unknown_or_malformed_key_reads_as_a_new_empty_session(key):
    store = SessionStore(session_key=key)
    assert dict(store.items()) == {}
    store["fresh"] = True
    store.save()
    assert store.session_key != key
    assert Session.objects.filter(session_key=store.session_key).exists()


def test_signing_out_ends_the_session_for_later_requests(client_for):
    client = client_for("registered")
    assert client.get("/accounts/email/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    assert_sent_to_sign_in(client.get("/accounts/email/"))
