"""Event reminders, deadline reminders and nudges: due at the right time, once each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import EventStatus, RegistrationStatus
from events.reminders import deadline_reminders_write, event_reminders_write
from notifications.models import Notification, Preferences
from roadmaps.reminders import milestone_nudges_write
from stakeholders.models import MembershipStatus
from stakeholders.reminders import membership_nudges_write
from tests.events.factories import EventFactory, RegistrationFactory
from tests.roadmaps.factories import MilestoneFactory, MilestoneUpdateFactory, PriorityFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)


def test_an_event_23_hours_away_gets_exactly_one_24_hour_reminder(
    outbox_delivery, kenya_initiative
):
    event = EventFactory(initiative=kenya_initiative, starts_at=in_hours(23), ends_at=in_hours(25))
    registration = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    with outbox_delivery():
        for _ in range(3):  # beat runs every five minutes: however often, one reminder
            event_reminders_write()
    assert [message.to for message in mail.outbox] == [[registration.user.email]]
    message = mail.outbox[0]
    assert "Starting within a day" in message.subject
    assert event.title in message.subject
    assert event.get_absolute_url() in message.body
    # The online link stays on the page, behind sign-in.
    assert event.online_link not in message.body
    assert Notification.objects.get().dedupe_key.startswith(f"event-reminder:{event.pk}:24h:")


def test_an_event_six_days_away_gets_the_seven_day_reminder_then_the_24_hour_one(
    outbox_delivery, kenya_initiative
):
    event = EventFactory(
        initiative=kenya_initiative, starts_at=in_hours(6 * 24), ends_at=in_hours(6 * 24 + 2)
    )
    RegistrationFactory(event=event)
    with outbox_delivery():
        event_reminders_write()
        event_reminders_write(now=event.starts_at - timedelta(hours=20))
    assert [("next week" in m.subject, "within a day" in m.subject) for m in mail.outbox] == [
        (True, False),
        (False, True),
    ]


def test_a_rescheduled_event_gets_reminders_for_its_new_time(outbox_delivery, kenya_initiative):
    event = EventFactory(initiative=kenya_initiative, starts_at=in_hours(20), ends_at=in_hours(22))
    RegistrationFactory(event=event)
    with outbox_delivery():
        event_reminders_write()
        event.starts_at, event.ends_at, event.status = (
            in_hours(30),
            in_hours(32),
            EventStatus.POSTPONED,
        )
        event.save()
        event_reminders_write(now=event.starts_at - timedelta(hours=10))
    assert len(mail.outbox) == 2
    assert "rescheduled" in mail.outbox[1].body


def test_a_cancelled_event_gets_no_reminder(outbox_delivery, kenya_initiative):
    event = EventFactory(
        initiative=kenya_initiative,
        starts_at=in_hours(20),
        ends_at=in_hours(22),
        status=EventStatus.CANCELLED,
    )
    RegistrationFactory(event=event)
    with outbox_delivery():
        event_reminders_write()
    assert mail.outbox == []


def test_people_who_turned_reminders_off_get_none(outbox_delivery, kenya_initiative):
    event = EventFactory(initiative=kenya_initiative, starts_at=in_hours(20), ends_at=in_hours(22))
    registration = RegistrationFactory(event=event)
    Preferences.objects.create(user=registration.user, event_reminders=False)
    with outbox_delivery():
        event_reminders_write()
    assert mail.outbox == []


def test_followers_hear_that_registration_closes_soon_unless_registered(
    outbox_delivery, kenya_initiative
):
    kenya = kenya_initiative.country
    event = EventFactory(
        initiative=kenya_initiative,
        registration_closes_at=in_hours(30),
        starts_at=in_hours(24 * 5),
        ends_at=in_hours(24 * 5 + 2),
    )
    follower, registered = UserFactory(), UserFactory()
    for person in (follower, registered):
        Preferences.objects.create(user=person).countries.add(kenya)
    RegistrationFactory(event=event, user=registered)
    with outbox_delivery():
        deadline_reminders_write()
        deadline_reminders_write()
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Registration closes soon" in mail.outbox[0].subject


def test_focal_points_are_nudged_once_per_milestone_and_period(world, outbox_delivery):
    priority = PriorityFactory(roadmap__initiative=world.kenya_initiative)
    today = timezone.localdate()
    soon = MilestoneFactory(
        priority=priority, due_on=today + timedelta(days=5), title="Referral law"
    )
    month = MilestoneFactory(
        priority=priority, due_on=today + timedelta(days=25), title="Training plan"
    )
    late = MilestoneFactory(
        priority=priority, due_on=today - timedelta(days=3), title="Data report"
    )
    fine = MilestoneFactory(priority=priority, due_on=today + timedelta(days=200), title="Fine one")
    MilestoneUpdateFactory(milestone=fine)
    with outbox_delivery():
        milestone_nudges_write()
        milestone_nudges_write()
    subjects = sorted(message.subject for message in mail.outbox)
    assert all(message.to == [world["focal_point"].email] for message in mail.outbox)
    assert subjects == sorted(
        [
            f"[VPI Portal] Milestone due within a week: {soon.title}",
            f"[VPI Portal] Milestone due within a month: {month.title}",
            f"[VPI Portal] Overdue milestone: {late.title}",
        ]
    )


def test_a_milestone_without_a_report_for_90_days_is_nudged(world, outbox_delivery):
    milestone = MilestoneFactory(
        priority__roadmap__initiative=world.kenya_initiative, due_on=None, title="Quiet milestone"
    )
    MilestoneUpdateFactory(milestone=milestone, created_at=timezone.now() - timedelta(days=95))
    with outbox_delivery():
        milestone_nudges_write()
    assert [m.subject for m in mail.outbox] == [
        "[VPI Portal] No progress reported for 90 days: Quiet milestone"
    ]


def test_coordinators_are_nudged_weekly_about_requests_waiting_over_a_week(world, outbox_delivery):
    from tests.stakeholders.factories import AllianceMembershipFactory

    waiting = AllianceMembershipFactory(
        alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED
    )
    waiting.requested_at = timezone.now() - timedelta(days=9)
    waiting.save()
    AllianceMembershipFactory(alliance=world.kenya_alliance, status=MembershipStatus.REQUESTED)
    with outbox_delivery():
        membership_nudges_write()
        membership_nudges_write()
    assert [m.to for m in mail.outbox] == [[world["coordinator"].email]]
    assert waiting.organization.name in mail.outbox[0].subject
    # A week later: the first request again, and the second, now waiting for a week too.
    with outbox_delivery():
        membership_nudges_write(now=timezone.now() + timedelta(days=7, minutes=1))
    assert len(mail.outbox) == 3


def test_the_reminders_command_runs_every_job(world, outbox_delivery):
    event = EventFactory(
        initiative=world.kenya_initiative, starts_at=in_hours(20), ends_at=in_hours(22)
    )
    RegistrationFactory(event=event)
    with outbox_delivery():
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
