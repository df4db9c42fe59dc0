"""A person keeps a kind of news in the portal only: it comes to their notifications and
not by email; other kinds of the same category still come by email."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from notifications.kinds import PORTAL_KINDS
from notifications.models import Category, Notification, NotificationStatus, Preferences
from notifications.services import notify

pytestmark = pytest.mark.django_db

# Emails only: about the account (allauth's), an invitation to an address that may have no
# account yet, and the digest (itself a summary of what the portal shows).
MAIL_ONLY = {
    "email_confirmation",
    "email_confirmation_signup",
    "password_reset_key",
    "unknown_account",
    "account_already_exists",
    "password_changed",
    "password_set",
    "email_changed",
    "email_confirm",
    "email_deleted",
    "password_reset",
    "password_reset_code",
    "login_code",
    "totp_activated",
    "totp_deactivated",
    "recovery_codes_generated",
    "webauthn_added",
    "webauthn_removed",
    "invitation",
    "digest",
}


def test_every_kind_of_news_may_be_kept_in_the_portal_only():
    kinds = {
        path.name.removesuffix("_subject.txt")
        for path in Path(settings.BASE_DIR).rglob("templates/emails/*_subject.txt")
        if ".venv" not in path.parts
    }
    assert sorted(kinds - MAIL_ONLY - PORTAL_KINDS) == []
    assert sorted(PORTAL_KINDS - kinds) == []


def test_a_kind_chosen_in_the_portal_only_is_not_emailed(world, client_for, outbox_delivery):
    client = client_for("coordinator")
    page = client.get("/accounts/notifications/").content.decode()
    assert "In the portal only, not by email" in page
    assert "Roadmaps and consultations" in page
    assert "Comment on a roadmap" in page
    response = client.post(
        "/accounts/notifications/",
        {
            "activity_emails": "on",
            "event_reminders": "on",
            "digest_frequency": "weekly",
            "portal_only": ["roadmaps_comment_posted", "event_reminder"],
        },
        follow=True,
    )
    assert "Your email preferences have been saved." in response.content.decode()
    person = world["coordinator"]
    assert Preferences.objects.get(user=person).portal_only == [
        "roadmaps_comment_posted",
        "event_reminder",
    ]
    context = {
        "milestone": None,
        "comment": None,
        "roadmap": None,
        "url": "https://portal.example.org/",
        "country": "Kenya",
    }
    with outbox_delivery():
        notify(recipients=[person], template="roadmaps_comment_posted", context=context)
        notify(recipients=[person], template="roadmaps_roadmap_adopted", context=context)
    kept = Notification.objects.get(recipient=person, kind="roadmaps_comment_posted")
    assert kept.status == NotificationStatus.SKIPPED
    sent = Notification.objects.get(recipient=person, kind="roadmaps_roadmap_adopted")
    assert sent.status == NotificationStatus.SENT
    assert [message.subject for message in mail.outbox] == [sent.subject]
    inbox = client.get("/notifications/").content.decode()
    assert kept.subject in inbox
    assert sent.subject in inbox


def test_an_unknown_kind_is_refused_and_nothing_is_saved(world, client_for):
    client = client_for("registered")
    response = client.post(
        "/accounts/notifications/",
        {"digest_frequency": "weekly", "portal_only": ["password_reset_key"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preferences.objects.filter(user=world["registered"], portal_only__len=1).exists()


def test_the_choice_applies_to_news_only_never_to_account_emails():
    preferences = Preferences(portal_only=["password_reset_key"])
    assert preferences.wants(Category.ACCOUNT, "password_reset_key")
    assert not Preferences(portal_only=["event_reminder"]).wants(
        Category.REMINDERS, "event_reminder"
    )
