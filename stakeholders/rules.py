"""Who may do what with organizations, alliances and initiative roles.

The one place that answers these questions: views ask ``user.has_perm(...)``, templates
``{% has_perm %}``, and tests check every rule against every persona. CSU staff hold every
permission (``stakeholders.backends.CSUStaffBackend``); the predicates below still name
them where the policy does, so that the rules read as the policy table.
"""

from __future__ import annotations

import rules

from countries.models import Initiative

from .models import (
    Alliance,
    AllianceMembership,
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationStatus,
    OrganizationVisibility,
)
from .standing import standing_of

# --- Predicates about the person ---------------------------------------------------------

is_authenticated = rules.is_authenticated
is_csu_staff = rules.is_active & rules.is_staff


# --- Organizations -------------------------------------------------------------------------


@rules.predicate
def can_see_organization(user, organization: Organization) -> bool:
    """Organization.objects.visible_to for one organization, answered from the organization
    and the person's standing as the queryset's conditions are: an alliance-only
    organization is seen by the people of the alliances where it is an approved member, and
    by the coordinators of an alliance it asks to join."""
    if organization.pk in standing_of(user).organizations:
        return True
    if organization.status == OrganizationStatus.VERIFIED:
        if organization.visibility == OrganizationVisibility.PUBLIC:
            return True
        if organization.visibility == OrganizationVisibility.REGISTERED:
            return user.is_authenticated
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if organization.status != OrganizationStatus.VERIFIED:
        return False
    standing = standing_of(user)
    alliances = standing.member_alliances | standing.coordinated_alliances
    if alliances and alliances & approved_alliances_of(organization):
        return True
    # An organization asking to join shows itself to the coordinators who decide.
    return bool(
        standing.coordinated_alliances
        and standing.coordinated_alliances & requested_alliances_of(organization)
    )


def approved_alliances_of(organization: Organization) -> frozenset[int]:
    """The alliances where the organization's membership is approved, kept on the instance
    as a prefetched relation is: a list of rows asks once per organization, not per row."""
    if not hasattr(organization, "_approved_alliances"):
        organization._approved_alliances = frozenset(
            organization.alliance_memberships.filter(status=MembershipStatus.APPROVED).values_list(
                "alliance_id", flat=True
            )
        )
    return organization._approved_alliances


def requested_alliances_of(organization: Organization) -> frozenset[int]:
    """The alliances the organization asks to join, kept on the instance likewise."""
    if not hasattr(organization, "_requested_alliances"):
        organization._requested_alliances = frozenset(
            organization.alliance_memberships.filter(status=MembershipStatus.REQUESTED).values_list(
                "alliance_id", flat=True
            )
        )
    return organization._requested_alliances


@rules.predicate
def is_organization_admin(user, organization: Organization) -> bool:
    return organization.pk in standing_of(user).administered_organizations


@rules.predicate
def is_organization_member(user, organization: Organization) -> bool:
    return organization.pk in standing_of(user).organizations


@rules.predicate
def is_verified_organization(user, organization: Organization) -> bool:
    return organization.status == OrganizationStatus.VERIFIED


@rules.predicate
def country_has_alliance(user, organization: Organization) -> bool:
    """Kept on the user object by country, as the standing is: a page may ask this about
    each of the person's organizations in one country."""
    known = getattr(user, "_countries_with_alliance", None)
    if known is None:
        known = user._countries_with_alliance = {}
    if organization.country_id not in known:
        known[organization.country_id] = Alliance.objects.filter(
            country_id=organization.country_id
        ).exists()
    return known[organization.country_id]


@rules.predicate
def coordinates_alliance_of_organization(user, organization: Organization) -> bool:
    """A coordinator of an alliance in which the organization holds or requests membership."""
    return (
        user.is_authenticated
        and organization.alliance_memberships.filter(
            alliance__coordinators=user,
            status__in=[MembershipStatus.REQUESTED, MembershipStatus.APPROVED],
        ).exists()
    )


# --- Alliances -------------------------------------------------------------------------------


@rules.predicate
def is_alliance_coordinator(user, alliance: Alliance) -> bool:
    return alliance.pk in standing_of(user).coordinated_alliances


@rules.predicate
def is_alliance_member(user, alliance: Alliance) -> bool:
    """Belongs to an organization whose membership of this alliance is approved."""
    return alliance.pk in standing_of(user).member_alliances


