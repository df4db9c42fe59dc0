"""Public pages kept whole for visitors, with Django's cache middleware.

Most requests to the public pages (home, countries, a country, its roadmap, the directory,
the events) come from visitors without an account, who all see the same page. Rendering
one costs tens of milliseconds at the scale of every UN member state; serving it from the
cache costs about as much as the one-query floor view. ``cache_for_visitors`` wraps such a
view in Django's ``CacheMiddleware`` for visitors only:

- Only a GET or HEAD from a visitor with no session and no message waiting is served from
  or stored in the cache; a signed-in person, or a visitor half-way through signing in,
  always gets the page rendered for them.
- A page that shows a message or carries a CSRF token (which belongs to one visitor) is
  not stored: it is marked ``private``, which Django's middleware respects.
- Entries are kept under the *content version*, which changes after every committed
  change to what these pages show (``content_changed``, connected to the models of the
  apps that own such content, and called by services that change rows with a queryset
  ``update()``), and expire after ``PORTAL_PAGE_CACHE_SECONDS`` at most, since "upcoming"
  and "overdue" move with the clock. A view can add to the key what else its page shows
  that changes more often (an event's free seats).
- Browsers are told to ask again each time (``max-age=0``): a visitor who signs in must not
  be shown the page their browser kept from before.

Active only with a cache every web process shares (``REDIS_URL``): with each process keeping
its own memory, one could not see that another changed the content.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

VERSION_KEY = "visitor-pages:version"
# Longer query strings (searches) are rendered but not kept: they would fill the cache.
MAX_QUERY_STRING = 200
# Fields no public page shows, saved on their own often enough to matter.
UNSHOWN_FIELDS = frozenset({"last_login"})
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
# A country's version may be forgotten (a new one is then made): its pages are rendered again.
COUNTRY_VERSION_SECONDS = 7 * 24 * 3600

View = Callable[..., HttpResponse]


def enabled() -> bool:
    return settings.PORTAL_PAGE_CACHE_SECONDS > 0 and bool(settings.REDIS_URL)


def content_version() -> str:
    return str(cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def country_key(code: str) -> str:
    return f"{VERSION_KEY}:{code.upper()}" if COUNTRY_CODE.fullmatch(code) else ""


def country_version(code: str) -> str:
    """The version of what one country's own pages show (its page, its roadmap)."""
    key = country_key(code)
    if not key:
        return "none"
    return str(cache.get_or_set(key, lambda: uuid.uuid4().hex, timeout=COUNTRY_VERSION_SECONDS))


def bump_content_version(country: str | None = None) -> None:
    """A new version for every visitor's page, or for one country's own pages."""
    key = country_key(country) if country else VERSION_KEY
    try:
        cache.set(key, uuid.uuid4().hex, timeout=COUNTRY_VERSION_SECONDS if country else None)
    except Exception:  # the cache being down must not fail a change that committed
        logger.warning("Could not bump the visitors' pages version.", exc_info=True)


def content_changed(*, country: str | None = None, **kwargs: Any) -> None:
    """What visitors' pages show has changed (only one country's own pages, where
    ``country`` is its code): once the transaction commits, the pages kept so far are out
    of date. A receiver for ``post_save``, ``post_delete`` and ``m2m_changed``, and a call
    for services that write with ``update()``."""
    if not kwargs.get("action", "post_").startswith("post_"):
        return  # m2m_changed's pre_add, pre_remove, pre_clear
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= UNSHOWN_FIELDS:
        return  # a sign-in's last_login: no page shows it
    transaction.on_commit(functools.partial(bump_content_version, country))


def connect_content_models(
    *models: Any, country_of: Callable[[Any], str | None] | None = None
) -> None:
    """Bump the content version when a row of any of ``models`` (or of their many-to-many
    tables) is saved or deleted. Called from the owning app's ``ready()``.

    ``country_of(instance)``, for models that only their country's own pages show, returns
    the country's code: a change then bumps that country's version alone (a comment on
    Kenya's roadmap leaves every other country's pages in the cache). Where it cannot
    tell (a row deleted with its parents), every page's version is bumped."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def receiver(**kwargs: Any) -> None:
        country = None
        if country_of is not None:
            try:
                country = country_of(kwargs["instance"])
            except ObjectDoesNotExist:
                country = None
        content_changed(country=country, **kwargs)

    for model in models:
        label = model._meta.label
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"visitor-pages-{label}"
            )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"visitor-pages-{label}-{field.name}",
            )


def by_country(request: HttpRequest, code: str, **kwargs: Any) -> str:
    """For ``cache_for_visitors(vary=...)`` on a country's own pages (``code`` in the
    address): their copies are kept under the country's version too."""
    return country_version(code)


def is_plain_visitor(request: HttpRequest) -> bool:
    """A GET or HEAD from a visitor without an account, a session or a message waiting:
    someone who sees exactly what every other visitor sees."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
    )


def _keeps_nothing_personal(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Mark ``private`` (so not stored) a page that shows a message queued while it was
    rendered or carries a CSRF token: either belongs to this visitor alone."""
    messages = getattr(request, "_messages", None)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (messages is not None and len(messages)):
        patch_cache_control(response, private=True)
    return response


def cache_for_visitors(view: View | None = None, *, vary: Callable[..., str] | None = None) -> Any:
    """Decorate a public view: visitors get the page from the cache when it is there.
    ``vary(request, *args, **kwargs)`` returns what else the key depends on; it is called
    for visitors only, and only where the page cache is on."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not enabled() or not is_plain_visitor(request):
                return view(request, *args, **kwargs)
            prefix = f"visitors:{content_version()}"
            if vary is not None:
                prefix += f":{vary(request, *args, **kwargs)}"
            middleware = CacheMiddleware(
                lambda request: _keeps_nothing_personal(request, view(request, *args, **kwargs)),
                page_timeout=settings.PORTAL_PAGE_CACHE_SECONDS,
                key_prefix=prefix,
            )
            # A sync view in a sync middleware: the answer is a response, never awaitable.
            response = cast(HttpResponse, middleware(request))
            # For the browser: ask again each time; the portal's cache is the one that keeps.
            patch_cache_control(response, max_age=0)
            if response.has_header("Expires"):
                del response["Expires"]
            return response

        return wrapper

    return decorator if view is None else decorator(view)
