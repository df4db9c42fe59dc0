import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control


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


class PrivateResponsesMiddleware:
    """Pages and files answered to a signed-in person are not kept by browsers or proxies.

    Whatever a signed-in person sees may hold personal data (their profile, contact lists,
    attendee exports): ``Cache-Control: private, no-store`` unless the view chose its own
    caching. Visitors' pages are public (common/visitor_cache.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone (visitors see UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tzname = getattr(getattr(request, "user", None), "time_zone", "")
        try:
            timezone.activate(zoneinfo.ZoneInfo(tzname))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """A signed-in person reads the portal in the language of their profile, on any device.

    Visitors get the language of their cookie or their browser (LocaleMiddleware, which runs
    before authentication). When a signed-in person uses the language switch (Django's
    set_language view), the choice is kept in their profile, and so in their emails. The
    cookie is brought in line with the profile so that the language stays after signing out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._preferred_language(request)
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if language and chosen and self._is_language_switch(request):
            self._keep_in_profile(request.user, chosen.value)
            language = self._preferred_language(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _preferred_language(request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        language = getattr(user, "preferred_language", "")
        return language if language in dict(settings.LANGUAGES) else ""

    @staticmethod
    def _is_language_switch(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        return request.method == "POST" and match is not None and match.url_name == "set_language"

    @staticmethod
    def _keep_in_profile(user: Any, language: str) -> None:
        if language in dict(settings.LANGUAGES) and language != user.preferred_language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
