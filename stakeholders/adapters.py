"""The portal's allauth account adapter: the emails of notifications.adapter, and the
sign-in rules of stakeholders.two_factor."""

from __future__ import annotations

from typing import Any

from allauth.core import context

from notifications.adapter import AccountAdapter as EmailingAccountAdapter

from .two_factor import just_signed_in_without_a_factor


class AccountAdapter(EmailingAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A privileged person sent to set up two-factor authentication right after
        signing in is not asked for the password they have just typed."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and just_signed_in_without_a_factor(context.request):
            return False
        return required
