"""Notifications inside the portal: the emails a person was sent, written for them, in a
list with read and unread, an unread count in the navigation, and "in the portal only"."""

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationStatus, Preferences
from notifications.services import notify
from tests.notifications.factories import NotificationFactory
from tests.stakeholders.factories import AllianceFactory, UserFactory

pytestmark = pytest.mark.django_db


def tell(person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[person],
            template="coordinator_appointed",
            context={"alliance": AllianceFactory(name="Kenya Civil Society Alliance")},
        )


def test_an_email_is_also_a_notification_read_in_the_portal(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    tell(person, mailoutbox, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    client.force_login(person)
    page = client.get("/").content.decode()
    assert 'rounded-pill">1<span class="visually-hidden"> unread' in page
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    notification = Notification.objects.get(recipient=person)
    assert notification.subject in inbox
    assert "New" in inbox
    detail = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert "also sent by email" in detail
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'rounded-pill">1<' not in client.get("/").content.decode()


def test_in_the_portal_only_writes_no_email(client, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    Preferences.objects.create(user=person, activity_emails=False)
    tell(person, mailoutbox, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    notification = Notification.objects.get(recipient=person)
    assert notification.status == NotificationStatus.SKIPPED
    client.force_login(person)
    detail = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert "in the portal only" in detail


def test_mark_all_read_and_others_notifications_are_not_found(client):
    person, other = UserFactory(), UserFactory()
    for n in range(3):
        NotificationFactory(recipient=person, dedupe_key=f"mine:{n}")
    theirs = NotificationFactory(recipient=other, dedupe_key="theirs")
    account = NotificationFactory(recipient=person, category="account", dedupe_key="reset")
    client.force_login(person)
    assert client.get(reverse("notifications:detail", args=[theirs.pk])).status_code == 404
    # Account emails (password reset links) stay in the mailbox.
    assert client.get(reverse("notifications:detail", args=[account.pk])).status_code == 404
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=person, category="activity", read_at=None)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_list_is_paginated_and_says_when_empty(client):
    person = UserFactory()
    client.force_login(person)
    assert "No notifications yet." in client.get(reverse("notifications:inbox")).content.decode()
    for n in range(30):
        NotificationFactory(recipient=person, dedupe_key=f"n:{n}", subject=f"Subject {n}")
    first = client.get(reverse("notifications:inbox")).content.decode()
    assert first.count('href="/notifications/') >= 25
    assert "Page 1 of 2" in first
