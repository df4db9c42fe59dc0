"""Every change to roadmaps and progress reports, one module per concept:
``lifecycle`` (a roadmap drafted, consulted on, adopted, co-signed, revised), ``structure``
(its priorities and milestones), ``progress`` (reports, evidence, assessments),
``comments`` and ``audience`` (who hears about each change). Consultations have their own
app, ``consultations``.

Each service runs in one transaction, checks the state it changes (an adopted version is
frozen, a consultation past its deadline takes no input), writes its audit entry and sends
its emails after commit. Views check permissions (roadmaps/rules.py) first; services that
other apps may call (``milestone_create``) or that the policy names explicitly (reporting
progress) check the facts they depend on themselves.

Callers import from here: ``from roadmaps import services``.
"""

from .audience import (
    alliance_coordinators,
    alliance_of,
    alliance_people,
    alliance_people_of_country,
    consulted_people,
    consulted_side,
    focal_points_of,
    milestone_url,
    signers,
)
from .comments import (
    comment_hide,
    comment_post,
    comment_respond,
)
from .lifecycle import (
    Requirement,
    adoption_requirements,
    comments_awaiting_response,
    consultation_deadline_set,
    consultation_waive,
    objection_respond,
    require_editable,
    roadmap_adopt,
    roadmap_cosign,
    roadmap_create,
    roadmap_edit,
    roadmap_open_consultation,
    roadmap_start_revision,
    sign_offs,
    took_part,
)
from .progress import (
    EvidenceFile,
    EvidenceLink,
    assessment_respond,
    milestone_report_progress,
    speaking_for,
    update_assess,
)
from .structure import (
    MILESTONE_FIELDS,
    PRIORITY_FIELDS,
    check_status_and_progress,
    milestone_create,
    milestone_delete,
    milestone_edit,
    milestone_move,
    priority_create,
    priority_delete,
    priority_edit,
    priority_move,
)

__all__ = [
    "EvidenceFile",
    "EvidenceLink",
    "MILESTONE_FIELDS",
    "PRIORITY_FIELDS",
    "Requirement",
    "adoption_requirements",
    "alliance_coordinators",
    "alliance_of",
    "alliance_people",
    "alliance_people_of_country",
    "assessment_respond",
    "check_status_and_progress",
    "comment_hide",
    "comment_post",
    "comment_respond",
    "comments_awaiting_response",
    "consultation_deadline_set",
    "consultation_waive",
    "consulted_people",
    "consulted_side",
    "focal_points_of",
    "milestone_create",
    "milestone_delete",
    "milestone_edit",
    "milestone_move",
    "milestone_report_progress",
    "milestone_url",
    "objection_respond",
    "priority_create",
    "priority_delete",
    "priority_edit",
    "priority_move",
    "require_editable",
    "roadmap_adopt",
    "roadmap_cosign",
    "roadmap_create",
    "roadmap_edit",
    "roadmap_open_consultation",
    "roadmap_start_revision",
    "sign_offs",
    "signers",
    "speaking_for",
    "took_part",
    "update_assess",
]
