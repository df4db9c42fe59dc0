"""What a person holds in the portal, for the permission rules: the organizations they
belong to (and administer), the alliances they coordinate or belong to, the initiatives
where they are a focal point.

A page asks several rules about the same person (may they edit, comment, respond, see the
names...), and a list may ask one rule per row. So the standing is read once and kept on
the user object, as Django's ``ModelBackend`` keeps permissions in ``user._perm_cache``:
every later rule about the same object answers from it. The signed-in person is a new
object on each request, so a change counts from the next request; code that changes a
person's ties and asks the rules again about the same object fetches the person again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet, Value

from .models import (
    FOCAL_POINT_ROLES,
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MemberRole,
    MembershipStatus,
    OrganizationMember,
    OrganizationStatus,
    User,
)


@dataclass(frozen=True)
class Standing:
    organizations: frozenset[int] = field(default_factory=frozenset)
    administered_organizations: frozenset[int] = field(default_factory=frozenset)
    coordinated_alliances: frozenset[int] = field(default_factory=frozenset)
    member_alliances: frozenset[int] = field(default_factory=frozenset)
    focal_point_initiatives: frozenset[int] = field(default_factory=frozenset)
    # Countries of the verified organizations the person belongs to (country-wide
    # consultations are open to their people).
    verified_organization_countries: frozenset[int] = field(default_factory=frozenset)


def _ties(queryset: QuerySet, kind: Any, person: str, target: str) -> QuerySet:
    """(person, kind, id) rows of one kind of tie, to be combined with the others."""
    return (
        queryset.order_by()
        .annotate(tie_person=F(person), tie_kind=kind, tie_target=F(target))
        .values_list("tie_person", "tie_kind", "tie_target")
    )


def load_standings(user_ids: Iterable[int]) -> dict[int, Standing]:
    """The standing of any number of people, in one query: the union of each kind of tie
    as (person, kind, id) rows, grouped by person here. One query rather than one per kind
    because nearly every signed-in request asks it, and the pages' query budget counts it.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    memberships = OrganizationMember.objects.filter(user_id__in=ids)
    rows = _ties(memberships, F("role"), "user_id", "organization_id").union(
        _ties(
            Alliance.coordinators.through.objects.filter(user_id__in=ids),
            Value("coordinator"),
            "user_id",
            "alliance_id",
        ),
        _ties(
            AllianceMembership.objects.filter(
                status=MembershipStatus.APPROVED, organization__members__user_id__in=ids
            ),
            Value("alliance_member"),
            "organization__members__user_id",
            "alliance_id",
        ),
        _ties(
            InitiativeRole.objects.filter(
                user_id__in=ids, active_until__isnull=True, role__in=FOCAL_POINT_ROLES
            ),
            Value("focal_point"),
            "user_id",
            "initiative_id",
        ),
        _ties(
            memberships.filter(organization__status=OrganizationStatus.VERIFIED),
            Value("verified_country"),
            "user_id",
            "organization__country_id",
        ),
        all=True,
    )
    ties: dict[int, dict[str, set[int]]] = {pk: {} for pk in ids}
    for user_id, kind, pk in rows:
        ties[user_id].setdefault(kind, set()).add(pk)
    return {user_id: _standing(kinds) for user_id, kinds in ties.items()}


def _standing(ties: dict[str, set[int]]) -> Standing:
    admin = ties.get(MemberRole.ADMIN, set())
    return Standing(
        organizations=frozenset(admin | ties.get(MemberRole.MEMBER, set())),
        administered_organizations=frozenset(admin),
        coordinated_alliances=frozenset(ties.get("coordinator", set())),
        member_alliances=frozenset(ties.get("alliance_member", set())),
        focal_point_initiatives=frozenset(ties.get("focal_point", set())),
        verified_organization_countries=frozenset(ties.get("verified_country", set())),
    )


def load_standing(user: User) -> Standing:
    """The person's standing as the database has it now (nothing kept)."""
    return load_standings([user.pk])[user.pk]


def preload_standings(users: Iterable[Any]) -> None:
    """Load the standing of many people at once and keep it on each person object, for a
    job that asks the rules about each of them (the digests): the same query as for one
    person, whatever their number."""
    people = [user for user in users if user.is_authenticated]
    standings = load_standings(user.pk for user in people)
    for user in people:
        user._standing = standings[user.pk]


def standing_of(user: Any) -> Standing:
    """The person's standing, read once per user object and kept on it; nobody's for a
    visitor."""
    if user is None or not user.is_authenticated:
        return Standing()
    if not hasattr(user, "_standing"):
        user._standing = load_standing(user)
    return user._standing
