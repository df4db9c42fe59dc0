"""What a person holds in the portal, for the permission rules: the organizations they
belong to (and administer), the alliances they coordinate or belong to, the initiatives
where they are a focal point.

A page asks several rules about the same person (may they edit, comment, respond, see the
names...), and a list may ask one rule per row. Each rule used to run its own query; now
the person's standing is loaded in one query, and within a request it is remembered, so
that every later rule is answered from memory. Outside a request (a task, a shell, a test
calling ``has_perm`` directly) nothing is remembered: each question reads the database, so
an answer is never stale there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection
from django.http import HttpRequest, HttpResponse

from .models import (
    FOCAL_POINT_ROLES,
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    User,
)

T = TypeVar("T")

_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("request_memo", default=None)


def remember(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per request for ``key``; outside a request, every time."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Open a memo for the length of one request (and close it afterwards)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


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


def load_standings(user_ids: Iterable[int]) -> dict[int, Standing]:
    """One query for any number of people: the kinds of ties, as (person, kind, id) rows.

    Written in SQL because nearly every signed-in request runs it: the same question as a
    union of querysets cost ten times more to build than the database takes to answer."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    organization_members = OrganizationMember._meta.db_table
    organizations = Organization._meta.db_table
    coordinators = Alliance.coordinators.through._meta.db_table
    alliance_memberships = AllianceMembership._meta.db_table
    people = ", ".join(["%s"] * len(ids))
    focal_roles = ", ".join(["%s"] * len(FOCAL_POINT_ROLES))
    parameters = [
        *ids,
        *ids,
        *ids,
        MembershipStatus.APPROVED,
        *ids,
        *FOCAL_POINT_ROLES,
        *ids,
        OrganizationStatus.VERIFIED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id, role, organization_id FROM {organization_members}"  # noqa: S608 (no input)
            f" WHERE user_id IN ({people})"
            " UNION ALL"
            f" SELECT user_id, 'coordinator', alliance_id FROM {coordinators}"
            f" WHERE user_id IN ({people})"
            " UNION ALL"
            f" SELECT member.user_id, 'alliance_member', alliance.alliance_id"
            f" FROM {alliance_memberships} alliance"
            f" JOIN {organization_members} member"
            " ON member.organization_id = alliance.organization_id"
            f" WHERE member.user_id IN ({people}) AND alliance.status = %s"
            " UNION ALL"
            f" SELECT user_id, 'focal_point', initiative_id FROM {InitiativeRole._meta.db_table}"
            f" WHERE user_id IN ({people}) AND active_until IS NULL AND role IN ({focal_roles})"
            " UNION ALL"
            f" SELECT member.user_id, 'verified_country', organization.country_id"
            f" FROM {organization_members} member"
            f" JOIN {organizations} organization ON organization.id = member.organization_id"
            f" WHERE member.user_id IN ({people}) AND organization.status = %s",
            parameters,
        )
        rows = cursor.fetchall()
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
    return load_standings([user.pk])[user.pk]


def preload_standings(users: Iterable[Any]) -> None:
    """Load the standing of many people at once and keep it on each person object, for a
    job that asks the rules about each of them (the digests): every later rule about one
    of these objects is answered from it. Only for objects the job itself fetched and
    drops when it is done."""
    people = [user for user in users if user.is_authenticated]
    standings = load_standings(user.pk for user in people)
    for user in people:
        user._standing = standings[user.pk]


def standing_of(user: Any) -> Standing:
    """The person's standing; nobody's for a visitor."""
    if user is None or not user.is_authenticated:
        return Standing()
    preloaded = getattr(user, "_standing", None)
    if preloaded is not None:
        return preloaded
    return remember(("standing", user.pk), lambda: load_standing(user))
