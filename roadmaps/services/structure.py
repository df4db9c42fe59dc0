"""A draft's priorities and milestones: created, edited, deleted, moved."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from audit.services import audit_record
from stakeholders.models import (
    Organization,
    Theme,
    User,
)

from ..models import (
    Milestone,
    MilestoneStatus,
    Priority,
    ProposedBy,
    Roadmap,
)
from .lifecycle import require_editable


def _next_order(queryset: QuerySet) -> int:
    return (queryset.aggregate(n=Max("order"))["n"] or 0) + 1


PRIORITY_FIELDS = {"title", "description", "instrument", "article", "proposed_by"}


@transaction.atomic
def priority_create(
    *,
    roadmap: Roadmap,
    actor: User,
    title: str,
    description: str = "",
    themes: Iterable[Theme] = (),
    instrument: str = "",
    article: str = "",
    proposed_by: str = ProposedBy.JOINT,
) -> Priority:
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    require_editable(roadmap)
    priority = Priority(
        roadmap=roadmap,
        title=title.strip(),
        description=description.strip(),
        instrument=instrument,
        article=article.strip(),
        proposed_by=proposed_by,
        order=_next_order(roadmap.priorities.all()),
    )
    priority.full_clean()
    priority.save()
    priority.themes.set(themes)
    audit_record(actor=actor, action="roadmap.priority_added", target=roadmap, priority=priority.pk)
    return priority


@transaction.atomic
def priority_edit(
    *, priority: Priority, actor: User, themes: Iterable[Theme] | None = None, **fields: Any
) -> Priority:
    require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    for name, value in fields.items():
        if name not in PRIORITY_FIELDS:
            raise ValueError(f"priority_edit cannot change {name}")
        setattr(priority, name, value.strip() if isinstance(value, str) else value)
    priority.full_clean()
    priority.save()
    if themes is not None:
        priority.themes.set(themes)
    audit_record(
        actor=actor, action="roadmap.priority_edited", target=priority.roadmap, priority=priority.pk
    )
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, actor: User) -> None:
    require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    audit_record(
        actor=actor,
        action="roadmap.priority_deleted",
        target=priority.roadmap,
        priority=priority.pk,
        title=priority.title,
    )
    priority.delete()


def _move(obj: models.Model, siblings: QuerySet, direction: str) -> bool:
    """Swap an item with its neighbour, renumbering the siblings 1..n first so that equal
    order values never leave a move without effect. False when nothing moved (the first
    item up, the last down, or no direction at all): then nothing is recorded either."""
    if direction not in ("up", "down"):
        return False
    items = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        item.order = position
    type(obj)._default_manager.bulk_update(items, ["order"])
    return True


@transaction.atomic
def priority_move(*, priority: Priority, actor: User, direction: str) -> None:
    require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    if not _move(priority, Priority.objects.filter(roadmap_id=priority.roadmap_id), direction):
        return
    audit_record(
        actor=actor,
        action="roadmap.priority_moved",
        target=priority.roadmap,
        priority=priority.pk,
        direction=direction,
    )


def check_status_and_progress(status: str, progress: Any) -> int:
    """Status and progress must agree (the database checks the same): a completed milestone
    is at 100 %, a milestone at 100 % is completed, one not started is at 0 %."""
    if status not in MilestoneStatus.values:
        raise ValidationError(_("Choose a status."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError(_("Progress is a whole percentage between 0 and 100.")) from None
    if not 0 <= progress <= 100:
        raise ValidationError(
            _("Progress is a percentage between 0 and 100; %(progress)s is not.")
            % {"progress": progress}
        )
    if status == MilestoneStatus.COMPLETED and progress != 100:
        raise ValidationError(
            _(
                "A completed milestone is at 100 %%, not %(progress)s %%. Set the progress to "
                "100 or choose another status."
            )
            % {"progress": progress}
        )
    if progress == 100 and status != MilestoneStatus.COMPLETED:
        raise ValidationError(
            _("At 100 %% the milestone is done: choose the status Completed.") % {}
        )
    if status == MilestoneStatus.NOT_STARTED and progress != 0:
        raise ValidationError(
            _("A milestone that has not started is at 0 %%. Choose In progress instead.") % {}
        )
    return progress


@transaction.atomic
def milestone_create(
    *,
    priority: Priority,
    actor: User,
    title: str,
    description: str = "",
    lead: str = "",
    lead_organizations: Iterable[Organization] = (),
    due_on: datetime.date | None = None,
    status: str = MilestoneStatus.NOT_STARTED,
    progress: int = 0,
) -> Milestone:
    """Add a milestone to a priority of a roadmap that is not adopted yet (an adopted
    version is frozen: raises ValidationError then). Other apps may call this, for example
    to turn an event's action item into a milestone; the caller checks that the actor may
    change the roadmap (``roadmaps.change_roadmap``)."""
    require_editable(Roadmap.objects.select_for_update().get(pk=priority.roadmap_id))
    progress = check_status_and_progress(status, progress)
    milestone = Milestone(
        priority=priority,
        title=title.strip(),
        description=description.strip(),
        lead=lead.strip(),
        due_on=due_on,
        status=status,
        progress=progress,
        order=_next_order(priority.milestones.all()),
    )
    milestone.full_clean()
    milestone.save()
    milestone.lead_organizations.set(lead_organizations)
    audit_record(
        actor=actor,
        action="roadmap.milestone_added",
        target=priority.roadmap,
        milestone=milestone.pk,
    )
    return milestone


MILESTONE_FIELDS = {"title", "description", "lead", "due_on", "status", "progress"}


@transaction.atomic
def milestone_edit(*, milestone: Milestone, actor: User, **fields: Any) -> Milestone:
    require_editable(Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id))
    lead_organizations = fields.pop("lead_organizations", None)
    for name, value in fields.items():
        if name not in MILESTONE_FIELDS:
            raise ValueError(f"milestone_edit cannot change {name}")
        setattr(milestone, name, value.strip() if isinstance(value, str) else value)
    milestone.progress = check_status_and_progress(milestone.status, milestone.progress)
    milestone.full_clean()
    milestone.save()
    if lead_organizations is not None:
        milestone.lead_organizations.set(lead_organizations)
    audit_record(
        actor=actor,
        action="roadmap.milestone_edited",
        target=milestone.priority.roadmap,
        milestone=milestone.pk,
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User) -> None:
    roadmap = Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id)
    require_editable(roadmap)
    audit_record(
        actor=actor,
        action="roadmap.milestone_deleted",
        target=roadmap,
        milestone=milestone.pk,
        title=milestone.title,
    )
    milestone.delete()


@transaction.atomic
def milestone_move(*, milestone: Milestone, actor: User, direction: str) -> None:
    roadmap = Roadmap.objects.select_for_update().get(pk=milestone.priority.roadmap_id)
    require_editable(roadmap)
    if not _move(milestone, Milestone.objects.filter(priority_id=milestone.priority_id), direction):
        return
    audit_record(
        actor=actor,
        action="roadmap.milestone_moved",
        target=roadmap,
        milestone=milestone.pk,
        direction=direction,
    )
