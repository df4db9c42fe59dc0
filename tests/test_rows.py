"""Rows read by key with a plain query (vpi_portal/rows.py), and the authentication backends
that load the signed-in person with it. What they must keep: the instance the ORM would
give, None for a missing row, the lock when asked, and Django's answer on who is signed in."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from events.models import Event
from stakeholders.models import User
from tests.events.factories import EventFactory
from tests.stakeholders.factories import UserFactory
from tests.support.signin import assert_sent_to_sign_in
from vpi_portal.models import Session
from vpi_portal.rows import load_row

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.mark.parametrize("factory", [UserFactory, EventFactory])
def test_a_row_loads_as_the_orm_loads_it(factory):
    made = factory()
    loaded = load_row(type(made), made.pk)
    expected = type(made).objects.get(pk=made.pk)
    assert fields_of(loaded) == fields_of(expected)
    assert not loaded._state.adding
    assert loaded._state.db == expected._state.db


def test_values_go_through_the_fields_converters():
    entry = AuditEntry.objects.create(action="test.done", data={"nested": [1, "two"]})
    assert load_row(AuditEntry, entry.pk).data == {"nested": [1, "two"]}


def test_the_key_may_come_as_text():
    user = UserFactory()
    assert load_row(User, str(user.pk)) == user


def test_a_missing_row_is_none():
    assert load_row(Event, 987654321) is None


def test_a_row_asked_for_with_a_lock_is_locked_with_one_query():
    event = EventFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert load_row(Event, event.pk, lock=True) == event
    [query] = queries.captured_queries
    if connection.features.has_select_for_update:
        assert query["sql"].rstrip().endswith("FOR UPDATE")


def test_signing_in_records_the_portals_backend(client):
    user = UserFactory()
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == settings.AUTHENTICATION_BACKENDS[0]
    assert client.session[BACKEND_SESSION_KEY].startswith("stakeholders.backends.")


def test_a_signed_in_person_is_read_with_the_session_in_one_query(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    tables = [f'"{User._meta.db_table}"', f'"{Session._meta.db_table}"']
    reads = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(reads) == 1


def test_the_person_read_with_the_session_is_taken_only_if_the_session_names_them(client):
    """The session's data says who is signed in; its person column only spares a query."""
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(user=other)
    response = client.get("/healthz/")
    assert response.wsgi_request.user == user


@pytest.mark.parametrize("backend", ["ModelBackend", "AccountBackend"])
def test_a_deactivated_or_deleted_person_is_signed_out(client, backend):
    user = UserFactory()
    client.force_login(user, backend=f"stakeholders.backends.{backend}")
    assert client.get("/accounts/email/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_sent_to_sign_in(client.get("/accounts/email/"))
    user.delete()
    assert_sent_to_sign_in(client.get("/accounts/email/"))


def test_signing_in_through_the_sign_in_page_loads_the_person_on_later_requests(client):
    user = UserFactory()
    user.set_password("a long and unusual passphrase")
    user.save()
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "a long and unusual passphrase"},
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY].startswith("stakeholders.backends.")
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
