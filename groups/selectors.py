"""Reads that other parts of the portal use: the country page's working groups, and the
CSU dashboard's figures of the dialogue in them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q

from countries.models import Country, Initiative
from stakeholders.models import User

from .models import MemberStatus, Position, Proposal, Side, Vote, WorkingGroup

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


ACTIVE_WITHIN = datetime.timedelta(days=90)


def dialogue_by_country(now: datetime.datetime) -> list[dict[str, Any]]:
    """For the CSU dashboard, per country with working groups: how many groups had a thread
    active in the last 90 days, how many proposals are open, how many objections wait for a
    response. Three aggregate queries and one for the countries' names."""
    active = dict(
        WorkingGroup.objects.filter(threads__last_activity_at__gte=now - ACTIVE_WITHIN)
        .values_list("initiative__country")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    open_proposals = dict(
        Proposal.objects.filter(closed_at=None, closes_at__gt=now)
        .values_list("thread__group__initiative__country")
        .annotate(count=Count("pk"))
        .order_by()
    )
    objections = dict(
        Vote.objects.filter(position=Position.OBJECTION, responded_at=None)
        .values_list("proposal__thread__group__initiative__country")
        .annotate(count=Count("pk"))
        .order_by()
    )
    countries = Country.objects.filter(pk__in={*active, *open_proposals, *objections})
    rows = [
        {
            "country": country,
            "active_groups": active.get(country.pk, 0),
            "open_proposals": open_proposals.get(country.pk, 0),
            "objections": objections.get(country.pk, 0),
        }
        for country in countries
    ]
    return sorted(rows, key=lambda row: str(row["country"].name))
