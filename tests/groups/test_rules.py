"""Every rule of the working groups against every persona, for groups of each visibility,
with and without the Chatham House rule, in the persona's country and in another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import rules

from groups.models import GroupVisibility, Side
from tests.conftest import PERSONA_NAMES
from tests.groups.factories import GroupMemberFactory, WorkingGroupFactory
from tests.stakeholders.test_rules import EVERYONE, SIGNED_IN, STAFF_ONLY, expect

pytestmark = pytest.mark.django_db


def kenyan(visibility: str, *, chatham: bool = False, member: str | None = None):
    """A Kenyan group facilitated by someone outside the personas, with ``member`` (a
    persona) in it for civil society."""

    def build(world):
        group = WorkingGroupFactory(
            initiative=world.kenya_initiative, visibility=visibility, chatham_house=chatham
        )
        if member:
            GroupMemberFactory(
                group=group,
                user=world[member],
                side=Side.CIVIL_SOCIETY,
                organization=world.organization,
            )
        return group

    return build


def facilitated_by(persona: str):
    def build(world):
        return WorkingGroupFactory(
            initiative=world.kenya_initiative,
            visibility=GroupVisibility.MEMBERS,
            facilitator=world[persona],
        )

    return build


def pakistani(world):
    return WorkingGroupFactory(
        initiative=world.pakistan_initiative, visibility=GroupVisibility.MEMBERS
    )


def kenya_initiative(world):
    return world.kenya_initiative


PUBLIC, REGISTERED, MEMBERS = (
    GroupVisibility.PUBLIC,
    GroupVisibility.REGISTERED,
    GroupVisibility.MEMBERS,
)
DISCUSSION = "focal_point staff"

MATRIX: dict[str, dict[str, tuple[Callable[[Any], Any], dict[str, bool]]]] = {
    "groups.view_group": {
        "public summary": (kenyan(PUBLIC), expect(EVERYONE)),
        "registered people": (kenyan(REGISTERED), expect(SIGNED_IN)),
        "members only": (kenyan(MEMBERS), expect(DISCUSSION)),
        "members only, with a member": (
            kenyan(MEMBERS, member="org_admin"),
            expect("org_admin " + DISCUSSION),
        ),
        "members only, facilitated": (
            facilitated_by("coordinator"),
            expect("coordinator " + DISCUSSION),
        ),
        "another country's": (pakistani, expect("other_focal_point staff")),
    },
    "groups.view_discussion": {
        "public summary": (kenyan(PUBLIC), expect(DISCUSSION)),
        "with a member": (
            kenyan(REGISTERED, member="org_admin"),
            expect("org_admin " + DISCUSSION),
        ),
        "facilitated": (facilitated_by("coordinator"), expect("coordinator " + DISCUSSION)),
        "another country's": (pakistani, expect("other_focal_point staff")),
    },
    "groups.view_contributors": {
        "open": (kenyan(REGISTERED, member="org_admin"), expect("org_admin " + DISCUSSION)),
        "Chatham House": (
            kenyan(REGISTERED, chatham=True, member="org_admin"),
            expect("org_admin staff"),
        ),
    },
    "groups.manage_group": {
        "Kenyan": (kenyan(REGISTERED), expect(DISCUSSION)),
        "facilitated": (facilitated_by("coordinator"), expect("coordinator " + DISCUSSION)),
        "another country's": (pakistani, expect("other_focal_point staff")),
    },
    "groups.join_group": {
        "registered people": (kenyan(REGISTERED), expect("org_admin staff")),
        "already a member": (kenyan(REGISTERED, member="org_admin"), expect(STAFF_ONLY)),
        "members only": (kenyan(MEMBERS), expect(STAFF_ONLY)),
        "another country's": (pakistani, expect(STAFF_ONLY)),
    },
    "groups.post": {
        "with a member": (kenyan(REGISTERED, member="org_admin"), expect("org_admin staff")),
        "facilitated": (facilitated_by("focal_point"), expect("focal_point staff")),
    },
    "groups.moderate": {
        "facilitated": (facilitated_by("coordinator"), expect("coordinator staff")),
        "with a member": (kenyan(REGISTERED, member="org_admin"), expect(STAFF_ONLY)),
    },
    "groups.propose": {
        "with a member": (kenyan(REGISTERED, member="org_admin"), expect("org_admin staff")),
        "facilitated": (facilitated_by("focal_point"), expect("focal_point staff")),
    },
    "groups.vote": {
        "with a member": (kenyan(REGISTERED, member="org_admin"), expect("org_admin staff")),
        "facilitated, no member": (facilitated_by("focal_point"), expect(STAFF_ONLY)),
    },
    "groups.record_outcome": {
        "facilitated": (facilitated_by("coordinator"), expect("coordinator staff")),
        "with a member": (kenyan(REGISTERED, member="org_admin"), expect(STAFF_ONLY)),
    },
    "groups.add_group": {
        "Kenya's initiative": (kenya_initiative, expect(DISCUSSION)),
    },
}

CASES = [
    pytest.param(rule, case, persona, id=f"{rule.split('.')[1]}-{case}-{persona}")
    for rule, cases in MATRIX.items()
    for case in cases
    for persona in PERSONA_NAMES
]


@pytest.mark.parametrize(("rule", "case", "persona"), CASES)
def test_permission_matrix(world, rule, case, persona):
    build, allowed = MATRIX[rule][case]
    assert world[persona].has_perm(rule, build(world)) is allowed[persona]


def test_every_groups_rule_has_a_matrix():
    registered = {name for name in rules.permissions.permissions if name.startswith("groups.")}
    assert registered == set(MATRIX)
