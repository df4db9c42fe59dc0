"""What waits for a person in the working groups: requests to join the groups they run,
invitations to answer, proposals to vote on, objections to answer and outcomes to record
(facilitators; CSU staff everywhere), and the threads with news in their groups."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.work import Link, WorkItem, work_item
from stakeholders.models import User
from stakeholders.standing import Standing

from .models import (
    GroupMember,
    MemberStatus,
    Position,
    Proposal,
    Thread,
    ThreadRead,
    Vote,
    WorkingGroup,
)


def _run_by(user: User, standing: Standing) -> Q:
    """The groups the person decides requests for: those they facilitate, and those of the
    initiatives they are a focal point of (CSU staff: every group)."""
    if user.is_staff:
        return Q()
    return Q(facilitator=user) | Q(initiative__in=standing.focal_point_initiatives)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    now = timezone.now()
    facilitated = Q() if user.is_staff else Q(thread__group__facilitator=user)
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")
    mine = WorkingGroup.objects.filter(
        Q(facilitator=user) | Q(members__user=user, members__status=MemberStatus.ACTIVE)
    ).values("pk")
    items = [
        work_item(
            _("Requests to join your working groups"),
            GroupMember.objects.filter(
                status=MemberStatus.REQUESTED,
                group__in=WorkingGroup.objects.filter(_run_by(user, standing)),
            )
            .select_related("group")
            .order_by("created_at"),
            lambda request: Link(
                request.group.title, reverse("groups:members", args=[request.group_id])
            ),
        ),
        work_item(
            _("Invitations to working groups"),
            GroupMember.objects.filter(user=user, status=MemberStatus.INVITED)
            .select_related("group")
            .order_by("created_at"),
            lambda invitation: Link(invitation.group.title, invitation.group.get_absolute_url()),
        ),
        work_item(
            _("Proposals waiting for your vote"),
            Proposal.objects.filter(
                closed_at=None,
                closes_at__gt=now,
                thread__group__members__user=user,
                thread__group__members__status=MemberStatus.ACTIVE,
            )
            .exclude(votes__user=user)
            .order_by("closes_at"),
            lambda proposal: Link(
                Truncator(proposal.question).chars(80),
                proposal.get_absolute_url(),
                _("until %(date)s") % {"date": _day(proposal.closes_at)},
            ),
        ),
        work_item(
            _("Objections awaiting your response"),
            Vote.objects.filter(
                Q() if user.is_staff else Q(proposal__thread__group__facilitator=user),
                position=Position.OBJECTION,
                responded_at=None,
            )
            .select_related("proposal__thread__group")
            .order_by("created_at"),
            lambda vote: Link(
                Truncator(vote.reason).chars(80),
                f"{vote.proposal.get_absolute_url()}#vote-{vote.pk}",
                vote.proposal.thread.group.title,
            ),
        ),
        work_item(
            _("Outcomes to record and publish"),
            Proposal.objects.filter(facilitated, closed_at__isnull=False)
            .exclude(outcome__published_at__isnull=False)
            .order_by("-closed_at"),
            lambda proposal: Link(
                Truncator(proposal.question).chars(80),
                proposal.get_absolute_url(),
                proposal.get_result_display(),
            ),
        ),
        work_item(
            _("New in your working groups"),
            Thread.objects.filter(group__in=mine)
            .annotate(last_read=Subquery(last_read[:1]))
            .filter(Q(last_read__isnull=True) | Q(last_activity_at__gt=F("last_read")))
            .select_related("group")
            .order_by("-last_activity_at"),
            lambda thread: Link(
                thread.title,
                thread.get_absolute_url(),
                f"{thread.group.title} · {_day(thread.last_activity_at)}",
            ),
            reverse("groups:mine"),
        ),
    ]
    return [item for item in items if item is not None]
