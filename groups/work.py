"""What waits for a person in the working groups: requests to join the groups they run,
invitations to answer, and the threads with replies new to them in their groups."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.work import SHOWN, Link, WorkItem
from stakeholders.models import User
from stakeholders.standing import Standing

from .models import GroupMember, MemberStatus, Thread, ThreadRead, WorkingGroup


def _run_by(user: User, standing: Standing) -> Q:
    """The groups the person decides requests for: those they facilitate, and those of the
    initiatives they are a focal point of (CSU staff: every group)."""
    if user.is_staff:
        return Q()
    return Q(facilitator=user) | Q(initiative__in=standing.focal_point_initiatives)


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    items = []
    requests = GroupMember.objects.filter(
        status=MemberStatus.REQUESTED,
        group__in=WorkingGroup.objects.filter(_run_by(user, standing)),
    )
    count = requests.count()
    if count:
        items.append(
            WorkItem(
                _("Requests to join your working groups"),
                count,
                [
                    Link(request.group.title, reverse("groups:members", args=[request.group_id]))
                    for request in requests.select_related("group").order_by("created_at")[:SHOWN]
                ],
            )
        )
    invitations = GroupMember.objects.filter(user=user, status=MemberStatus.INVITED)
    count = invitations.count()
    if count:
        items.append(
            WorkItem(
                _("Invitations to working groups"),
                count,
                [
                    Link(invitation.group.title, invitation.group.get_absolute_url())
                    for invitation in invitations.select_related("group")[:SHOWN]
                ],
            )
        )
    mine = WorkingGroup.objects.filter(
        Q(facilitator=user) | Q(members__user=user, members__status=MemberStatus.ACTIVE)
    ).values("pk")
    last_read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")
    news = (
        Thread.objects.filter(group__in=mine)
        .annotate(last_read=Subquery(last_read[:1]))
        .filter(Q(last_read__isnull=True) | Q(last_activity_at__gt=F("last_read")))
        .select_related("group")
        .order_by("-last_activity_at")
    )
    count = news.count()
    if count:
        items.append(
            WorkItem(
                _("New in your working groups"),
                count,
                [
                    Link(
                        thread.title,
                        thread.get_absolute_url(),
                        f"{thread.group.title} · "
                        + date_format(timezone.localtime(thread.last_activity_at), "DATE_FORMAT"),
                    )
                    for thread in news[:SHOWN]
                ],
            )
        )
    return items
