from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.visitor_cache import cache_for_visitors

from .filters import InitiativeFilter
from .models import Initiative

PAGE_SIZE = 25


@cache_for_visitors
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
