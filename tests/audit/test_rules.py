"""The audit log's one rule, for every persona of the policy table."""

import pytest

from tests.conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_csu_staff_read_the_audit_log(world, persona):
    assert world[persona].has_perm("audit.view_log") is (persona == "staff")


def test_staff_whose_account_is_inactive_do_not(world):
    world["staff"].is_active = False
    world["staff"].save()
    assert not world["staff"].has_perm("audit.view_log")
