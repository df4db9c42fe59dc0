"""Reads that pages share: the roadmap with its derived figures, the country page's
summary and the CSU dashboard's cross-country figures. Each runs a fixed number of queries
whatever the number of milestones."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from countries.models import CLOSED_STATUSES, Country, Initiative
from stakeholders.models import Organization, User

from .models import (
    CLOSED_MILESTONE_STATUSES,
    Comment,
    Milestone,
    MilestoneQuerySet,
    MilestoneStatus,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
)

STALLED_AFTER_DAYS = 90
DASHBOARD_LIST_LIMIT = 50

NOT_CANCELLED = ~Q(status=MilestoneStatus.CANCELLED)


def current_initiative(country: Country, user: User | None) -> Initiative | None:
    """The initiative the country page shows: the open one, else the latest concluded."""
    return (
        country.initiatives.visible_to(user)
        .annotate(
            closed=Case(
                When(status__in=CLOSED_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "-launched_on", "-created_at")
        .first()
    )


def milestone_figures(milestones: QuerySet[Milestone], today: datetime.date) -> dict[str, Any]:
    """Counts by status, overdue count and average progress (cancelled ones left out), in
    one query."""
    counts = {f"count_{status}": Count("pk", filter=Q(status=status)) for status in MilestoneStatus}
    figures = milestones.aggregate(
        total=Count("pk"),
        counted=Count("pk", filter=NOT_CANCELLED),
        average=Avg("progress", filter=NOT_CANCELLED),
        overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(status__in=CLOSED_MILESTONE_STATUSES)),
        **counts,
    )
    figures["average"] = round(figures["average"] or 0)
    figures["by_status"] = [
        (status.value, status.label, figures[f"count_{status}"]) for status in MilestoneStatus
    ]
    return figures


@dataclass
class Leads:
    """Who leads a milestone, as one reader may learn it: the agency (free text), the
    leading organizations this reader may see, and how many others there are."""

    agency: str = ""
    organizations: list[Organization] = field(default_factory=list)
    others: int = 0

    def __bool__(self) -> bool:
        return bool(self.agency or self.organizations or self.others)

    def as_text(self) -> str:
        names = [self.agency] if self.agency else []
        names += [organization.name for organization in self.organizations]
        if self.others:
            names.append(
                ngettext(
                    "%(count)d other organization", "%(count)d other organizations", self.others
                )
                % {"count": self.others}
            )
        return "; ".join(names)


def attach_leads(milestones: Iterable[Milestone], reader: Any) -> None:
    """Give each milestone ``leads`` for this reader, in two queries for any number of
    milestones: an organization is named only where ``Organization.objects.visible_to``
    lets the reader see it; the others are counted."""
    milestones = list(milestones)
    pairs = list(
        Milestone.lead_organizations.through.objects.filter(
            milestone_id__in=[milestone.pk for milestone in milestones]
        ).values_list("milestone_id", "organization_id")
    )
    visible = (
        {
            organization.pk: organization
            for organization in Organization.objects.visible_to(reader)
            .filter(pk__in={organization_id for _, organization_id in pairs})
            .only("pk", "name", "slug")
        }
        if pairs
        else {}
    )
    led: dict[int, list[int]] = defaultdict(list)
    for milestone_id, organization_id in pairs:
        led[milestone_id].append(organization_id)
    for milestone in milestones:
        ids = led.get(milestone.pk, [])
        shown = sorted((visible[pk] for pk in ids if pk in visible), key=lambda o: o.name)
        milestone.leads = Leads(milestone.lead, shown, len(ids) - len(shown))


def roadmap_detail(roadmap: Roadmap, *, reader: Any, with_comments: bool) -> dict[str, Any]:
    """Everything the roadmap page shows, in a fixed number of queries."""
    today = timezone.localdate()
    milestones = (
        Milestone.objects.order_by("order", "pk")
        .only("priority_id", "title", "lead", "due_on", "status", "progress", "order")
        .annotate(comment_count=Count("comments", filter=Q(comments__hidden_at__isnull=True)))
    )
    priorities = list(
        roadmap.priorities.with_completion()
        .order_by("order", "pk")
        .prefetch_related("themes", Prefetch("milestones", queryset=milestones))
    )
    roadmap_comments: list[Comment] = []
    priority_comments: dict[int, list[Comment]] = defaultdict(list)
    if with_comments:
        for comment in roadmap.comments.filter(milestone__isnull=True).select_related(
            "author", "responded_by"
        ):
            if comment.priority_id:
                priority_comments[comment.priority_id].append(comment)
            else:
                roadmap_comments.append(comment)
    for priority in priorities:
        priority.comment_list = priority_comments.get(priority.pk, [])
        for milestone in priority.milestones.all():
            milestone.overdue = milestone.is_overdue(today)
    attach_leads((m for p in priorities for m in p.milestones.all()), reader)
    return {
        "priorities": priorities,
        "figures": milestone_figures(Milestone.objects.filter(priority__roadmap=roadmap), today),
        "roadmap_comments": roadmap_comments,
        "waiting_comments": sum(
            1
            for comment in [
                *roadmap_comments,
                *(c for cs in priority_comments.values() for c in cs),
            ]
            if comment.awaits_response
        ),
        "today": today,
    }


def country_roadmap_summary(*, initiative: Initiative, user: User | None) -> dict[str, Any]:
    """The roadmap summary on the country page: the adopted roadmap's overall progress and
    its priorities with their completion. Adds ``roadmap_section`` to the context."""
    roadmap = (
        Roadmap.objects.visible_to(user)
        .filter(initiative=initiative, status=RoadmapStatus.ADOPTED)
        .first()
    )
    section: dict[str, Any] = {"roadmap": roadmap, "initiative": initiative}
    if roadmap is not None:
        section["priorities"] = list(roadmap.priorities.with_completion().order_by("order", "pk"))
        section["figures"] = milestone_figures(
            Milestone.objects.filter(priority__roadmap=roadmap), timezone.localdate()
        )
    return {"roadmap_section": section}


# --- The CSU dashboard ------------------------------------------------------------------------


def adopted_milestones() -> MilestoneQuerySet:
    return Milestone.objects.filter(priority__roadmap__status=RoadmapStatus.ADOPTED)


def country_progress(today: datetime.date) -> Sequence[Roadmap]:
    """Each adopted roadmap with its milestone figures, in one query."""
    milestone = "priorities__milestones"
    not_cancelled = ~Q(**{f"{milestone}__status": MilestoneStatus.CANCELLED})
    counts = {
        f"count_{status}": Count(milestone, filter=Q(**{f"{milestone}__status": status}))
        for status in MilestoneStatus
    }
    roadmaps = (
        Roadmap.objects.filter(status=RoadmapStatus.ADOPTED)
        .select_related("initiative__country")
        .annotate(
            milestone_total=Count(milestone),
            average_progress=Avg(f"{milestone}__progress", filter=not_cancelled),
            overdue=Count(
                milestone,
                filter=Q(**{f"{milestone}__due_on__lt": today})
                & ~Q(**{f"{milestone}__status__in": CLOSED_MILESTONE_STATUSES}),
            ),
            **counts,
        )
    )
    rows = sorted(roadmaps, key=lambda r: str(r.initiative.country.name))
    for roadmap in rows:
        roadmap.average = round(roadmap.average_progress or 0)
        roadmap.by_status = [
            (status.value, status.label, getattr(roadmap, f"count_{status}"))
            for status in MilestoneStatus
        ]
    return rows


def theme_progress() -> dict[str, Any]:
    """Average progress per theme and country across adopted roadmaps, in one query."""
    rows = (
        adopted_milestones()
        .filter(NOT_CANCELLED, priority__themes__isnull=False)
        .values(
            "priority__themes__pk",
            "priority__themes__name",
            "priority__themes__order",
            "priority__roadmap__initiative__country__code",
        )
        .annotate(average=Avg("progress"), count=Count("pk"))
        .order_by("priority__themes__order", "priority__themes__name")
    )
    countries: set[str] = set()
    themes: dict[int, dict[str, Any]] = {}
    for row in rows:
        code = row["priority__roadmap__initiative__country__code"]
        countries.add(code)
        theme = themes.setdefault(
            row["priority__themes__pk"],
            {"name": row["priority__themes__name"], "by_country": {}},
        )
        theme["by_country"][code] = {"average": round(row["average"] or 0), "count": row["count"]}
    codes = sorted(countries)
    return {
        "countries": [Country(code=code) for code in codes],
        "themes": [
            {
                "name": theme["name"],
                "cells": [theme["by_country"].get(code) for code in codes],
            }
            for theme in themes.values()
        ],
    }


def with_context(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    return milestones.select_related("priority__roadmap__initiative__country")


def stalled_milestones(now: datetime.datetime) -> tuple[list[Milestone], int]:
    """Milestones under way (in progress or delayed) on adopted roadmaps with no update for
    STALLED_AFTER_DAYS days, counted from the adoption when there has been none. One not
    started yet is not stalled: when it is late, it shows among the overdue ones."""
    cutoff = now - datetime.timedelta(days=STALLED_AFTER_DAYS)
    # Asked per milestone of the (milestone, -created_at) index rather than by grouping
    # every report of every milestone: the same answer, in milliseconds at 500,000 reports.
    updates = MilestoneUpdate.objects.filter(milestone=OuterRef("pk"))
    stalled = (
        adopted_milestones()
        .filter(status__in=[MilestoneStatus.IN_PROGRESS, MilestoneStatus.DELAYED])
        .filter(~Exists(updates.filter(created_at__gte=cutoff)))
        .filter(Exists(updates) | Q(priority__roadmap__adopted_at__lt=cutoff))
    )
    latest = updates.order_by("-created_at").values("created_at")[:1]
    rows: list[Milestone] = list(
        with_context(stalled)
        .annotate(last_reported=Coalesce(Subquery(latest), "priority__roadmap__adopted_at"))
        .order_by("last_reported", "pk")[:DASHBOARD_LIST_LIMIT]
    )
    return rows, stalled.count()


def overdue_milestones(today: datetime.date) -> tuple[list[Milestone], int]:
    overdue = adopted_milestones().overdue(today)
    rows = list(with_context(overdue).order_by("due_on", "pk")[:DASHBOARD_LIST_LIMIT])
    return rows, overdue.count()
