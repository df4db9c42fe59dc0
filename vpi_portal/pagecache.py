"""A whole-page cache for visitors who are not signed in, invalidated by every change.

Most requests to the public pages (home, countries, a country, its roadmap, the directory,
the events) come from visitors without an account, who all see the same page. Rendering it
costs tens of milliseconds of Python at the scale of every UN member state; serving it from
Redis costs about as much as the one-query floor view. So these pages are kept whole in the
cache, per address and language, under the current *content version*.

The content version changes after every committed write to a table whose rows these pages
show (countries, organizations, alliances, roles, roadmaps, events; not registrations,
sessions, the outbox or the audit log). Writes are seen where all of them pass, at the
database cursor, so that a queryset ``update()``, the admin, a task or a shell change
invalidate as surely as a service. The version changes after the commit, never before: a
page rendered from data older than the change is stored under the old version, which no
one reads again. Entries also expire after ``PORTAL_PAGE_CACHE_SECONDS``, since "upcoming"
and "overdue" move with the clock.

The cache holds only what every visitor may see. It never serves or stores a page for a
signed-in person, a visitor with a session (messages, a half-done sign-in) or a page that
queued a message; the CSRF token of the language form is put back per visitor.

Active only with a cache shared by every web process (``REDIS_URL``): with each process
keeping its own memory, one process could not invalidate another's pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

logger = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "pagecache:version"
# The pages kept, by URL name: each is the same for every visitor without an account.
CACHED_VIEWS = frozenset(
    {
        "home",
        "countries:list",
        "country_detail",
        "roadmaps:country_roadmap",
        "roadmaps:roadmap_version",
        "stakeholders:organization_list",
        "stakeholders:organization_detail",
        "stakeholders:alliance_detail",
        "events:list",
    }
)
# Tables whose rows the cached pages show. Registrations are left out on purpose: no
# cached page shows them, and they are the most frequent write.
CONTENT_TABLE_PREFIXES = ("countries_", "stakeholders_", "roadmaps_", "events_")
UNCACHED_TABLES = frozenset({"events_registration", "events_calendarfeed"})
MAX_QUERY_STRING = 200
CSRF_SLOT = "\x00csrf-token\x00"
CSRF_SLOT_BYTES = CSRF_SLOT.encode()
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def enabled() -> bool:
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) > 0 and settings.REDIS_URL != ""


# --- Noticing writes ------------------------------------------------------------------------------


def is_content_table(table: str) -> bool:
    return table.startswith(CONTENT_TABLE_PREFIXES) and table not in UNCACHED_TABLES


def bump_version() -> None:
    """A new content version: every page cached so far is out of date."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache being down must not fail the write that committed
        logger.warning("Could not bump the page cache version.", exc_info=True)


def watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    """A database execute wrapper: after a write to a content table, bump the version once
    the transaction commits (at once when there is no transaction)."""
    result = execute(sql, params, many, context)
    match = WRITE.match(sql) if isinstance(sql, str) else None
    if match and is_content_table(match.group(1)) and enabled():
        # At once without a transaction; else after the commit (a callback of a savepoint
        # rolled back is dropped with it).
        context["connection"].on_commit(bump_version)
    return result


def install_watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def connect() -> None:
    """Watch the writes of every database connection of this process."""
    connection_created.connect(install_watch, dispatch_uid="pagecache_watch_writes")
    for connection in connections.all(initialized_only=True):
        install_watch(None, connection)


def remember_until_change(name: str, compute: Callable[[], T], *, timeout: int) -> T:
    """``compute()``, kept in the cache until the next change of content (or ``timeout``
    seconds): for figures that cost a lot to compute and are the same for everyone who may
    see them. Computed every time where the page cache is off."""
    if not enabled():
        return compute()
    key = f"content:{name}:{current_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


# --- Serving and storing pages --------------------------------------------------------------------


def has_messages(request: HttpRequest) -> bool:
    """Messages waiting to be shown (loaded without marking them shown) or queued."""
    messages = getattr(request, "_messages", None)
    return messages is not None and len(messages) > 0


def is_plain_visitor(request: HttpRequest) -> bool:
    """A GET from a visitor without an account, a session or a message waiting: someone
    who sees exactly what every other visitor sees."""
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
    )


def cacheable(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.view_name in CACHED_VIEWS and is_plain_visitor(request)


def page_key(request: HttpRequest, scope: str) -> str:
    """The page's address, language and day, under the content version."""
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return ":".join(
        [
            "pagecache",
            current_version(),
            scope,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            address,
        ]
    )


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def cached_response(request: HttpRequest, key: str) -> HttpResponse | None:
    """The page stored under ``key``, with this visitor's CSRF token, or None."""
    stored = cache.get(key)
    if stored is None:
        return None
    content_type, compressed = stored
    # Bytes in, bytes out: the page is never decoded, only the token slots are filled.
    content = zlib.decompress(compressed).replace(CSRF_SLOT_BYTES, get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def store_response(request: HttpRequest, response: HttpResponse, key: str) -> None:
    """Keep a plain successful page that shows no message (the CSRF token taken out)."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or has_messages(request)
    ):
        return
    content = response.content.decode()
    for token in set(TOKEN_FIELD.findall(content)):
        content = content.replace(token, CSRF_SLOT)
    cache.set(
        key,
        (response["Content-Type"], zlib.compress(content.encode(), 1)),
        timeout=settings.PORTAL_PAGE_CACHE_SECONDS,
    )
    response["X-Page-Cache"] = "miss"


def cached_or_rendered(
    request: HttpRequest, key: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page kept under ``key``, or ``render()``, kept under ``key`` when it may be."""
    response = cached_response(request, key)
    if response is None:
        response = render()
        store_response(request, response, key)
    return response


def personal_page(
    request: HttpRequest,
    name: str,
    render: Callable[[], HttpResponse],
    *,
    vary: Callable[[], str] | None = None,
) -> HttpResponse:
    """For a page that is costly to render and changes only with the content (and with
    what ``vary()`` returns, for what else it shows): the page as last rendered for this
    person, or ``render()``. Call it after the permission check."""
    if not enabled() or request.method != "GET" or has_messages(request):
        return render()
    scope = f"{name}:{request.user.pk}"
    if vary is not None:
        scope += ":" + hashlib.sha256(vary().encode()).hexdigest()[:32]
    return cached_or_rendered(request, page_key(request, scope), render)


def visitor_page(
    request: HttpRequest, scope: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """For a public page that shows, besides the content, something that changes more
    often (an event's free seats): the page kept for visitors under the content version
    *and* ``scope``, which carries that something (an event's key and its counts), or
    ``render()``. Signed-in people and visitors with a session always get ``render()``."""
    if not enabled() or not is_plain_visitor(request):
        return render()
    return cached_or_rendered(request, page_key(request, f"public:{scope}"), render)


class AnonymousPageCacheMiddleware:
    """Serve and keep the public pages for visitors. Placed after the session,
    authentication, CSRF and message middleware: it needs to know who asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None:
            store_response(request, response, key)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
        if not enabled() or not cacheable(request):
            return None
        key = page_key(request, "public")
        response = cached_response(request, key)
        if response is None:
            request._page_cache_key = key  # type: ignore[attr-defined]
        return response
