"""Nudges to focal points about milestones of adopted roadmaps: due in 30 days, due within
a week, overdue, or without a progress report for 90 days. Each nudge is written once per
milestone and period (its dedupe key names both), however often the job runs."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from notifications.models import Category
from notifications.services import absolute_url, notify
from stakeholders.models import InitiativeRole, User

from .models import Milestone, RoadmapStatus

STALE_AFTER_DAYS = 90


def milestone_nudge_kind(
    milestone: Milestone, today: datetime.date, last_report: datetime.datetime
) -> str | None:
    if milestone.due_on is not None:
        days_left = (milestone.due_on - today).days
        if days_left < 0:
            return "overdue"
        if days_left <= 7:
            return "due7"
        if days_left <= 30:
            return "due30"
    if (timezone.now() - last_report).days >= STALE_AFTER_DAYS:
        return "stale"
    return None


def milestone_nudges_write(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    milestones = (
        Milestone.objects.open()
        .filter(priority__roadmap__status=RoadmapStatus.ADOPTED)
        .annotate(last_report=Coalesce(Max("updates__created_at"), "created_at"))
        .select_related("priority__roadmap__initiative__country")
    )
    focal_points: dict[int, list[User]] = {}
    for role in (
        InitiativeRole.objects.active()
        .focal_points()
        .select_related("user")
        .filter(user__is_active=True)
    ):
        focal_points.setdefault(role.initiative_id, []).append(role.user)
    written = 0
    for milestone in milestones:
        kind = milestone_nudge_kind(milestone, today, milestone.last_report)
        initiative = milestone.priority.roadmap.initiative
        recipients = focal_points.get(initiative.pk, [])
        if kind is None or not recipients:
            continue
        # The period a nudge covers: a due date, or the last report it is stale after.
        if kind == "stale":
            period = milestone.last_report.date().isoformat()
        else:
            assert milestone.due_on is not None  # the other kinds come from a due date
            period = milestone.due_on.isoformat()
        with transaction.atomic():
            written += len(
                notify(
                    recipients=recipients,
                    template="milestone_nudge",
                    context={
                        "milestone": milestone,
                        "initiative": initiative,
                        "kind": kind,
                        "url": absolute_url(milestone.get_absolute_url()),
                    },
                    category=Category.REMINDERS,
                    dedupe_key=f"milestone-{kind}:{milestone.pk}:{period}",
                )
            )
    return written