@rules.predicate
def alliance_list_is_public(user, alliance: Alliance) -> bool:
    return alliance.effective_member_list_visibility == MemberListVisibility.PUBLIC


@rules.predicate
def alliance_list_is_for_registered(user, alliance: Alliance) -> bool:
    return alliance.effective_member_list_visibility == MemberListVisibility.REGISTERED


@rules.predicate
def administers_requesting_organization(user, membership: AllianceMembership) -> bool:
    """An admin of the organization that asked for (or holds) this membership."""
    return membership.organization_id in standing_of(user).administered_organizations


# --- People ---------------------------------------------------------------------------------


@rules.predicate
def is_self(user, person) -> bool:
    return user.is_authenticated and person is not None and user.pk == person.pk


@rules.predicate
def administers_an_organization_of(user, person) -> bool:
    """An admin of one of the organizations this person belongs to."""
    administered = standing_of(user).administered_organizations
    return (
        bool(administered) and person.memberships.filter(organization_id__in=administered).exists()
    )


@rules.predicate
def coordinates_alliance_of_admin(user, person) -> bool:
    """A coordinator of an alliance in which an organization this person administers holds
    or requests membership: the coordinator's way to reach the organization."""
    coordinated = standing_of(user).coordinated_alliances
    return (
        bool(coordinated)
        and AllianceMembership.objects.filter(
            alliance_id__in=coordinated,
            status__in=[MembershipStatus.REQUESTED, MembershipStatus.APPROVED],
            organization__members__user=person,
            organization__members__role=MemberRole.ADMIN,
        ).exists()
    )


# --- Initiatives -------------------------------------------------------------------------------


@rules.predicate
def is_focal_point_of(user, initiative: Initiative) -> bool:
    """An active focal point or alternate of this initiative."""
    return initiative.pk in standing_of(user).focal_point_initiatives


# --- The rules -------------------------------------------------------------------------------

rules.add_perm("stakeholders.view_organization", can_see_organization | is_csu_staff)
rules.add_perm("stakeholders.add_organization", is_authenticated)
rules.add_perm("stakeholders.change_organization", is_organization_admin | is_csu_staff)
rules.add_perm("stakeholders.manage_organization_people", is_organization_admin | is_csu_staff)
rules.add_perm(
    "stakeholders.view_organization_people",
    is_organization_member | coordinates_alliance_of_organization | is_csu_staff,
)
rules.add_perm(
    "stakeholders.view_organization_contact",
    is_organization_admin | coordinates_alliance_of_organization | is_csu_staff,
)
rules.add_perm("stakeholders.vet_organization", is_csu_staff)
rules.add_perm(
    "stakeholders.request_alliance_membership",
    (is_organization_admin & is_verified_organization & country_has_alliance) | is_csu_staff,
)
rules.add_perm(
    "stakeholders.withdraw_alliance_membership",
    administers_requesting_organization | is_csu_staff,
)
rules.add_perm("stakeholders.decide_alliance_membership", is_alliance_coordinator | is_csu_staff)
# Coordinators reach their own alliance's member organizations and admins; every look is
# recorded (audit_record(..., sensitive=True)).
rules.add_perm("stakeholders.view_alliance_member_contacts", is_alliance_coordinator | is_csu_staff)
rules.add_perm("stakeholders.manage_alliance", is_csu_staff)
rules.add_perm(
    "stakeholders.view_alliance_members",
    alliance_list_is_public
    | (is_authenticated & alliance_list_is_for_registered)
    | is_alliance_member
    | is_alliance_coordinator
    | is_csu_staff,
)
# A person's legal name behind a pseudonym, and their email address: the policy table in
# SECURITY.md ("Who may see which names and contact details") is this rule written out.
rules.add_perm("stakeholders.view_legal_name", is_self | is_csu_staff)
rules.add_perm(
    "stakeholders.view_person_contact",
    is_self | administers_an_organization_of | coordinates_alliance_of_admin | is_csu_staff,
)
rules.add_perm("stakeholders.manage_initiative_roles", is_csu_staff)
# The initiative's own count of who takes part: its focal points and CSU staff.
rules.add_perm("stakeholders.declare_participation", is_focal_point_of | is_csu_staff)
rules.add_perm("stakeholders.view_vetting_queue", is_csu_staff)
