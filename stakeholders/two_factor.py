"""Sign-in rules for privileged people.

Privileged people (CSU staff, government focal points, alliance coordinators) hold lists of
people at risk and decide for others, so they sign in with two factors and their sessions
end sooner. Whether a person is privileged, and whether they have two-factor
authentication, is read on each request that asks: an appointment or a removed
authenticator counts from the very next request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .standing import standing_of

# Where a person may go before the rules below are satisfied: signing in and out, setting up
# two-factor authentication, email and password management, static files, the language
# switch and unsubscribe links.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/notifications/unsubscribe/")
# Where a privileged person was going when they were sent to set up two-factor
# authentication: the last page of the setup (the recovery codes) offers to go on there.
TWO_FACTOR_NEXT = "two_factor_next"
# Writing the session on every request would cost a database write each time: the time a
# person was last seen is written at most this often.
SEEN_AT_WRITE_SECONDS = 60


def is_privileged(user: Any) -> bool:
    """CSU staff, active focal points (and alternates) and alliance coordinators.

    Read from the person's standing, which the permission rules of the same request use
    too."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    standing = standing_of(user)
    return bool(standing.focal_point_initiatives or standing.coordinated_alliances)


def has_two_factor(user: Any) -> bool:
    """An authenticator app or a security key (recovery codes alone do not count)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


@receiver(user_logged_in, dispatch_uid="two_factor_session_started")
def start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start the session's clocks at sign-in, so that the requests after it do not write."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session["signed_in_at"] = now
    request.session["seen_at"] = now


# What a form sent when the session ended under it, kept for the same person to send again
# after signing in (stakeholders.views.sessions.resume_form). Passwords are never kept, nor
# files, nor a form larger than this.
KEPT_FORM = "kept_form"
KEPT_FORM_MAX_CHARACTERS = 200_000


def idle_limit(request: HttpRequest) -> int:
    """How long this person's session lasts without a request, in seconds."""
    if is_privileged(request.user):
        return settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
    return settings.SESSION_IDLE_TIMEOUT


def kept_form_data(request: HttpRequest) -> dict[str, list[str]] | None:
    """The fields of a POST worth keeping for the person to send again, or None."""
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key != "csrfmiddlewaretoken" and "password" not in key
    }
    size = sum(len(key) + sum(len(value) for value in values) for key, values in data.items())
    return data if data and size <= KEPT_FORM_MAX_CHARACTERS else None


class SessionTimeoutMiddleware:
    """End a session after a period of inactivity and after an absolute lifetime, both
    shorter for privileged people. Django already starts a new session on sign-in and ends
    every other session of a person whose password changes or who is deactivated.

    A form sent after its session has ended is not lost: its fields are kept in the new
    session, and after signing in again the same person is offered to send it again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            privileged = is_privileged(request.user)
            idle_seconds = (
                settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
                if privileged
                else settings.SESSION_IDLE_TIMEOUT
            )
            absolute_seconds = (
                settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED
                if privileged
                else settings.SESSION_ABSOLUTE_TIMEOUT
            )
            if now - seen > idle_seconds or now - started > absolute_seconds:
                return self.end(request, now)
            if now - seen > SEEN_AT_WRITE_SECONDS or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)

    @staticmethod
    def end(request: HttpRequest, now: int) -> HttpResponse:
        person = request.user.pk
        # Signing in and out, the language switch and the like are not work to keep.
        kept = (
            kept_form_data(request)
            if request.method == "POST" and not request.path.startswith(OPEN_PREFIXES)
            else None
        )
        has_files = request.method == "POST" and bool(request.FILES)
        logout(request)
        messages.info(request, _("Your session has ended. Please sign in again."))
        next_url = request.get_full_path() if request.method == "GET" else request.path
        if kept is not None:
            request.session[KEPT_FORM] = {
                "user": person,
                "path": request.path,
                "data": kept,
                "files": has_files,
                "at": now,
            }
            next_url = reverse("stakeholders:resume_form")
            messages.info(
                request,
                _("What you were sending is kept: after signing in you can send it again."),
            )
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


class RequireTwoFactorMiddleware:
    """Send privileged people without two-factor authentication to set it up before they
    use the portal (and /admin/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if (
            settings.PORTAL_REQUIRE_TWO_FACTOR
            and is_privileged(request.user)
            and not has_two_factor(request.user)
        ):
            request.session[TWO_FACTOR_NEXT] = request.get_full_path()
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
        request.session.pop(TWO_FACTOR_NEXT, None)  # set up and on their way
        return self.get_response(request)


def just_signed_in_without_a_factor(request: HttpRequest | None) -> bool:
    """Signed in with a password moments ago (within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``)
    and with no authenticator yet: the person the rules above sent to set up a second
    factor. allauth asks everyone who changes their authenticators for the password again
    unless they re-entered it in the last minutes; the sign-in they have just made stands
    for that here. Anyone who already has a factor (to remove or replace it) is asked."""
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return False
    signed_in_at = request.session.get("signed_in_at")
    if not isinstance(signed_in_at, int):
        return False
    if time.time() - signed_in_at >= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
        return False
    return not Authenticator.objects.filter(user=request.user).exists()
