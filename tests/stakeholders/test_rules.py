"""The permission matrix: every rule of stakeholders/rules.py for every persona of the
design's policy table, on the objects where the answer changes.

Kenya is the personas' "own" country (its alliance holds the org admin's organization and
is run by the coordinator); Pakistan is "other".
"""

from collections.abc import Callable
from typing import Any

import pytest
import rules

from countries.models import RiskLevel
from stakeholders.models import (
    MemberListVisibility,
    MemberRole,
    MembershipStatus,
    OrganizationStatus,
    OrganizationVisibility,
)
from tests.conftest import PERSONA_NAMES
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def expect(allowed: str) -> dict[str, bool]:
    """``expect("org_admin staff")``: those personas are allowed, the others refused."""
    names = set(allowed.split())
    assert names <= set(PERSONA_NAMES), names - set(PERSONA_NAMES)
    return {persona: persona in names for persona in PERSONA_NAMES}


EVERYONE = " ".join(PERSONA_NAMES)
SIGNED_IN = " ".join(name for name in PERSONA_NAMES if name != "visitor")
STAFF_ONLY = "staff"


# --- Objects the rules are asked about, built in the persona world -------------------------


def nothing(world) -> None:
    return None


def member_organization(world):
    """The org admin's verified, public organization, an approved member of Kenya's alliance."""
    return world.organization


def registered_only_organization(world):
    return OrganizationFactory(country=world.kenya, visibility=OrganizationVisibility.REGISTERED)


def alliance_only_fellow_member(world):
    """Another member of Kenya's alliance that shows itself to the alliance only."""
    return AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        organization__visibility=OrganizationVisibility.ALLIANCE,
    ).organization


def alliance_only_outsider(world):
    """Alliance-only, verified, in Kenya, but in no alliance."""
    return OrganizationFactory(country=world.kenya, visibility=OrganizationVisibility.ALLIANCE)


def alliance_only_asking_to_join(world):
    """Alliance-only, verified, asking to join Kenya's alliance: its coordinators decide."""
    return AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        status=MembershipStatus.REQUESTED,
        organization__visibility=OrganizationVisibility.ALLIANCE,
    ).organization


def own_pending_organization(world):
    organization = OrganizationFactory(
        country=world.kenya,
        status=OrganizationStatus.PENDING,
        visibility=OrganizationVisibility.PUBLIC,
    )
    OrganizationMemberFactory(
        user=world["org_admin"], organization=organization, role=MemberRole.ADMIN
    )
    return organization


def pending_requesting_organization(world):
    """A pending organization with an open request in Kenya's alliance (a data slip the
    coordinator still gets to see, since it is in their queue)."""
    return AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        status=MembershipStatus.REQUESTED,
        organization__status=OrganizationStatus.PENDING,
    ).organization


def other_country_organization(world):
    return OrganizationFactory(country=world.pakistan)


def own_organization_in_country_without_alliance(world):
    organization = OrganizationFactory(country=world.pakistan)
    OrganizationMemberFactory(
        user=world["org_admin"], organization=organization, role=MemberRole.ADMIN
    )
    return organization


def organization_where_admin_is_plain_member(world):
    organization = OrganizationFactory(country=world.kenya)
    OrganizationMemberFactory(
        user=world["org_admin"], organization=organization, role=MemberRole.MEMBER
    )
    return organization


def own_membership(world):
    return world.organization.alliance_memberships.get()


def other_organizations_membership(world):
    return AllianceMembershipFactory(
        alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED
    )


def kenya_alliance(world):
    return world.kenya_alliance


def pakistan_alliance(world):
    return AllianceFactory(country=world.pakistan)


def pakistan_alliance_listed_to_members(world):
    return AllianceFactory(
        country=world.pakistan, member_list_visibility=MemberListVisibility.MEMBERS
    )


def kenya_alliance_listed_to(visibility: str, risk: str = RiskLevel.STANDARD) -> Callable:
    def build(world):
        world.kenya.risk_level = risk
        world.kenya.save()
        world.kenya_alliance.member_list_visibility = visibility
        world.kenya_alliance.save()
        return world.kenya_alliance

    return build


def kenya_initiative(world):
    return world.kenya_initiative


def pakistan_initiative(world):
    return world.pakistan_initiative


# --- The policy table ----------------------------------------------------------------------
def pseudonymous_member(world):
    """A plain member, under a pseudonym, of the org admin's organization."""
    person = UserFactory(full_name="Legal Name", display_name="Sparrow")
    OrganizationMemberFactory(user=person, organization=world.organization)
    return person


def admin_of_member_organization(world):
    return world["org_admin"]


def someone_unrelated(world):
    return UserFactory()


# rule -> {case: (object builder, who is allowed)}

