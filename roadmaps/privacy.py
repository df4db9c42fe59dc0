"""What the person reported, assessed, commented, answered and co-signed, for their own data
export (privacy.services.personal_data_export)."""

from __future__ import annotations

from typing import Any

from stakeholders.models import User

from .models import Assessment, Comment, Endorsement, MilestoneUpdate


def export_section(user: User) -> dict[str, Any]:
    return {
        "milestone_updates": [
            {
                "milestone": update.milestone.title,
                "milestone_id": update.milestone_id,
                "reported": update.created_at,
                "status": update.status_after,
                "progress": update.progress_after,
                "narrative": update.narrative,
                "evidence": [
                    {
                        "title": evidence.title,
                        "link": evidence.url,
                        "file_name": evidence.original_name,
                        "sensitivity": evidence.sensitivity,
                    }
                    for evidence in update.evidence.all()
                ],
            }
            for update in MilestoneUpdate.objects.filter(author=user)
            .select_related("milestone")
            .prefetch_related("evidence")
            .order_by("created_at", "pk")
        ],
        "assessments": [
            {
                "milestone": assessment.update.milestone.title,
                "update_id": assessment.update_id,
                "verdict": assessment.verdict,
                "comment": assessment.comment,
                "on_behalf_of": assessment.organization.name if assessment.organization else None,
                "assessed": assessment.created_at,
            }
            for assessment in Assessment.objects.filter(author=user)
            .select_related("update__milestone", "organization")
            .order_by("created_at", "pk")
        ],
        "comments": [
            {
                "on": str(comment.target),
                "roadmap_id": comment.roadmap_id,
                "comment": comment.body,
                "posted": comment.created_at,
                "hidden": comment.is_hidden,
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("roadmap", "priority", "milestone")
            .order_by("created_at", "pk")
        ],
        "responses_written": _responses_written(user),
        "roadmap_co_signatures": [
            {
                "roadmap": str(endorsement.roadmap),
                "note": endorsement.note,
                "date": endorsement.created_at,
            }
            for endorsement in Endorsement.objects.filter(user=user)
            .select_related("roadmap")
            .order_by("created_at", "pk")
        ],
    }


def _responses_written(user: User) -> list[dict[str, Any]]:
    """Answers the person gave on behalf of an initiative to assessments and comments (those
    to consultation inputs are added by consultations/privacy.py)."""
    rows: list[dict[str, Any]] = []
    for model, kind in (
        (Assessment, "assessment"),
        (Comment, "comment"),
    ):
        for response, responded_at in (
            model.objects.filter(responded_by=user)
            .order_by("responded_at", "pk")
            .values_list("response", "responded_at")
        ):
            rows.append({"to": kind, "response": response, "responded": responded_at})
    return rows
