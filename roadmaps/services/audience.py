"""Who hears about each change: focal points, the alliance, a consultation's audience."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from countries.models import Initiative
from notifications.services import absolute_url
from stakeholders.models import (
    Alliance,
    InitiativeRole,
    MembershipStatus,
    OrganizationStatus,
    User,
)

from ..models import (
    Audience,
    Consultation,
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


def consultation_audience(consultation: Consultation) -> QuerySet[User]:
    people = alliance_people(consultation.initiative)
    if consultation.audience == Audience.COUNTRY:
        # A distinct queryset cannot be OR-ed with another: combine the two by their ids.
        country_people = User.objects.filter(
            is_active=True,
            memberships__organization__status=OrganizationStatus.VERIFIED,
            memberships__organization__country_id=consultation.initiative.country_id,
        )
        people = User.objects.filter(
            Q(pk__in=people.values("pk")) | Q(pk__in=country_people.values("pk"))
        )
    return people.distinct()


def milestone_url(milestone: Milestone) -> str:
    return absolute_url(milestone.get_absolute_url())
