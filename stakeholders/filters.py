"""Filters of the organization directory and of the vetting queue.

Search uses PostgreSQL's full-text search, ranked, on the stored document that a trigger keeps
and a GIN index finds (migration 0009); on SQLite (local development) it falls back to a plain
substring match.
"""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from countries.models import Country

from .forms.organizations import CountryChoiceField
from .models import Organization, OrganizationKind, OrganizationStatus, Theme

# Organizations write in many languages: no language's stemming. The trigger of migration
# 0009 builds the document with the same configuration.
SEARCH_CONFIG = "simple"


def search_organizations(queryset: QuerySet[Organization], terms: str) -> QuerySet[Organization]:
    terms = terms.strip()
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(terms, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "name")
        )
    return queryset.filter(
        Q(name__icontains=terms) | Q(acronym__icontains=terms) | Q(description__icontains=terms)
    )


class CountryFilter(django_filters.ModelChoiceFilter):
    field_class = CountryChoiceField


class OrganizationFilter(django_filters.FilterSet):
    """The directory's search and filters. Applied to a queryset already limited to what the
    viewer may see."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    country = CountryFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        choices=OrganizationKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        label=_("Theme"),
        empty_label=_("All themes"),
    )

    class Meta:
        model = Organization
        fields = ["q", "country", "kind", "theme"]

    def filter_search(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        return search_organizations(queryset, value)


OPEN_FOR_DECISION = "open"


class VettingFilter(django_filters.FilterSet):
    """The vetting queue: what waits for a decision unless another status is asked for."""

    status = django_filters.ChoiceFilter(
        choices=[(OPEN_FOR_DECISION, _("Waiting for a decision")), *OrganizationStatus.choices],
        label=_("Status"),
        empty_label=None,
        method="filter_status",
    )
    country = CountryFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        choices=OrganizationKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )

    class Meta:
        model = Organization
        fields = ["status", "country", "kind"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", OPEN_FOR_DECISION)
        super().__init__(data, *args, **kwargs)

    def filter_status(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        if value == OPEN_FOR_DECISION:
            return queryset.filter(
                status__in=[OrganizationStatus.PENDING, OrganizationStatus.MORE_INFO]
            )
        return queryset.filter(status=value)
