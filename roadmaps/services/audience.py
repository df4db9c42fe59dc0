"""Who hears about each change: the initiative's focal points and its alliance."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from countries.models import Initiative
from notifications.services import absolute_url
from stakeholders.models import (
    Alliance,
    InitiativeRole,
    MembershipStatus,
    User,
)

from ..models import (
    Milestone,
)


def focal_points_of(initiative: Initiative) -> QuerySet[User]:
    roles = InitiativeRole.objects.active().focal_points().filter(initiative=initiative)
    return User.objects.filter(is_active=True, initiative_roles__in=roles).distinct()


def alliance_of(initiative: Initiative) -> Alliance | None:
    return Alliance.objects.filter(country_id=initiative.country_id).first()


def alliance_coordinators(initiative: Initiative) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, coordinated_alliances__country_id=initiative.country_id
    ).distinct()


def alliance_people(initiative: Initiative) -> QuerySet[User]:
    """Coordinators and the people of the approved member organizations of the alliance."""
    return User.objects.filter(
        Q(coordinated_alliances__country_id=initiative.country_id)
        | Q(
            memberships__organization__alliance_memberships__alliance__country_id=(
                initiative.country_id
            ),
            memberships__organization__alliance_memberships__status=MembershipStatus.APPROVED,
        ),
        is_active=True,
    ).distinct()


def milestone_url(milestone: Milestone) -> str:
    return absolute_url(milestone.get_absolute_url())
