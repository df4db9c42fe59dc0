"""What keeps reminders and digests cheap at scale: nothing rendered twice."""

from unittest import mock

import pytest

from notifications import services
from notifications.models import Category, Notification
from tests.events.factories import EventFactory
from tests.stakeholders.factories import UserFactory

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
