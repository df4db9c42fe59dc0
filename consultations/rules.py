"""Who may see a consultation, send input to it and read what others sent.

A consultation belongs to an initiative, as a roadmap does: the predicates about the
initiative's focal points and alliance are those of roadmaps/rules.py. The rules say who;
the services say when (a closed consultation, a deadline past).
"""

from __future__ import annotations

import rules

from roadmaps.rules import (
    is_initiative_alliance_coordinator,
    is_initiative_alliance_member,
    is_initiative_focal_point,
)
from stakeholders.rules import is_csu_staff
from stakeholders.standing import standing_of

from .models import Audience, Consultation


@rules.predicate
def is_in_consultation_audience(user, consultation: Consultation) -> bool:
    """The alliance's people; for a country-wide consultation also the people of every
    verified organization of the country."""
    if is_initiative_alliance_member(user, consultation) or is_initiative_alliance_coordinator(
        user, consultation
    ):
        return True
    return (
        consultation.audience == Audience.COUNTRY
        and consultation.initiative.country_id in standing_of(user).verified_organization_countries
    )


rules.add_perm(
    "consultations.view_consultation",
    is_initiative_focal_point | is_in_consultation_audience | is_csu_staff,
)
rules.add_perm("consultations.submit_input", is_in_consultation_audience | is_csu_staff)


@rules.predicate
def is_public_record(user, consultation: Consultation) -> bool:
    """Opened with a public record, and no longer taking input: anyone may read it."""
    return consultation.is_public_record


rules.add_perm(
    "consultations.view_consultation_summary",
    is_initiative_focal_point | is_in_consultation_audience | is_csu_staff | is_public_record,
)
rules.add_perm("consultations.view_all_inputs", is_initiative_focal_point | is_csu_staff)
# Opening and closing a consultation, and answering its inputs: the initiative's side.
rules.add_perm("consultations.open_consultation", is_initiative_focal_point | is_csu_staff)
rules.add_perm("consultations.respond", is_initiative_focal_point | is_csu_staff)
