"""allauth's sign-up form, doing the same work for an address that has an account as for
one that does not."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class SignupForm(AllauthSignupForm):
    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """With ``ACCOUNT_PREVENT_ENUMERATION`` an address that already has an account gets
        the same page as a new one (and an email saying so). Hashing the new account's
        password is nearly all the time a sign-up takes, so the known address's password is
        hashed too and thrown away: otherwise the answer came five times faster, and the
        response time told which addresses have an account."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
