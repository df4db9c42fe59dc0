from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from vpi_portal.rows import load_row
from vpi_portal.sessions import person_read_with_session


class PlainUserLoad:
    """Take the signed-in person as read with the session (vpi_portal/sessions.py), or
    else load them with one plain query (vpi_portal/rows.py) instead of a queryset: every
    signed-in request does this. The answer is Django's: the active person with that key,
    or None."""

    def get_user(self, user_id: Any) -> Any:
        user = person_read_with_session(user_id) or load_row(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(PlainUserLoad, DjangoModelBackend):
    """Django's backend (email and password, model permissions)."""


class AccountBackend(PlainUserLoad, AllauthBackend):
    """allauth's backend, which signs people in through the portal's sign-in pages."""


class CSUStaffBackend(BaseBackend):
    """CSU staff administer everything, in the portal and in /admin/ (see the design's
    role table), so an active staff account holds every model permission."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)
