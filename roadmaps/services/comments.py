"""Comments on a roadmap, a priority or a milestone: posted, answered, hidden."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from notifications.services import absolute_url, notify
from stakeholders.models import (
    User,
)

from ..models import (
    Comment,
    Milestone,
    Priority,
    Roadmap,
    RoadmapStatus,
)
from .audience import focal_points_of


@transaction.atomic
def comment_post(
    *,
    actor: User,
    body: str,
    roadmap: Roadmap | None = None,
    priority: Priority | None = None,
    milestone: Milestone | None = None,
) -> Comment:
    """A comment on a roadmap, a priority or a milestone (give exactly one)."""
    if sum(target is not None for target in (roadmap, priority, milestone)) != 1:
        raise ValueError("Comment on exactly one of roadmap, priority or milestone.")
    if milestone is not None:
        roadmap = milestone.priority.roadmap
    elif priority is not None:
        roadmap = priority.roadmap
    assert roadmap is not None
    roadmap = Roadmap.objects.select_related("initiative").get(pk=roadmap.pk)  # fresh state
    if roadmap.status == RoadmapStatus.DRAFT:
        raise ValidationError(_("Comments open when the draft goes to consultation."))
    if roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError(_("This version is archived: comment on the current roadmap."))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your comment."))
    comment = Comment.objects.create(
        roadmap=roadmap, priority=priority, milestone=milestone, author=actor, body=body
    )
    audit_record(actor=actor, action="roadmap.commented", target=roadmap, comment=comment.pk)
    notify(
        recipients=focal_points_of(roadmap.initiative).exclude(pk=actor.pk),
        template="roadmaps_comment_posted",
        context={
            "comment": comment,
            "country": roadmap.initiative.country.name,
            "url": absolute_url(comment.get_absolute_url()),
        },
    )
    return comment


@transaction.atomic
def comment_respond(*, comment: Comment, actor: User, response: str) -> Comment:
    """The initiative's side answers a comment with its reasons."""
    response = (response or "").strip()
    if not response:
        raise ValidationError(
            _("Give a reasoned response: say what you did with the comment and why.")
        )
    if comment.is_hidden:
        raise ValidationError(_("This comment was hidden and needs no response."))
    changed = Comment.objects.filter(pk=comment.pk, responded_at__isnull=True).update(
        response=response, responded_by=actor, responded_at=timezone.now()
    )
    content_changed()
    if not changed:
        raise ValidationError(_("This comment already has a response."))
    comment.refresh_from_db()
    audit_record(
        actor=actor, action="roadmap.comment_answered", target=comment.roadmap, comment=comment.pk
    )
    if comment.author:
        notify(
            recipients=[comment.author],
            template="roadmaps_comment_response",
            context={
                "comment": comment,
                "country": comment.roadmap.initiative.country.name,
                "url": absolute_url(comment.get_absolute_url()),
            },
        )
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    """CSU staff hide a comment (abuse, personal data), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the comment is hidden: its author will read it."))
    changed = Comment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
        hidden_by=actor, hidden_at=timezone.now(), hidden_reason=reason[:500]
    )
    content_changed()
    if not changed:
        raise ValidationError(_("This comment is already hidden."))
    comment.refresh_from_db()
    audit_record(
        actor=actor,
        action="roadmap.comment_hidden",
        target=comment.roadmap,
        comment=comment.pk,
        reason=reason,
    )
    return comment
