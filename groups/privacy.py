"""What the person did in working groups, for their own data export
(privacy.services.personal_data_export), and what stops their account's deletion."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from stakeholders.models import User

from .models import GroupMember, Reply, Thread, Vote, WorkingGroup


def export_section(user: User) -> dict[str, Any]:
    return {
        "working_groups": [
            {
                "group": membership.group.title,
                "side": membership.side,
                "status": membership.status,
                "note": membership.note,
                "since": membership.created_at,
            }
            for membership in GroupMember.objects.filter(user=user)
            .select_related("group")
            .order_by("created_at", "pk")
        ],
        "group_threads": [
            {
                "group": thread.group.title,
                "title": thread.title,
                "context": thread.context,
                "started": thread.created_at,
            }
            for thread in Thread.objects.filter(author=user)
            .select_related("group")
            .order_by("created_at", "pk")
        ],
        "group_replies": [
            {
                "thread": reply.thread.title,
                "reply": reply.body,
                "written": reply.created_at,
                "edited": reply.edited_at,
                "hidden": reply.hidden_at,
                "hidden_reason": reply.hidden_reason,
                "earlier_versions": [revision.body for revision in reply.revisions.all()],
            }
            for reply in Reply.objects.filter(author=user)
            .select_related("thread")
            .prefetch_related("revisions")
            .order_by("created_at", "pk")
        ],
        "group_votes": [
            {
                "proposal": vote.proposal.question,
                "position": vote.position,
                "option": vote.proposal.options[vote.choice] if vote.choice is not None else "",
                "reason": vote.reason,
                "cast": vote.created_at,
            }
            for vote in Vote.objects.filter(user=user)
            .select_related("proposal")
            .order_by("created_at", "pk")
        ],
    }


def delete_blockers(user: User) -> list[str]:
    """A group is never left without its facilitator."""
    return [
        _(
            "You facilitate the working group “%(title)s”. Ask a focal point of its initiative "
            "to name another facilitator first."
        )
        % {"title": title}
        for title in WorkingGroup.objects.filter(facilitator=user).values_list("title", flat=True)
    ]


def anonymize(user: User) -> dict[str, int]:
    """What the person wrote in groups stays, without its author."""
    return {
        "group_threads": Thread.objects.filter(author=user).update(author=None),
        "group_replies": Reply.objects.filter(author=user).update(author=None),
    }
