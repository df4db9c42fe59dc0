import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from common.visitor_cache import by_country, cache_for_visitors, content_version
from consultations.search import search_for as consultations_search
from consultations.work import work_for as consultations_work
from countries.models import CLOSED_STATUSES, Country, Initiative
from countries.search import search_for as countries_search
from events.search import search_for as events_search
from events.selectors import country_events
from events.work import work_for as events_work
from groups.search import search_for as groups_search
from groups.selectors import country_groups
from groups.work import work_for as groups_work
from notifications.models import countries_followed_by
from roadmaps.search import search_for as roadmaps_search
from roadmaps.selectors import country_roadmap_summary
from roadmaps.work import work_for as roadmaps_work
from stakeholders.search import search_for as stakeholders_search
from stakeholders.selectors import country_stakeholders
from stakeholders.standing import standing_of
from stakeholders.work import work_for as stakeholders_work


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the process answers and reaches the
    database, in one query. The load benchmark measures it as the floor of every page."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    """What a VPI is, the countries running one, and a call to take part. The list of
    initiatives is a fragment cached per language and per audience (visitors, signed-in
    people: ``Initiative.objects.visible_to`` tells only these apart) under the content
    version of ``common.visitor_cache``, which a committed change to an initiative or a
    country bumps; it is read only when the fragment is not in the cache."""

    def initiatives() -> list[Initiative]:
        return sorted(
            Initiative.objects.visible_to(request.user).open().select_related("country"),
            key=lambda initiative: str(initiative.country.name),
        )

    context = {
        "initiatives": SimpleLazyObject(initiatives),
        "content_version": content_version(),
        "audience": "people" if request.user.is_authenticated else "visitors",
    }
    return render(request, "home.html", context)


@cache_for_visitors(vary=by_country)
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A country's VPI page, where every app shows its part: the initiative, its focal
    points and alliance, its roadmap and its events. A country without an initiative this
    viewer may see is a 404, so that a members-only initiative's existence is not revealed
    to visitors."""
    try:
        country = Country.objects.get(code=code.upper())
    except (Country.DoesNotExist, ValueError):
        raise Http404("No such country.") from None
    initiatives = list(
        country.initiatives.visible_to(request.user)
        .annotate(
            closed=Case(
                When(status__in=CLOSED_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "-launched_on", "-created_at")
    )
    if not initiatives:
        raise Http404("No initiative in this country.")
    initiative, *earlier = initiatives
    context = {"country": country, "initiative": initiative, "earlier_initiatives": earlier}
    # Each app adds its part of the page below (one line each).
    context.update(country_stakeholders(initiative=initiative, user=request.user))
    context.update(country_roadmap_summary(initiative=initiative, user=request.user))
    context.update(country_events(initiative=initiative, user=request.user))
    context.update(country_groups(initiative=initiative, user=request.user))
    if request.user.is_authenticated:
        context["following"] = country.pk in countries_followed_by(request.user)
    return render(request, "country_detail.html", context)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The page a person lands on after signing in: what waits for them by their roles, and
    what is new in the countries they follow. Each app says what waits in its rooms
    (``<app>/work.py``), from the person's standing; CSU staff see every country."""
    user = request.user
    standing = standing_of(user)
    items = [
        *stakeholders_work(user, standing),
        *roadmaps_work(user, standing),
        *consultations_work(user, standing),
        *events_work(user, standing),
        *groups_work(user, standing),
    ]
    return render(request, "my_work.html", {"items": items})


SEARCH_MAX_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    """One search over countries, organizations, milestones, consultations and events, each
    app searching among what the reader may see (``<app>/search.py``), in the reader's
    language."""
    terms = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
    groups = []
    if terms:
        user = request.user
        groups = [
            *countries_search(user, terms),
            *stakeholders_search(user, terms),
            *roadmaps_search(user, terms),
            *consultations_search(user, terms),
            *events_search(user, terms),
            *groups_search(user, terms),
        ]
    return render(
        request,
        "search.html",
        {"terms": terms, "groups": groups, "total": sum(g.count for g in groups)},
    )


# Update when the accessibility statement is reviewed again.
STATEMENT_REVIEWED_ON = datetime.date(2026, 11, 27)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: the standard the portal meets, how it is checked, what is
    known not to work yet, and whom to tell."""
    return render(
        request,
        "accessibility.html",
        {
            "contact_email": getattr(settings, "PORTAL_CONTACT_EMAIL", ""),
            "reviewed_on": STATEMENT_REVIEWED_ON,
        },
    )


@csrf_exempt
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch. A visitor's choice only sets their own language cookie, so
    it asks for no CSRF token: the public pages then carry no token of one visitor's and
    can be kept whole for all (common/visitor_cache.py). A signed-in person's choice is
    also kept in their profile (PreferredLanguageMiddleware), so it is checked."""
    if request.user.is_authenticated:
        return csrf_protect(i18n.set_language)(request)
    return i18n.set_language(request)
