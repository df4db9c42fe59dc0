from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .filters import InitiativeFilter
from .models import CLOSED_STATUSES, Country, Initiative

PAGE_SIZE = 25


def country_list(request: HttpRequest) -> HttpResponse:
    """Countries that run a VPI the viewer may see, filterable by region and status."""
    initiatives = Initiative.objects.visible_to(request.user).select_related("country")
    filterset = InitiativeFilter(request.GET, queryset=initiatives)
    # Country names are translated, so they are sorted here rather than in the database.
    rows = sorted(filterset.qs, key=lambda initiative: str(initiative.country.name))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "countries/country_list.html",
        {"filter": filterset, "page_obj": page, "total": len(rows)},
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A country's VPI page. A country without an initiative this viewer may see is a 404,
    so that a members-only initiative's existence is not revealed to visitors."""
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
    return render(
        request,
        "countries/country_detail.html",
        {"country": country, "initiative": initiative, "earlier_initiatives": earlier},
    )
