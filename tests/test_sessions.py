"""The session store and the request path: Django's database sessions, each with its
person, read by Django's authentication. What it must keep: a session reads back as saved,
an expired or unknown key reads as a new empty session, signing out ends the session for
every later request, each session knows whose it is, and a deactivated or deleted person
is signed out."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stakeholders.models import User
from tests.stakeholders.factories import UserFactory
from tests.support.signin import assert_sent_to_sign_in
from vpi_portal.models import Session
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


def test_a_session_knows_the_person_signed_in_with_it(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user == user
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert Session.objects.get(session_key=store.session_key).user is None


def test_deleting_a_person_deletes_their_sessions(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_sessions_valid_at_the_change_are_moved_with_their_person():
    """The migration that brought this store moves the sessions of Django's own table, so
    that nobody is signed out by it."""
    user = UserFactory()
    old = DjangoSessionStore()
    old[SESSION_KEY] = str(user.pk)
    old.create()
    gone = DjangoSessionStore()
    gone[SESSION_KEY] = "987654321"  # a person deleted since
    gone.create()
    expired = DjangoSessionStore()
    expired.create()
    DjangoSession.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    import_module("vpi_portal.migrations.0001_sessions").move_sessions(apps, None)
    moved = {session.session_key: session.user_id for session in Session.objects.all()}
    assert moved == {old.session_key: user.pk, gone.session_key: None}
    assert SessionStore(session_key=old.session_key)[SESSION_KEY] == str(user.pk)
    assert list(DjangoSession.objects.values_list("session_key", flat=True)) == [
        expired.session_key
    ]


def test_a_signed_in_request_reads_the_session_then_its_person(client):
    """Django's way: one query for the session, one for the person."""
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    tables = [f'"{User._meta.db_table}"', f'"{Session._meta.db_table}"']
    reads = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(reads) == 2


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_deactivated_or_deleted_person_is_signed_out(client, backend):
    user = UserFactory()
    client.force_login(user, backend=backend)
    assert client.get("/accounts/email/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_sent_to_sign_in(client.get("/accounts/email/"))
    user.delete()
    assert_sent_to_sign_in(client.get("/accounts/email/"))


def test_signing_in_through_the_sign_in_page_keeps_the_person_signed_in(client):
    user = UserFactory()
    user.set_password("a long and unusual passphrase")
    user.save()
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "a long and unusual passphrase"},
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user == user
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
