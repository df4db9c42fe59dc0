"""What keeps reminders and digests cheap at scale: nothing rendered twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Category, Notification, Preferences
from tests.events.factories import EventFactory
from tests.roadmaps.factories import MilestoneUpdateFactory, PriorityFactory
from tests.stakeholders.factories import UserFactory
from vpi_portal import digests
from vpi_portal.digests import digest_chunks, digests_build

pytestmark = pytest.mark.django_db


def test_a_repeated_notification_renders_only_for_people_not_yet_written_to(kenya_initiative):
    first, second = UserFactory(), UserFactory()
    arguments = {
        "template": "event_reminder",
        "context": {"event": EventFactory(initiative=kenya_initiative), "hours": 24, "url": "/"},
        "category": Category.REMINDERS,
        "dedupe_key": "event-reminder:1:24h:0",
    }
    services.notify(recipients=[first], **arguments)
    with mock.patch.object(services, "render_email", wraps=services.render_email) as render:
        written = services.notify(recipients=[first, second], **arguments)
    assert [row.recipient for row in written] == [second]
    assert [call.kwargs["recipient"] for call in render.call_args_list] == [second]
    assert Notification.objects.filter(dedupe_key__startswith="event-reminder:1:").count() == 2


def test_people_of_one_language_and_time_zone_share_each_country_section(world, outbox_delivery):
    priority = PriorityFactory(roadmap__initiative=world.kenya_initiative)
    MilestoneUpdateFactory(
        milestone__priority=priority,
        milestone__title="Referral mechanism drafted",
        created_at=timezone.now() - timedelta(days=1),
    )
    people = [UserFactory(preferred_language="en", time_zone="Africa/Nairobi") for _ in range(4)]
    for person in people:
        Preferences.objects.create(user=person).countries.add(world.kenya)
    with (
        mock.patch.object(digests, "render_to_string", wraps=digests.render_to_string) as render,
        outbox_delivery(),
    ):
        for ids in digest_chunks("weekly"):
            digests_build(frequency="weekly", user_ids=ids)
    news = [c for c in render.call_args_list if c.args[0] == "emails/digest_news.txt"]
    assert len(news) == 1  # one Kenya section, written for all four (and the world's people)
    bodies = [m.body for m in mail.outbox if m.to[0] in {p.email for p in people}]
    assert len(bodies) == 4
    assert all("Referral mechanism drafted" in body for body in bodies)
