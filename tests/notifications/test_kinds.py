"""Every kind of email has a label, and the outbox in the administration shows it."""

from pathlib import Path

import pytest
from django.conf import settings

from notifications.kinds import KIND_LABELS, kind_label
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_every_email_the_portal_sends_has_a_label():
    kinds = set()
    for path in Path(settings.BASE_DIR).rglob("templates/emails/*_subject.txt"):
        if ".venv" not in path.parts:
            kinds.add(path.name.removesuffix("_subject.txt"))
    assert len(kinds) > 30
    assert sorted(kinds - set(KIND_LABELS)) == []
    assert kind_label("some_new_kind") == "Some new kind"


def test_the_outbox_shows_kinds_in_words(client_for):
    NotificationFactory(kind="event_reminder")
    content = client_for("staff").get("/admin/notifications/notification/").content.decode()
    assert "Event reminder" in content
    assert ">event_reminder<" not in content
    NotificationFactory(kind="digest")
    filtered = client_for("staff").get("/admin/notifications/notification/?kind=digest")
    assert filtered.status_code == 200
    assert "Progress digest" in filtered.content.decode()
    assert "Event reminder</td>" not in filtered.content.decode()
