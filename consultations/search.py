"""Consultations the reader takes part in, and the public records of the others."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from common.search import Result, ResultGroup, group, text_search

from .models import Consultation


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    taking_part = set(Consultation.objects.visible_to(user).values_list("pk", flat=True))
    readable = Consultation.objects.readable_by(user)
    found = group(
        _("Consultations"),
        text_search(readable, terms, ["title", "description"]).select_related(
            "initiative__country"
        ),
        lambda consultation: Result(
            consultation.title,
            consultation.get_absolute_url()
            if consultation.pk in taking_part
            else reverse("consultations:summary", args=[consultation.pk]),
            str(consultation.initiative.country.name),
        ),
    )
    return [found] if found else []
