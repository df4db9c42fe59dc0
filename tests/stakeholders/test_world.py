import pytest

from stakeholders.models import Organization

pytestmark = pytest.mark.django_db


def test_the_persona_world_holds_the_roles_of_the_policy_table(world):
    assert world["org_admin"].has_perm("stakeholders.change_organization", world.organization)
    assert world["coordinator"].has_perm(
        "stakeholders.decide_alliance_membership", world.kenya_alliance
    )
    assert not world["other_focal_point"].has_perm(
        "stakeholders.decide_alliance_membership", world.kenya_alliance
    )
    assert world["staff"].has_perm("stakeholders.vet_organization", world.organization)
    assert not world["visitor"].has_perm("stakeholders.vet_organization", world.organization)
    assert Organization.objects.visible_to(world["visitor"]).count() == 1
