"""Reads that several pages share: the country page's stakeholders section and the alliance
page's participation figures. Each runs a fixed number of queries, whatever the numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from countries.models import CLOSED_STATUSES, Country, Initiative

from .models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    ParticipationDeclaration,
    RoleKind,
    User,
)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


def alliance_kind_counts(alliance: Alliance) -> list[KindCount]:
    """How many verified organizations of each kind are approved members. Counts only, no
    names: they are shown to everyone, whoever may see the member list itself."""
    rows = (
        AllianceMembership.objects.filter(
            alliance=alliance,
            status=MembershipStatus.APPROVED,
            organization__status=OrganizationStatus.VERIFIED,
        )
        .values("organization__kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "organization__kind")
    )
    labels = dict(OrganizationKind.choices)
    return [
        KindCount(
            kind=row["organization__kind"],
            label=str(labels.get(row["organization__kind"], row["organization__kind"])),
            count=row["count"],
        )
        for row in rows
    ]


def current_initiative(*, country: Country, user: Any) -> Initiative | None:
    """The initiative the country page shows: the open one, else the latest concluded."""
    return (
        country.initiatives.visible_to(user)
        .annotate(
            closed=Case(
                When(status__in=CLOSED_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "-launched_on", "-created_at")
        .first()
    )


def active_government_roles(initiative: Initiative) -> QuerySet[InitiativeRole]:
    return (
        InitiativeRole.objects.active()
        .focal_points()
        .filter(initiative=initiative)
        .select_related("user")
    )


@dataclass
class CountryStakeholders:
    """What the country page shows about the people and organizations of an initiative."""

    focal_points: list[InitiativeRole]
    government_experts: int
    alliance: Alliance | None
    alliance_kinds: list[KindCount] = field(default_factory=list)
    declared: ParticipationDeclaration | None = None
    can_manage_roles: bool = False
    can_create_alliance: bool = False
    can_declare: bool = False

    @property
    def alliance_organizations(self) -> int:
        return sum(row.count for row in self.alliance_kinds)


def country_stakeholders(*, initiative: Initiative, user: User | Any) -> dict[str, Any]:
    """The country page's stakeholders section, as one context entry ``stakeholders``.

    Only focal points who agreed to be shown are named; everyone else is only counted.
    """
    roles = sorted(
        active_government_roles(initiative),
        # The focal point first, then alternates, longest serving first.
        key=lambda role: (role.role != RoleKind.FOCAL_POINT, role.active_from, role.pk),
    )
    alliance = Alliance.objects.filter(country_id=initiative.country_id).first()
    if alliance is not None:
        # The page already holds the country: spare the query its URL would cost.
        alliance.country = initiative.country
    return {
        "stakeholders": CountryStakeholders(
            focal_points=[role for role in roles if role.shown_publicly],
            government_experts=len(roles),
            alliance=alliance,
            alliance_kinds=alliance_kind_counts(alliance) if alliance is not None else [],
            declared=initiative.participation_declarations.first(),
            can_manage_roles=user.has_perm("stakeholders.manage_initiative_roles", initiative),
            can_declare=user.has_perm("stakeholders.declare_participation", initiative),
            can_create_alliance=alliance is None and user.has_perm("stakeholders.manage_alliance"),
        )
    }


def organization_name_for(reader: Any, organization: Organization | None) -> str:
    """The organization's name if ``reader`` may see the organization; otherwise nothing,
    so that a page, an export or an email never names an organization its reader may not
    know exists."""
    if organization is None or not reader.has_perm("stakeholders.view_organization", organization):
        return ""
    return organization.name


def legal_name_for(reader: Any, person: Any) -> str:
    """A person's legal name for the roles the policy names (``view_legal_name``), else
    nothing: everyone else knows the person by ``public_name``."""
    if person is None or not reader.has_perm("stakeholders.view_legal_name", person):
        return ""
    return person.full_name
