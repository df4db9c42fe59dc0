from typing import Any

from django.contrib.auth.backends import BaseBackend


class CSUStaffBackend(BaseBackend):
    """CSU staff administer everything, in the portal and in /admin/ (see the design's
    role table), so an active staff account holds every model permission."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and user_obj.is_staff)
