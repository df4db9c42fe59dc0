import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from countries.models import Country

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

    def filter_country(self, queryset: QuerySet[Event], name: str, value: Country) -> QuerySet:
        return queryset.filter(Q(initiative__country=value) | Q(alliance__country=value))
