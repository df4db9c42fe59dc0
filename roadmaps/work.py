"""What waits for a person in the roadmaps' rooms.

The initiative's side (its focal points; CSU staff across countries): comments and
assessments awaiting a response, milestones due within a month or overdue. Civil society
(the people of an alliance's organizations): progress reported in the last month that
their organization has not yet confirmed or disputed, and draft roadmaps open for comments.
Everyone: new progress in the countries, roadmaps and milestones they follow.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.work import Link, WorkItem, work_item
from notifications.models import countries_followed_by
from notifications.services import followed_ids
from stakeholders.models import User
from stakeholders.standing import Standing

from .models import (
    Assessment,
    Comment,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    Roadmap,
    RoadmapStatus,
    Verdict,
)

DUE_WITHIN = datetime.timedelta(days=30)
RECENT = datetime.timedelta(days=30)
NEWS = datetime.timedelta(days=14)


def _initiative_side(user: User, standing: Standing, field: str) -> Q | None:
    """The condition on ``field`` (an initiative) for what the person answers for."""
    if user.is_staff:
        return Q()
    if standing.focal_point_initiatives:
        return Q(**{f"{field}__in": standing.focal_point_initiatives})
    return None


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    items: list[WorkItem | None] = []
    today = timezone.localdate()
    comments = _initiative_side(user, standing, "roadmap__initiative")
    if comments is not None:
        items.append(
            work_item(
                _("Comments awaiting your response"),
                Comment.objects.filter(comments, responded_at=None, hidden_at=None)
                .select_related("roadmap__initiative__country", "milestone")
                .order_by("created_at"),
                lambda comment: Link(
                    Truncator(comment.body).chars(80),
                    comment.get_absolute_url(),
                    str(comment.roadmap.initiative.country.name),
                ),
            )
        )
        items.append(
            work_item(
                _("Assessments of progress awaiting your response"),
                Assessment.objects.filter(
                    _initiative_side(
                        user, standing, "update__milestone__priority__roadmap__initiative"
                    ),
                    responded_at=None,
                )
                # A confirmation needs no answer: only what disputes the report, in part or whole.
                .exclude(verdict=Verdict.CONFIRMS)
                .select_related("update__milestone")
                .order_by("created_at"),
                lambda assessment: Link(
                    assessment.update.milestone.title,
                    assessment.update.get_absolute_url(),
                    assessment.get_verdict_display(),
                ),
            )
        )
        items.append(
            work_item(
                _("Milestones due within a month or overdue"),
                Milestone.objects.filter(
                    _initiative_side(user, standing, "priority__roadmap__initiative"),
                    priority__roadmap__status=RoadmapStatus.ADOPTED,
                    due_on__lte=today + DUE_WITHIN,
                )
                .exclude(status__in=[MilestoneStatus.COMPLETED, MilestoneStatus.CANCELLED])
                .order_by("due_on", "pk"),
                lambda milestone: Link(
                    milestone.title,
                    milestone.get_absolute_url(),
                    date_format(milestone.due_on, "DATE_FORMAT"),
                ),
            )
        )
    alliances = standing.member_alliances | standing.coordinated_alliances
    if standing.member_alliances and standing.organizations:
        assessed = Assessment.objects.filter(
            update=OuterRef("pk"), organization__in=standing.organizations
        )
        items.append(
            work_item(
                _("Progress reports to confirm or dispute"),
                MilestoneUpdate.objects.filter(
                    milestone__priority__roadmap__status=RoadmapStatus.ADOPTED,
                    milestone__priority__roadmap__initiative__country__alliance__in=(
                        standing.member_alliances
                    ),
                    created_at__gte=timezone.now() - RECENT,
                )
                .exclude(Exists(assessed))
                .select_related("milestone")
                .order_by("-created_at"),
                lambda update: Link(
                    update.milestone.title,
                    update.get_absolute_url(),
                    date_format(timezone.localtime(update.created_at), "DATE_FORMAT"),
                ),
            )
        )
    if alliances:
        items.append(
            work_item(
                _("Draft roadmaps open for your comments"),
                Roadmap.objects.filter(
                    status=RoadmapStatus.CONSULTATION,
                    initiative__country__alliance__in=alliances,
                )
                .select_related("initiative__country")
                .order_by("consultation_closes_on"),
                lambda roadmap: Link(
                    roadmap.title or str(roadmap.initiative.country.name),
                    roadmap.get_absolute_url(),
                    _("until %(date)s")
                    % {"date": date_format(roadmap.consultation_closes_on, "DATE_FORMAT")}
                    if roadmap.consultation_closes_on
                    else "",
                ),
            )
        )
    followed = countries_followed_by(user)
    if followed:
        items.append(
            work_item(
                _("New progress in the countries you follow"),
                MilestoneUpdate.objects.filter(
                    milestone__in=Milestone.objects.visible_to(user),
                    milestone__priority__roadmap__status=RoadmapStatus.ADOPTED,
                    milestone__priority__roadmap__initiative__country__in=followed,
                    created_at__gte=timezone.now() - NEWS,
                )
                .select_related("milestone__priority__roadmap__initiative__country")
                .order_by("-created_at"),
                lambda update: Link(
                    update.milestone.title,
                    update.get_absolute_url(),
                    str(update.milestone.priority.roadmap.initiative.country.name),
                ),
            )
        )
    milestones = followed_ids(user, Milestone)
    roadmaps = followed_ids(user, Roadmap)
    if milestones or roadmaps:
        lineages = list(
            Milestone.objects.filter(pk__in=milestones)
            .annotate(lineage=Coalesce("origin_id", "pk"))
            .values_list("lineage", flat=True)
        )
        initiatives = Roadmap.objects.filter(pk__in=roadmaps).values("initiative_id")
        items.append(
            work_item(
                _("New progress on what you follow"),
                MilestoneUpdate.objects.filter(
                    Q(milestone_id__in=lineages)
                    | Q(milestone__origin_id__in=lineages)
                    | Q(milestone__priority__roadmap__initiative__in=initiatives),
                    milestone__in=Milestone.objects.visible_to(user),
                    created_at__gte=timezone.now() - NEWS,
                )
                .select_related("milestone__priority__roadmap__initiative__country")
                .order_by("-created_at"),
                lambda update: Link(
                    update.milestone.title,
                    update.get_absolute_url(),
                    str(update.milestone.priority.roadmap.initiative.country.name),
                ),
            )
        )
    return [item for item in items if item is not None]
