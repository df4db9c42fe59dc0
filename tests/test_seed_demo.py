import pytest
from django.core.management import CommandError, call_command

from consultations.models import Consultation, ConsultationInput
from countries.models import Country, Initiative
from events.models import ActionItem, AgendaItem, Event, Registration
from roadmaps.models import (
    Assessment,
    Comment,
    Evidence,
    Milestone,
    MilestoneUpdate,
    Priority,
    Roadmap,
)
from stakeholders.models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    User,
)

pytestmark = pytest.mark.django_db


SEEDED = [
    Roadmap,
    Priority,
    Milestone,
    MilestoneUpdate,
    Evidence,
    Assessment,
    Comment,
    Consultation,
    ConsultationInput,
    Event,
    AgendaItem,
    Registration,
    ActionItem,
    Country,
    Initiative,
    User,
    Alliance,
    Organization,
    OrganizationMember,
    AllianceMembership,
    InitiativeRole,
]


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in SEEDED]


def test_seed_demo_loads_the_four_vpi_countries_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first

    codes = {country.code.code for country in Country.objects.all()}
    assert codes == {"MX", "PK", "KE", "AO"}
    assert Initiative.objects.get(country__code="MX").launched_on.year == 2022
    assert Initiative.objects.get(country__code="KE").launched_on.year == 2023
    staff = User.objects.get(email="csu@vpi.example")
    assert staff.is_staff
    assert staff.check_password("vpi-demo-2026")


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_the_demo_is_visible_to_visitors(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    content = client.get("/").content.decode()
    for name in ("Mexico", "Pakistan", "Kenya", "Angola"):
        assert name in content


def test_seed_demo_covers_every_state_of_organizations_and_memberships(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert set(Organization.objects.values_list("status", flat=True)) == set(
        OrganizationStatus.values
    )
    assert set(AllianceMembership.objects.values_list("status", flat=True)) >= {
        MembershipStatus.APPROVED,
        MembershipStatus.REQUESTED,
        MembershipStatus.DECLINED,
        MembershipStatus.REMOVED,
    }
    pakistan = Alliance.objects.get(country__code="PK")
    assert 45 <= pakistan.memberships.filter(status=MembershipStatus.APPROVED).count() <= 55
    kenya = Alliance.objects.get(country__code="KE")
    assert kenya.coordinators.filter(email="coordinator@vpi.example").exists()
    focal = InitiativeRole.objects.get(user__email="focal.ke@vpi.example")
    assert focal.initiative.country.code == "KE"
    assert focal.shown_publicly
