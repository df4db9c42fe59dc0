import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .actions import action_label
from .models import AuditEntry


class ActionFilter(django_filters.AllValuesFilter):
    """The actions recorded so far, by their labels in alphabetical order."""

    @property
    def field(self) -> forms.Field:
        codes = (
            self.model._default_manager.order_by()
            .values_list(self.field_name, flat=True)
            .distinct()
        )
        self.extra["choices"] = sorted(
            ((code, action_label(code)) for code in codes), key=lambda choice: choice[1]
        )
        return super(django_filters.AllValuesFilter, self).field


class AuditEntryFilter(django_filters.FilterSet):
    action = ActionFilter(label=_("Action"), empty_label=_("All actions"))
    actor = django_filters.CharFilter(
        field_name="actor__email",
        lookup_expr="icontains",
        label=_("Who (email)"),
        max_length=254,
    )
    sensitive = django_filters.BooleanFilter(
        method="filter_sensitive",
        label=_("Access to personal data only"),
        widget=forms.CheckboxInput,
    )
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "sensitive", "since", "until"]

    def filter_sensitive(
        self, queryset: QuerySet[AuditEntry], name: str, value: bool
    ) -> QuerySet[AuditEntry]:
        # An unticked box means "everything", not "only entries that are not sensitive".
        return queryset.filter(sensitive=True) if value else queryset
