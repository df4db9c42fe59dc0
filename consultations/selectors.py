"""Reads of consultation pages: whose behalf each input was sent on, as a reader may learn it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from stakeholders.models import Organization

from .models import ConsultationInput


def with_sources(inputs: Iterable[ConsultationInput], reader: Any) -> list[ConsultationInput]:
    """Consultation inputs with ``source``: on whose behalf each was sent, as ``reader`` may
    learn it. An organization the reader may not see is not named (the input is still
    shown, as "An organization"); the alliance speaks under its own name. One query for any
    number of inputs, as ``attach_leads``: ``Organization.objects.visible_to`` answers for
    all of their organizations at once."""
    items = list(inputs)
    ids = {item.organization_id for item in items if item.organization_id is not None}
    seen = (
        set(Organization.objects.visible_to(reader).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    for item in items:
        organization = item.organization
        if organization is None:
            item.source = gettext("The alliance")
        elif organization.pk in seen:
            item.source = organization.name
        else:
            item.source = gettext("An organization")
    return items
