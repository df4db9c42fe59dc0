"""Reads that other parts of the portal use: the country page's working groups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from countries.models import Initiative
from stakeholders.models import User

from .models import MemberStatus, Side, WorkingGroup

COUNTRY_PAGE_GROUPS = 5


def with_side_counts(groups: Any) -> Any:
    """Each group with how many active members each side has."""
    active = Q(members__status=MemberStatus.ACTIVE)
    return groups.annotate(
        government=Count("members", filter=active & Q(members__side=Side.GOVERNMENT)),
        civil_society=Count("members", filter=active & Q(members__side=Side.CIVIL_SOCIETY)),
    )


def country_groups(*, initiative: Initiative, user: User) -> dict[str, Any]:
    """The country page's working groups that this viewer may see (one query)."""
    groups = list(
        with_side_counts(
            WorkingGroup.objects.visible_to(user).filter(initiative=initiative)
        ).order_by("title", "pk")[: COUNTRY_PAGE_GROUPS + 1]
    )
    return {
        "country_groups": groups[:COUNTRY_PAGE_GROUPS],
        "more_groups": len(groups) > COUNTRY_PAGE_GROUPS,
    }
