from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from countries.models import Country, Initiative

from .models import Event, EventFormat, EventKind, WorkingGroupTopic


class EventFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        method="filter_country",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        choices=EventKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        choices=EventFormat.choices, label=_("Format"), empty_label=_("All formats")
    )
    topic = django_filters.ChoiceFilter(
        choices=WorkingGroupTopic.choices, label=_("Topic"), empty_label=_("All topics")
    )

    class Meta:
        model = Event
        fields = ["country", "kind", "format", "topic"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only countries whose initiative the viewer may see: a members-only initiative's
        # country is not revealed to visitors through the filter either.
        user = getattr(self.request, "user", None)
        self.filters["country"].queryset = Country.objects.filter(
            initiatives__in=Initiative.objects.visible_to(user)
        ).distinct()

    def filter_country(self, queryset: QuerySet[Event], name: str, value: Country) -> QuerySet:
        return queryset.filter(Q(initiative__country=value) | Q(alliance__country=value))
