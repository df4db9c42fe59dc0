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

from collections.abc import Callable
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
    OrganizationMember,
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


def load_standing(user: User) -> Standing:
    """One query: the four kinds of ties, as (kind, id) rows.

    Written in SQL because nearly every signed-in request runs it: the same question as a
    union of querysets cost ten times more to build than the database takes to answer."""
    organization_members = OrganizationMember._meta.db_table
    coordinators = Alliance.coordinators.through._meta.db_table
    alliance_memberships = AllianceMembership._meta.db_table
    parameters = [
        user.pk,
        user.pk,
        user.pk,
        MembershipStatus.APPROVED,
        user.pk,
        *FOCAL_POINT_ROLES,
    ]
    focal_roles = ", ".join(["%s"] * len(FOCAL_POINT_ROLES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT role, organization_id FROM {organization_members} WHERE user_id = %s"  # noqa: S608 (no input)
            " UNION ALL"
            f" SELECT 'coordinator', alliance_id FROM {coordinators} WHERE user_id = %s"
            " UNION ALL"
            f" SELECT 'alliance_member', alliance.alliance_id FROM {alliance_memberships} alliance"
            f" JOIN {organization_members} member"
            " ON member.organization_id = alliance.organization_id"
            " WHERE member.user_id = %s AND alliance.status = %s"
            " UNION ALL"
            f" SELECT 'focal_point', initiative_id FROM {InitiativeRole._meta.db_table}"
            f" WHERE user_id = %s AND active_until IS NULL AND role IN ({focal_roles})",
            parameters,
        )
        rows = cursor.fetchall()
    ties: dict[str, set[int]] = {}
    for kind, pk in rows:
        ties.setdefault(kind, set()).add(pk)
    admin = ties.get(MemberRole.ADMIN, set())
    return Standing(
        organizations=frozenset(admin | ties.get(MemberRole.MEMBER, set())),
        administered_organizations=frozenset(admin),
        coordinated_alliances=frozenset(ties.get("coordinator", set())),
        member_alliances=frozenset(ties.get("alliance_member", set())),
        focal_point_initiatives=frozenset(ties.get("focal_point", set())),
    )


def standing_of(user: Any) -> Standing:
    """The person's standing; nobody's for a visitor."""
    if user is None or not user.is_authenticated:
        return Standing()
    return remember(("standing", user.pk), lambda: load_standing(user))
