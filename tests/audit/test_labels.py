"""Every action the portal records has a label, and staff screens show labels, not codes."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from audit.actions import ACTION_LABELS, action_label
from audit.services import audit_record
from events.models import RegistrationStatus
from stakeholders.models import MembershipStatus, OrganizationStatus

pytestmark = pytest.mark.django_db

LITERAL = re.compile(r"""action=["']([a-z_]+\.[a-z_]+)["']""")


def recorded_actions() -> set[str]:
    """The codes written in the portal's code, and those it builds from a status."""
    found: set[str] = set()
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        parts = path.relative_to(settings.BASE_DIR).parts
        if parts[0] in {".venv", "tests", "node_modules", "benchmarks"} or "migrations" in parts:
            continue
        found |= set(LITERAL.findall(path.read_text()))
        found |= set(re.findall(r'"(organization\.member_(?:left|removed))"', path.read_text()))
    found |= {f"admin.{verb}" for verb in ("added", "changed", "deleted")}
    found |= {f"organization.{status}" for status in OrganizationStatus.values}
    found |= {
        f"alliance.membership_{status}"
        for status in MembershipStatus.values
        if status != MembershipStatus.REQUESTED
    }
    found |= {
        f"registration.{status}"
        for status in (
            RegistrationStatus.APPLIED,
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITLISTED,
        )
    }
    found |= {f"event.attendees_{purpose}" for purpose in ("viewed", "exported")}
    found |= {f"event.participants_{purpose}" for purpose in ("viewed", "exported")}
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert len(actions) > 80  # the scan found the code
    assert sorted(actions - set(ACTION_LABELS)) == []


def test_an_unknown_code_reads_as_words():
    assert action_label("roadmap.objection_withdrawn") == "Objection to a roadmap withdrawn"
    assert action_label("legacy.thing_done") == "Legacy: thing done"


def test_the_vetting_history_names_decisions_in_words(world, client_for):
    organization = world.organization
    audit_record(
        actor=world["staff"], action="organization.verified", target=organization, reason="Ok"
    )
    content = client_for("staff").get(f"/vetting/{organization.slug}/").content.decode()
    assert "<strong>Organization verified</strong>" in content
    assert "organization.verified" not in content
