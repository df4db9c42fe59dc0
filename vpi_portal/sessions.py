"""Django's database sessions, kept with the person they belong to and read with them.

Every signed-in request loads its session and then its person. Django's store builds a
queryset for the session, and its authentication asks for the person in a second query.
This store keeps the person's key in a column of the session's row (vpi_portal/models.py)
and reads both with one plain query; ``AuthenticationMiddleware`` hands the person read
there to the authentication backend (stakeholders/backends.py), which takes it instead of
reading the person again. Everything else is Django's own: saving, expiry, cycling keys,
clearing, and the checks on who is signed in (active, session hash).
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Any

from django.contrib import auth
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .rows import instance_from_row, row_shape

# The person read with the session of the request being authenticated: set only while
# Django's ``auth.get_user`` runs (``get_user`` below).
_read_with_session: ContextVar[Any] = ContextVar("read_with_session", default=None)


@cache
def _statement(model: type[Model], alias: str) -> str:
    """The unexpired session with a key, and the columns of its person (NULL without one)."""
    quote = connections[alias].ops.quote_name
    person_model = get_user_model()
    columns = ", ".join(f"p.{column}" for column in row_shape(person_model, alias).columns)
    person_key = quote(person_model._meta.pk.column)
    session_person = quote(model._meta.get_field("user").column)
    return (
        f"SELECT s.session_data, {columns} FROM {quote(model._meta.db_table)} s"  # noqa: S608 (no input)
        f" LEFT JOIN {quote(person_model._meta.db_table)} p ON p.{person_key} = s.{session_person}"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(DatabaseSessionStore):
    # The session's person as read with it: None for a session without one (or not read).
    person = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session

    def _get_session_from_db(self):
        self.person = None
        if self.session_key is None:  # Django's setter drops keys that are not valid
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _statement(self.model, alias),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[1] is not None:
            self.person = instance_from_row(get_user_model(), alias, row[1:])
        return self.model(session_key=self.session_key, session_data=row[0])


def person_read_with_session(user_id: Any) -> Any:
    """The person read with the session being authenticated, if it is the one with key
    ``user_id`` (as stored in the session); else None."""
    person = _read_with_session.get()
    if person is None or str(person.pk) != str(user_id):
        return None
    return person


def get_user(request: HttpRequest) -> Any:
    """Django's ``auth.get_user``, with the person read with the session at hand."""
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(SESSION_KEY)  # loads the session, and its person with it
        token = _read_with_session.set(getattr(session, "person", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _read_with_session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, authenticating with the person read with the session."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
