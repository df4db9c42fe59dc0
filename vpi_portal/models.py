"""The portal's own session table: Django's, with the person each session belongs to.

Django's session row keeps the signed-in person inside its encoded data, so the database
cannot tell whose a session is. This table also holds the person's key in a column
(Django's documented way of extending the database session engine, written by the store
in vpi_portal/sessions.py), so that deleting a person deletes their sessions with them,
and ending someone's sessions is one indexed query rather than decoding every session of
the portal.
"""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(AbstractBaseSession):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("person"),
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
