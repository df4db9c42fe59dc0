"""Session and sign-in rules that span every app.

Privileged people (CSU staff, government focal points, alliance coordinators) hold lists of
people at risk and decide for others, so they sign in with two factors and their sessions
end sooner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from stakeholders.models import InitiativeRole

# Where a person may go before the rules below are satisfied: signing in and out, setting up
# two-factor authentication, email and password management, static files, the language
# switch and unsubscribe links.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/notifications/unsubscribe/")
PRIVILEGE_RECHECK_SECONDS = 300
TWO_FACTOR_SESSION_KEY = "two_factor_checked_at"


def is_privileged(user) -> bool:
    """CSU staff, active focal points (and alternates) and alliance coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return (
        InitiativeRole.objects.filter(user=user).active().focal_points().exists()
        or user.coordinated_alliances.exists()
    )


def request_is_privileged(request: HttpRequest) -> bool:
    """is_privileged, remembered in the session for a few minutes to spare the queries."""
    now = int(time.time())
    cached = request.session.get("privileged")
    if cached is None or now - cached[1] > PRIVILEGE_RECHECK_SECONDS:
        cached = (is_privileged(request.user), now)
        request.session["privileged"] = cached
    return bool(cached[0])


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def request_has_two_factor(request: HttpRequest) -> bool:
    """has_two_factor, a yes remembered in the session for a few minutes (a no is asked
    again on every request, so that the page after setting it up goes through). Removing
    an authenticator forgets the yes at once in the session that removed it."""
    now = int(time.time())
    checked = request.session.get(TWO_FACTOR_SESSION_KEY)
    if checked is not None and now - checked <= PRIVILEGE_RECHECK_SECONDS:
        return True
    if not has_two_factor(request.user):
        return False
    request.session[TWO_FACTOR_SESSION_KEY] = now
    return True


@receiver(authenticator_removed, dispatch_uid="security_two_factor_removed")
def forget_two_factor(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(TWO_FACTOR_SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="security_session_started")
def start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start the session's clocks at sign-in, so that the requests after it do not write."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session["signed_in_at"] = now
    request.session["seen_at"] = now
    request.session["privileged"] = (is_privileged(user), now)


class SessionTimeoutMiddleware:
    """End a session after a period of inactivity and after an absolute lifetime, both
    shorter for privileged people. Django already starts a new session on sign-in and ends
    every other session of a person whose password changes or who is deactivated."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            privileged = request_is_privileged(request)
            idle_limit = (
                settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
                if privileged
                else settings.SESSION_IDLE_TIMEOUT
            )
            absolute_limit = (
                settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED
                if privileged
                else settings.SESSION_ABSOLUTE_TIMEOUT
            )
            if now - seen > idle_limit or now - started > absolute_limit:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return HttpResponseRedirect(
                    f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
                )
            # Writing the session on every request would cost a database write each time.
            if now - seen > 60 or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Send privileged people without two-factor authentication to set it up before they
    use the portal (and /admin/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PORTAL_REQUIRE_TWO_FACTOR
            and request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and request_is_privileged(request)
            and not request_has_two_factor(request)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives you access to information about people at risk. Set up "
                    "two-factor authentication to continue."
                ),
            )
            return HttpResponseRedirect(
                f"{reverse('mfa_index')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


class RejectNullBytesMiddleware:
    """Answer 400 to an address with a null byte in it (``/countries/k%00e/``). Such an
    address names nothing, and PostgreSQL refuses the byte in any text it is asked to
    compare: without this, every view that looks up a part of the address (a country code,
    a calendar token) would answer with a server error. Form fields refuse it on their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return HttpResponseBadRequest("Bad request.")
        return self.get_response(request)
