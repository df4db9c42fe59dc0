"""Who hears about each change: the initiative's focal points and its alliance."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from countries.models import Initiative
from notifications.services import absolute_url
from stakeholders.models import (
    Alliance,
    InitiativeRole,
    MembershipStatus,
    Organization,
    OrganizationStatus,
    User,
)
from stakeholders.services import staff_recipients

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
    return alliance_people_of_country(initiative.country_id)


def alliance_people_of_country(country_id: Any) -> QuerySet[User]:
    """Coordinators and the people of the approved member organizations of the alliance of
    this country."""
    return User.objects.filter(
        Q(coordinated_alliances__country_id=country_id)
        | Q(
            memberships__organization__alliance_memberships__alliance__country_id=country_id,
            memberships__organization__alliance_memberships__status=MembershipStatus.APPROVED,
        ),
        is_active=True,
    ).distinct()


def milestone_url(milestone: Milestone) -> str:
    return absolute_url(milestone.get_absolute_url())


# Who the government's draft is put to: the alliance where the country has one, else the
# verified organizations of the country; "none" when it has neither.
ALLIANCE, ORGANIZATIONS, NO_ONE = "alliance", "organizations", "none"


def consulted_side(initiative: Initiative) -> str:
    if alliance_of(initiative) is not None:
        return ALLIANCE
    if Organization.objects.verified().filter(country_id=initiative.country_id).exists():
        return ORGANIZATIONS
    return NO_ONE


def verified_organization_people(initiative: Initiative) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__organization__country_id=initiative.country_id,
        memberships__organization__status=OrganizationStatus.VERIFIED,
    ).distinct()


def consulted_people(initiative: Initiative) -> QuerySet[User]:
    """The people a consultation on the initiative's draft is put to."""
    side = consulted_side(initiative)
    if side == ALLIANCE:
        return alliance_people(initiative)
    if side == ORGANIZATIONS:
        return verified_organization_people(initiative)
    return User.objects.none()


def signers(initiative: Initiative) -> QuerySet[User]:
    """Who co-signs a draft for the non-governmental side: the alliance's coordinators, or
    CSU staff in a country without an alliance."""
    if alliance_of(initiative) is not None:
        return alliance_coordinators(initiative)
    return staff_recipients()