MATRIX: dict[str, dict[str, tuple[Callable[[Any], Any], dict[str, bool]]]] = {
    "stakeholders.view_organization": {
        "public verified": (member_organization, expect(EVERYONE)),
        "registered only": (registered_only_organization, expect(SIGNED_IN)),
        "alliance only, in own alliance": (
            alliance_only_fellow_member,
            expect("org_admin coordinator staff"),
        ),
        "alliance only, in no alliance": (alliance_only_outsider, expect(STAFF_ONLY)),
        "alliance only, asking to join": (
            alliance_only_asking_to_join,
            expect("coordinator staff"),
        ),
        "own, pending": (own_pending_organization, expect("org_admin staff")),
        "someone else's, pending": (pending_requesting_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.add_organization": {
        "no object": (nothing, expect(SIGNED_IN)),
    },
    "stakeholders.change_organization": {
        "own": (member_organization, expect("org_admin staff")),
        "where a plain member": (organization_where_admin_is_plain_member, expect(STAFF_ONLY)),
        "other country": (other_country_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.manage_organization_people": {
        "own": (member_organization, expect("org_admin staff")),
        "where a plain member": (organization_where_admin_is_plain_member, expect(STAFF_ONLY)),
        "other country": (other_country_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.view_organization_people": {
        "own, member of own alliance": (
            member_organization,
            expect("org_admin coordinator staff"),
        ),
        "requesting to join own alliance": (
            pending_requesting_organization,
            expect("coordinator staff"),
        ),
        "where a plain member": (
            organization_where_admin_is_plain_member,
            expect("org_admin staff"),
        ),
        "other country": (other_country_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.view_organization_contact": {
        "own, member of own alliance": (
            member_organization,
            expect("org_admin coordinator staff"),
        ),
        "requesting to join own alliance": (
            pending_requesting_organization,
            expect("coordinator staff"),
        ),
        "where a plain member": (organization_where_admin_is_plain_member, expect(STAFF_ONLY)),
        "other country": (other_country_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.vet_organization": {
        "own": (member_organization, expect(STAFF_ONLY)),
        "pending": (own_pending_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.view_vetting_queue": {
        "no object": (nothing, expect(STAFF_ONLY)),
    },
    "stakeholders.request_alliance_membership": {
        "own verified, own country": (member_organization, expect("org_admin staff")),
        "own, still pending": (own_pending_organization, expect(STAFF_ONLY)),
        "own, country without alliance": (
            own_organization_in_country_without_alliance,
            expect(STAFF_ONLY),
        ),
        "where a plain member": (organization_where_admin_is_plain_member, expect(STAFF_ONLY)),
        "other country": (other_country_organization, expect(STAFF_ONLY)),
    },
    "stakeholders.withdraw_alliance_membership": {
        "own organization's": (own_membership, expect("org_admin staff")),
        "another organization's": (other_organizations_membership, expect(STAFF_ONLY)),
    },
    "stakeholders.decide_alliance_membership": {
        "own alliance": (kenya_alliance, expect("coordinator staff")),
        "other country's alliance": (pakistan_alliance, expect(STAFF_ONLY)),
    },
    "stakeholders.view_alliance_member_contacts": {
        "own alliance": (kenya_alliance, expect("coordinator staff")),
        "other country's alliance": (pakistan_alliance, expect(STAFF_ONLY)),
    },
    "stakeholders.view_alliance_members": {
        "listed to anyone": (
            kenya_alliance_listed_to(MemberListVisibility.PUBLIC),
            expect(EVERYONE),
        ),
        "listed to registered people": (
            kenya_alliance_listed_to(MemberListVisibility.REGISTERED),
            expect(SIGNED_IN),
        ),
        "listed to members": (
            kenya_alliance_listed_to(MemberListVisibility.MEMBERS),
            expect("org_admin coordinator staff"),
        ),
        "listed to anyone, but the country is at high risk": (
            kenya_alliance_listed_to(MemberListVisibility.PUBLIC, RiskLevel.HIGH),
            expect("org_admin coordinator staff"),
        ),
        "listed to registered people, but the country is at elevated risk": (
            kenya_alliance_listed_to(MemberListVisibility.REGISTERED, RiskLevel.ELEVATED),
            expect("org_admin coordinator staff"),
        ),
        "other country's alliance, listed to members": (
            pakistan_alliance_listed_to_members,
            expect(STAFF_ONLY),
        ),
    },
    "stakeholders.manage_alliance": {
        "no object (create)": (nothing, expect(STAFF_ONLY)),
        "own alliance": (kenya_alliance, expect(STAFF_ONLY)),
    },
    "stakeholders.view_legal_name": {
        "a member behind a pseudonym": (pseudonymous_member, expect(STAFF_ONLY)),
        "oneself": (admin_of_member_organization, expect("org_admin staff")),
    },
    "stakeholders.view_person_contact": {
        "a member of an administered organization": (
            pseudonymous_member,
            expect("org_admin staff"),
        ),
        "the admin of an alliance member organization": (
            admin_of_member_organization,
            expect("org_admin coordinator staff"),
        ),
        "someone unrelated": (someone_unrelated, expect(STAFF_ONLY)),
    },
    "stakeholders.manage_initiative_roles": {
        "own initiative": (kenya_initiative, expect(STAFF_ONLY)),
        "other initiative": (pakistan_initiative, expect(STAFF_ONLY)),
    },
    "stakeholders.declare_participation": {
        "own initiative": (kenya_initiative, expect("focal_point staff")),
        "other initiative": (pakistan_initiative, expect("other_focal_point staff")),
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
    obj = build(world)
    assert world[persona].has_perm(rule, obj) is allowed[persona]


def test_every_stakeholders_rule_has_a_matrix():
    registered = {
        name for name in rules.permissions.permissions if name.startswith("stakeholders.")
    }
    assert registered - set(MATRIX) == set(), "rules without a matrix entry"
    assert set(MATRIX) - registered == set(), "matrix entries for rules that do not exist"


def test_inactive_staff_hold_no_permission(world):
    world["staff"].is_active = False
    world["staff"].save()
    assert not world["staff"].has_perm("stakeholders.manage_alliance")
    assert not world["staff"].has_perm(
        "stakeholders.decide_alliance_membership", world.kenya_alliance
    )


def test_the_coordinators_find_an_alliance_only_organization_asking_to_join(world):
    """The directory's queryset answers as the rule does."""
    from stakeholders.models import Organization

    asking = alliance_only_asking_to_join(world)
    for persona in PERSONA_NAMES:
        person = world[persona]
        listed = Organization.objects.visible_to(person).filter(pk=asking.pk).exists()
        assert listed == person.has_perm("stakeholders.view_organization", asking), persona
