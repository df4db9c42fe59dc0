"""seed_scale builds the large synthetic dataset; here at a thousandth of its size."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from benchmarks.scale import COUNTS, SCALE_DOMAIN, ScaleDataset
from benchmarks.seed_scale import Command as SeedScale
from countries.models import CLOSED_STATUSES, Initiative
from events.models import SEAT_STATUSES, Event, Registration
from roadmaps.models import PROGRESS_AGREES_WITH_STATUS, Milestone, MilestoneUpdate, Roadmap
from stakeholders.models import (
    OPEN_MEMBERSHIP_STATUSES,
    AllianceMembership,
    InitiativeRole,
    Organization,
    RoleKind,
    User,
)

FACTOR = 0.001


@pytest.fixture
def scaled(db):
    call_command(SeedScale(), factor=FACTOR, stdout=open("/dev/null", "w"))  # noqa: SIM115


def expected(name: str) -> int:
    return max(1, round(COUNTS[name] * FACTOR))


def test_seed_scale_writes_every_count_scaled_down(scaled):
    assert Organization.objects.count() == expected("organizations")
    assert User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").count() == expected("people")
    assert AllianceMembership.objects.count() == expected("alliance_memberships")
    assert Milestone.objects.count() == expected("milestones")
    assert MilestoneUpdate.objects.count() == expected("updates")
    assert Event.objects.count() == expected("events")
    assert Registration.objects.count() == expected("registrations")
    assert Initiative.objects.count() >= 2
    assert Initiative.objects.filter(title__endswith="(synthetic)").count() == (
        Initiative.objects.count()
    )


def test_seed_scale_keeps_the_rules_the_database_does_not_enforce_everywhere(scaled):
    # One open initiative per country, one adopted roadmap per initiative, one active focal
    # point per initiative, one open membership per organization and alliance.
    assert not (
        Initiative.objects.exclude(status__in=CLOSED_STATUSES)
        .values("country")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not (
        Roadmap.objects.filter(status="adopted")
        .values("initiative")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not (
        InitiativeRole.objects.filter(role=RoleKind.FOCAL_POINT, active_until__isnull=True)
        .values("initiative")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not (
        AllianceMembership.objects.filter(status__in=OPEN_MEMBERSHIP_STATUSES)
        .values("alliance", "organization")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not Milestone.objects.exclude(PROGRESS_AGREES_WITH_STATUS).exists()
    # A milestone's last report says where it stands now.
    for milestone in Milestone.objects.filter(updates__isnull=False).distinct()[:20]:
        last = milestone.updates.order_by("-created_at", "-pk").first()
        assert (last.status_after, last.progress_after) == (milestone.status, milestone.progress)
    # Registrations never hold more seats than an event has.
    full = Event.objects.filter(capacity__isnull=False).annotate(
        seats=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
    )
    assert all(event.seats <= event.capacity for event in full)


def test_generated_people_cannot_sign_in_with_any_password(scaled):
    person = User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").first()
    assert not person.has_usable_password()


def test_seed_scale_refuses_to_run_twice(scaled):
    with pytest.raises(CommandError, match="already in this database"):
        call_command(SeedScale(), factor=FACTOR)


def test_the_same_seed_builds_the_same_rows(db):
    first = ScaleDataset(factor=FACTOR, log=lambda line: None)
    second = ScaleDataset(factor=FACTOR, log=lambda line: None)
    assert [first.rng.random() for _ in range(5)] == [second.rng.random() for _ in range(5)]
    first.build()
    names = list(Organization.objects.order_by("pk").values_list("name", "country__code"))
    assert names[0][0].endswith(" 1")
    assert len(set(names)) == len(names)


def test_a_factor_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="factor"):
        call_command(SeedScale(), factor=0)


def test_seed_scale_fills_the_columns_translated_text_is_read_from(scaled):
    # Pages and digests read a translated field from its language's column (title_en),
    # which COPY does not fill by itself.
    for model, field in [
        (Milestone, "title"),
        (Event, "title"),
        (Event, "description"),
        (Initiative, "summary"),
    ]:
        empty = Q(**{f"{field}_en": ""}) | Q(**{f"{field}_en__isnull": True})
        assert not model.objects.filter(empty).exclude(**{field: ""}).exists(), (model, field)
    milestone = Milestone.objects.first()
    assert milestone.title
