"""Progress digests: what changed in the initiatives a person follows, once per period."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.services import digest_chunks, digests_build
from notifications.models import Notification, Preferences
from roadmaps.models import Verdict
from stakeholders.models import MembershipStatus, OrganizationVisibility
from tests.roadmaps.factories import (
    AssessmentFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityFactory,
)
from tests.stakeholders.factories import AllianceMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya_follower(world):
    person = UserFactory(full_name="Kim Follower")
    Preferences.objects.create(user=person, digest_frequency="weekly").countries.add(world.kenya)
    return person


def report(world, title: str, days_ago: float = 1):
    if not hasattr(world, "priority"):
        world.priority = PriorityFactory(roadmap__initiative=world.kenya_initiative)
    milestone = MilestoneFactory(priority=world.priority, title=title)
    return MilestoneUpdateFactory(
        milestone=milestone, created_at=timezone.now() - timedelta(days=days_ago), progress_after=40
    )


def build(frequency="weekly"):
    return sum(digests_build(frequency=frequency, user_ids=ids) for ids in digest_chunks(frequency))


def test_a_weekly_digest_for_a_follower_of_kenya_lists_the_weeks_milestone_updates(
    world, kenya_follower, outbox_delivery
):
    report(world, "Anti-trafficking law tabled", days_ago=2)
    report(world, "Old news", days_ago=20)
    disputed = report(world, "Shelter opened", days_ago=1)
    AssessmentFactory(update=disputed, verdict=Verdict.DISPUTES)
    with outbox_delivery():
        build()
    mine = [m for m in mail.outbox if m.to == [kenya_follower.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert mine[0].subject == "[VPI Portal] Your weekly progress digest"
    assert "Kenya" in body
    assert "Anti-trafficking law tabled" in body
    assert "Shelter opened" in body
    assert "Disputed" in body
    assert "Old news" not in body
    assert "1 new assessment of reported progress (1 disputing it)" in body
    assert "/notifications/unsubscribe/" in body


def test_a_person_with_nothing_new_gets_no_digest(world, kenya_follower, outbox_delivery):
    pakistan_follower = UserFactory()
    Preferences.objects.create(user=pakistan_follower).countries.add(world.pakistan)
    report(world, "Kenyan news only")
    with outbox_delivery():
        build()
    assert pakistan_follower.email not in [m.to[0] for m in mail.outbox]
    assert kenya_follower.email in [m.to[0] for m in mail.outbox]


def test_the_same_period_is_digested_once_however_often_the_job_runs(
    world, kenya_follower, outbox_delivery
):
    report(world, "Something happened")
    with outbox_delivery():
        build()
        build()
    assert len([m for m in mail.outbox if m.to == [kenya_follower.email]]) == 1


def test_the_next_digest_starts_where_the_last_one_ended(world, kenya_follower, outbox_delivery):
    report(world, "First week", days_ago=3)
    with outbox_delivery():
        build()
    Notification.objects.all().delete()  # a new period
    mail.outbox.clear()
    with outbox_delivery():
        build()
    assert kenya_follower.email not in [m.to[0] for m in mail.outbox]


def test_alliance_members_and_focal_points_follow_their_countries_without_choosing(
    world, outbox_delivery
):
    report(world, "Followed through roles")
    with outbox_delivery():
        build()
    recipients = {m.to[0] for m in mail.outbox}
    assert {
        world["org_admin"].email,
        world["coordinator"].email,
        world["focal_point"].email,
    } <= recipients
    assert world["other_focal_point"].email not in recipients
    assert world["registered"].email not in recipients


def test_daily_digests_go_only_to_those_who_asked(world, kenya_follower, outbox_delivery):
    daily = UserFactory()
    Preferences.objects.create(user=daily, digest_frequency="daily").countries.add(world.kenya)
    report(world, "Today", days_ago=0.2)
    with outbox_delivery():
        build("daily")
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert mail.outbox[0].subject == "[VPI Portal] Your daily progress digest"


def test_new_alliance_members_are_counted_and_only_public_ones_named(
    world, kenya_follower, outbox_delivery
):
    for visibility in (OrganizationVisibility.PUBLIC, OrganizationVisibility.ALLIANCE):
        membership = AllianceMembershipFactory(
            alliance=world.kenya_alliance,
            status=MembershipStatus.APPROVED,
            organization__visibility=visibility,
            organization__name=f"{visibility.title()} Joiner",
        )
        membership.decided_at = timezone.now() - timedelta(days=1)
        membership.save()
    with outbox_delivery():
        build()
    body = next(m.body for m in mail.outbox if m.to == [kenya_follower.email])
    assert "2 organizations joined the alliance: Public Joiner." in body
    assert "Alliance Joiner" not in body


def test_a_chunk_costs_the_same_queries_for_10_and_for_60_people(world):
    report(world, "News for everyone")

    def queries_for(count: int) -> int:
        people = [UserFactory() for _ in range(count)]
        for person in people:
            Preferences.objects.create(user=person).countries.add(world.kenya)
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            digests_build(frequency="weekly", user_ids=[p.pk for p in people])
        return len(captured)

    assert queries_for(10) == queries_for(60)


def test_a_consultation_closed_early_is_never_listed_as_closing_soon(world, outbox_delivery):
    from consultations.models import ConsultationStatus
    from tests.consultations.factories import ConsultationFactory

    soon = timezone.now() + timedelta(days=3)
    long_ago = timezone.now() - timedelta(days=20)
    ConsultationFactory(
        initiative=world.kenya_initiative,
        title="Open and closing soon",
        deadline=soon,
        created_at=long_ago,
    )
    ConsultationFactory(
        initiative=world.kenya_initiative,
        title="Closed early, long ago",
        deadline=soon,
        created_at=long_ago,
        status=ConsultationStatus.CLOSED,
    )
    ConsultationFactory(
        initiative=world.kenya_initiative,
        title="Opened and closed this week",
        deadline=soon,
        created_at=timezone.now() - timedelta(days=2),
        status=ConsultationStatus.CLOSED,
    )
    with outbox_delivery():
        build()
    (digest,) = [m for m in mail.outbox if m.to == [world["org_admin"].email]]
    body = " ".join(digest.body.split())
    assert "Open and closing soon (deadline" in body
    assert "Closed early, long ago" not in body
    assert "Opened and closed this week (closed)" in body
