"""A person's standing, the ties every permission rule reads: exactly the person's own
current ties, of each kind, and nothing of anyone else's."""

import datetime

import pytest

from countries.models import Country
from stakeholders.models import MemberRole, MembershipStatus, RoleKind
from stakeholders.standing import (
    Standing,
    load_standing,
    load_standings,
    preload_standings,
    standing_of,
)
from tests.countries.factories import InitiativeFactory
from tests.stakeholders.factories import (
    AllianceFactory,
    AllianceMembershipFactory,
    InitiativeRoleFactory,
    OrganizationFactory,
    OrganizationMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def country(code: str) -> Country:
    return Country.objects.get_or_create(code=code, defaults={"un_regional_group": "african"})[0]


def test_the_standing_holds_each_kind_of_tie_and_only_current_ones():
    person, someone_else = UserFactory(), UserFactory()
    kenya, ghana, peru, chile = (
        AllianceFactory(country=country(c)) for c in ["KE", "GH", "PE", "CL"]
    )
    administered = OrganizationFactory(country=kenya.country)
    member_of = OrganizationFactory(country=ghana.country)
    OrganizationMemberFactory(user=person, organization=administered, role=MemberRole.ADMIN)
    OrganizationMemberFactory(user=person, organization=member_of, role=MemberRole.MEMBER)
    AllianceMembershipFactory(alliance=kenya, organization=administered)
    AllianceMembershipFactory(alliance=ghana, organization=member_of)
    requested = OrganizationFactory(country=peru.country)
    OrganizationMemberFactory(user=person, organization=requested)
    AllianceMembershipFactory(
        alliance=peru, organization=requested, status=MembershipStatus.REQUESTED
    )
    chile.coordinators.add(person)
    focal, alternate, former, followed = (InitiativeFactory() for _ in range(4))
    InitiativeRoleFactory(user=person, initiative=focal, role=RoleKind.FOCAL_POINT)
    InitiativeRoleFactory(user=person, initiative=alternate, role=RoleKind.ALTERNATE_FOCAL_POINT)
    InitiativeRoleFactory(
        user=person,
        initiative=former,
        role=RoleKind.ALTERNATE_FOCAL_POINT,
        active_from=datetime.date(2023, 1, 1),
        active_until=datetime.date(2024, 1, 1),
    )
    InitiativeRoleFactory(user=person, initiative=followed, role=RoleKind.CSU_OFFICER)
    # Someone else's ties, on the same organizations and alliances, change nothing.
    OrganizationMemberFactory(user=someone_else, organization=OrganizationFactory())
    peru.coordinators.add(someone_else)
    InitiativeRoleFactory(user=someone_else, initiative=InitiativeFactory())

    assert load_standing(person) == Standing(
        organizations=frozenset({administered.pk, member_of.pk, requested.pk}),
        administered_organizations=frozenset({administered.pk}),
        coordinated_alliances=frozenset({chile.pk}),
        member_alliances=frozenset({kenya.pk, ghana.pk}),
        focal_point_initiatives=frozenset({focal.pk, alternate.pk}),
        verified_organization_countries=frozenset(
            {kenya.country_id, ghana.country_id, peru.country_id}
        ),
    )
    # Many people at once read the same as each alone.
    assert load_standings([person.pk, someone_else.pk]) == {
        person.pk: load_standing(person),
        someone_else.pk: load_standing(someone_else),
    }


def test_a_person_without_ties_and_a_visitor_stand_nowhere(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(1):
        assert load_standing(UserFactory.build(pk=987654)) == Standing()
    with django_assert_num_queries(0):
        assert standing_of(AnonymousUser()) == Standing()


def test_the_standing_is_read_once_per_user_object_and_anew_for_a_fresh_one(
    django_assert_num_queries,
):
    person = UserFactory()
    with django_assert_num_queries(1):
        assert standing_of(person) == Standing()
        assert standing_of(person) == Standing()
    organization = OrganizationFactory()
    OrganizationMemberFactory(user=person, organization=organization, role=MemberRole.ADMIN)
    # Kept for the object's life, as Django keeps permissions on it ...
    assert standing_of(person) == Standing()
    # ... and read again for the next request's (a new object).
    fresh = type(person).objects.get(pk=person.pk)
    assert standing_of(fresh).administered_organizations == frozenset({organization.pk})


def test_the_standings_of_many_people_cost_one_query_whatever_their_number(
    django_assert_num_queries,
):
    people = UserFactory.create_batch(5)
    for person in people:
        OrganizationMemberFactory(user=person)
    with django_assert_num_queries(1):
        preload_standings(people)
    with django_assert_num_queries(0):
        assert all(len(standing_of(person).organizations) == 1 for person in people)
