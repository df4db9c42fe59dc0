"""Who may do what with roadmaps and progress reports (consultations/rules.py builds on the
predicates here).

Roadmap objects are not initiatives: each predicate below finds the initiative (or the
country's alliance) of its object and asks the stakeholders predicates about it. CSU staff
hold every permission (``stakeholders.backends.CSUStaffBackend``); they are named here
anyway so that the rules read as the design's policy table. The rules say who; the
services say when (a frozen roadmap, a closed consultation).
"""

from __future__ import annotations

from typing import Any

import rules

from countries.models import Initiative, Visibility
from stakeholders.models import Alliance
from stakeholders.rules import (
    is_alliance_coordinator,
    is_alliance_member,
    is_csu_staff,
    is_focal_point_of,
)
from stakeholders.standing import standing_of

from .models import (
    Assessment,
    Comment,
    Evidence,
    Milestone,
    MilestoneUpdate,
    Priority,
    Roadmap,
    Sensitivity,
)


def initiative_of(obj: Any) -> Initiative | None:
    """The initiative a roadmap object belongs to."""
    match obj:
        case Initiative():
            return obj
        case Roadmap():
            return obj.initiative
        case Priority():
            return obj.roadmap.initiative
        case Milestone():
            return obj.priority.roadmap.initiative
        case MilestoneUpdate():
            return obj.milestone.priority.roadmap.initiative
        case Evidence() | Assessment():
            return obj.update.milestone.priority.roadmap.initiative
        case Comment():
            return obj.roadmap.initiative
    # The objects of the apps above this one (a consultation, an input) name theirs.
    return getattr(obj, "initiative", None)


def alliance_of(obj: Any) -> Alliance | None:
    initiative = initiative_of(obj)
    if initiative is None:
        return None
    cache = "_roadmaps_alliance"
    if not hasattr(initiative, cache):
        setattr(
            initiative, cache, Alliance.objects.filter(country_id=initiative.country_id).first()
        )
    return getattr(initiative, cache)


# --- Predicates about a person and an object's initiative --------------------------------------


@rules.predicate
def is_initiative_focal_point(user, obj) -> bool:
    initiative = initiative_of(obj)
    return initiative is not None and is_focal_point_of(user, initiative)


@rules.predicate
def is_initiative_alliance_member(user, obj) -> bool:
    """Belongs to an organization with an approved membership in the country's alliance."""
    alliance = alliance_of(obj)
    return alliance is not None and is_alliance_member(user, alliance)


@rules.predicate
def is_consulted_organization_member(user, obj) -> bool:
    """In a country without an alliance, belongs to one of its verified organizations: the
    non-governmental side that the draft roadmap is put to."""
    initiative = initiative_of(obj)
    return (
        user.is_authenticated
        and initiative is not None
        and alliance_of(obj) is None
        and initiative.country_id in standing_of(user).verified_organization_countries
    )


@rules.predicate
def is_initiative_alliance_coordinator(user, obj) -> bool:
    alliance = alliance_of(obj)
    return alliance is not None and is_alliance_coordinator(user, alliance)


@rules.predicate
def can_see_roadmap(user, obj) -> bool:
    """Roadmap.objects.visible_to for one roadmap. A visitor's answer and an adopted version
    need nothing but the roadmap and its initiative's visibility, as the queryset's first
    condition; drafts for signed-in people ask the queryset itself."""
    roadmap = _roadmap_of(obj)
    if roadmap is None:
        return False
    adopted = roadmap.adopted_on is not None
    if not user.is_authenticated:
        return adopted and roadmap.initiative.visibility == Visibility.PUBLIC
    if adopted:
        return True
    return Roadmap.objects.visible_to(user).filter(pk=roadmap.pk).exists()


def _roadmap_of(obj: Any) -> Roadmap | None:
    match obj:
        case Roadmap():
            return obj
        case Priority() | Comment():
            return obj.roadmap
        case Milestone():
            return obj.priority.roadmap
        case MilestoneUpdate():
            return obj.milestone.priority.roadmap
        case Evidence() | Assessment():
            return obj.update.milestone.priority.roadmap
    return None


@rules.predicate
def is_public_evidence(user, evidence: Evidence) -> bool:
    return evidence.sensitivity == Sensitivity.PUBLIC


@rules.predicate
def is_alliance_evidence(user, evidence: Evidence) -> bool:
    return evidence.sensitivity == Sensitivity.ALLIANCE


@rules.predicate
def attached_the_evidence(user, evidence: Evidence) -> bool:
    """The person who reported the progress the evidence supports: they sent it."""
    return user.is_authenticated and evidence.update.author_id == user.pk


# People who take part in the roadmap's dialogue: they see who said what.
is_initiative_participant = (
    is_initiative_focal_point
    | is_initiative_alliance_member
    | is_initiative_alliance_coordinator
    | is_csu_staff
)
is_civil_society_of_initiative = is_initiative_alliance_member | is_initiative_alliance_coordinator

# --- The rules ----------------------------------------------------------------------------------

rules.add_perm("roadmaps.view_roadmap", can_see_roadmap | is_csu_staff)
rules.add_perm("roadmaps.view_participants", is_initiative_participant)
rules.add_perm("roadmaps.change_roadmap", is_initiative_focal_point | is_csu_staff)
rules.add_perm("roadmaps.open_consultation", is_initiative_focal_point | is_csu_staff)
rules.add_perm("roadmaps.adopt_roadmap", is_initiative_focal_point | is_csu_staff)
rules.add_perm("roadmaps.cosign_roadmap", is_initiative_alliance_coordinator | is_csu_staff)
rules.add_perm("roadmaps.post_update", is_initiative_focal_point | is_csu_staff)
rules.add_perm("roadmaps.assess_update", is_civil_society_of_initiative | is_csu_staff)
rules.add_perm(
    "roadmaps.comment",
    is_civil_society_of_initiative | is_consulted_organization_member | is_csu_staff,
)
rules.add_perm("roadmaps.respond", is_initiative_focal_point | is_csu_staff)
rules.add_perm("roadmaps.hide_comment", is_csu_staff)
# Where no one can be consulted (no alliance, no verified organization), CSU decides.
rules.add_perm("roadmaps.waive_consultation", is_csu_staff)
rules.add_perm(
    "roadmaps.view_evidence",
    (can_see_roadmap & is_public_evidence)
    | (is_alliance_evidence & is_initiative_participant)
    | attached_the_evidence
    | is_csu_staff,
)
rules.add_perm("roadmaps.view_dashboard", is_csu_staff)
