from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What an email is about, and so what its unsubscribe link turns off."""

    ACCOUNT = "account", _("Account and security")  # sign-up, password reset: never turned off
    ACTIVITY = "activity", _("Decisions and activity")
    REMINDERS = "reminders", _("Event reminders and follow-up nudges")
    DIGESTS = "digests", _("Progress digests")


# What is also shown in the portal's list of notifications: decisions, activity, reminders.
# Account emails (links to reset a password) and digests stay in the mailbox only.
PORTAL_CATEGORIES = (Category.ACTIVITY, Category.REMINDERS)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("In the portal only (no email)")


class Notification(models.Model):
    """The outbox: one email to one person, written in the transaction of the change that
    causes it and delivered by a Celery task. The dedupe key is unique, so whatever writes
    the same notification twice (a retried task, a beat run repeated) writes it once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    to_email = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=60)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.ACTIVITY
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Read in the portal's list of notifications (notifications.views.inbox).
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # The delivery task and the sweep look for due pending rows and stale claims.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="notification_claimed_idx",
            ),
            # The staff's list of emails: newest first, by date.
            models.Index(fields=["created_at"], name="notification_created_idx"),
            # A person's notifications in the portal, newest first, and the unread count.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]
        constraints = [
            # A constraint rather than ``unique=True``: the same index, without the second
            # one for LIKE that PostgreSQL would get, which no query uses. Every email is
            # written once and updated twice, and each update writes every index again.
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key_unique"),
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values), name="notification_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.get_status_display()})"


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Off")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Preferences(models.Model):
    """What a person wants to receive. Created with defaults the first time it is needed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    activity_emails = models.BooleanField(
        _("decisions and activity by email"),
        default=True,
        help_text=_(
            "Decisions on your organizations and requests, assessments of progress you "
            "reported, changes to events you registered for. Unticked: in the portal only."
        ),
    )
    event_reminders = models.BooleanField(
        _("event reminders and nudges by email"),
        default=True,
        help_text=_(
            "Reminders before events and deadlines, and follow-up nudges for your roles. "
            "Unticked: in the portal only."
        ),
    )
    # Kinds of email (notifications.kinds.PORTAL_KINDS) the person reads in the portal only.
    portal_only = models.JSONField(
        _("in the portal only"),
        default=list,
        blank=True,
        help_text=_("These come to your notifications in the portal, and not by email."),
    )
    digest_frequency = models.CharField(
        _("progress digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    countries = models.ManyToManyField(
        "countries.Country",
        blank=True,
        related_name="followers",
        verbose_name=_("countries followed"),
        help_text=_("Digests cover these countries, besides those of your roles and alliance."),
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}"

    def wants(self, category: str, kind: str = "") -> bool:
        """Whether the person wants an email of this category (and kind)."""
        if category in PORTAL_CATEGORIES and kind in self.portal_only:
            return False
        if category == Category.ACTIVITY:
            return self.activity_emails
        if category == Category.REMINDERS:
            return self.event_reminders
        if category == Category.DIGESTS:
            return self.digest_frequency != DigestFrequency.OFF
        return True


def countries_followed_by(user: Any) -> list[Any]:
    """The codes of the countries a person follows (their preferences' ``countries``)."""
    return list(
        Preferences.countries.through.objects.filter(preferences__user=user).values_list(
            "country_id", flat=True
        )
    )


class Follow(models.Model):
    """A person follows a milestone or an event: its news reaches them as notifications
    (and emails, as their preferences say), for as long as they may see it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("person"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model} {self.object_id}"
