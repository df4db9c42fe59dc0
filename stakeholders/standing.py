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

from django.db.models import CharField, F, Value
from django.http import HttpRequest, HttpResponse

from .models import (
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


def _kind(name: str) -> Value:
    return Value(name, output_field=CharField())


def load_standing(user: User) -> Standing:
    """One query: the four kinds of ties, as (kind, id) rows."""
    organizations = (
        OrganizationMember.objects.filter(user=user)
        .annotate(kind=F("role"))
        .values_list("kind", "organization_id")
        .order_by()
    )
    coordinated = (
        User.coordinated_alliances.through.objects.filter(user=user)
        .annotate(kind=_kind("coordinator"))
        .values_list("kind", "alliance_id")
        .order_by()
    )
    alliances = (
        AllianceMembership.objects.filter(
            status=MembershipStatus.APPROVED, organization__members__user=user
        )
        .annotate(kind=_kind("alliance_member"))
        .values_list("kind", "alliance_id")
        .order_by()
    )
    initiatives = (
        InitiativeRole.objects.active()
        .focal_points()
        .filter(user=user)
        .annotate(kind=_kind("focal_point"))
        .values_list("kind", "initiative_id")
        .order_by()
    )
    ties: dict[str, set[int]] = {}
    for kind, pk in organizations.union(coordinated, alliances, initiatives, all=True):
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
