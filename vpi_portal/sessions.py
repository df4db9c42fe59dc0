"""Django's database sessions, with the person each session belongs to.

The store is Django's own (saving, reading, expiry, cycling keys, clearing); it only also
writes the signed-in person's key into the session row's ``user`` column
(vpi_portal/models.py), the way django-user-sessions does, so that a person's sessions
can be found and ended with one query.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session
