"""Nudges to alliance coordinators about membership requests waiting for over a week: at
most one a week per request."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Category
from notifications.services import absolute_url, notify

from .models import AllianceMembership, MembershipStatus

WAITING_DAYS = 7


def membership_nudges_write(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    year, week, _ = now.isocalendar()
    waiting = (
        AllianceMembership.objects.filter(
            status=MembershipStatus.REQUESTED, requested_at__lt=now - timedelta(days=WAITING_DAYS)
        )
        .select_related("alliance__country", "organization")
        .prefetch_related("alliance__coordinators")
    )
    written = 0
    for membership in waiting:
        alliance = membership.alliance
        url = absolute_url(
            reverse("stakeholders:alliance_requests", kwargs={"code": alliance.country.slug})
        )
        with transaction.atomic():
            written += len(
                notify(
                    recipients=alliance.coordinators.all(),
                    template="membership_waiting",
                    context={
                        "membership": membership,
                        "alliance": alliance,
                        "organization": membership.organization,
                        "days": (now - membership.requested_at).days,
                        "url": url,
                    },
                    category=Category.REMINDERS,
                    dedupe_key=f"membership-waiting:{membership.pk}:{year}-W{week:02d}",
                )
            )
    return written
