"""Organizations the reader may see, found as the directory finds them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.search import Result, ResultGroup, group

from .filters import search_organizations
from .models import Organization


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    found = group(
        _("Organizations"),
        search_organizations(Organization.objects.visible_to(user), terms).select_related(
            "country"
        ),
        lambda organization: Result(
            organization.name, organization.get_absolute_url(), str(organization.country.name)
        ),
    )
    return [found] if found else []
