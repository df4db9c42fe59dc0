import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Initiative, InitiativeStatus, UNRegionalGroup


class InitiativeFilter(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(
        field_name="country__un_regional_group",
        choices=UNRegionalGroup.choices,
        label=_("UN regional group"),
        empty_label=_("All regions"),
    )
    status = django_filters.ChoiceFilter(
        choices=InitiativeStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = Initiative
        fields = ["region", "status"]
