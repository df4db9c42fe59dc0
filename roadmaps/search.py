"""Milestones of the roadmaps the reader may see, by their title and description."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.search import Result, ResultGroup, group, text_search

from .models import Milestone


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    found = group(
        _("Milestones"),
        text_search(
            Milestone.objects.visible_to(user), terms, ["title", "description"]
        ).select_related("priority__roadmap__initiative__country"),
        lambda milestone: Result(
            milestone.title,
            milestone.get_absolute_url(),
            str(milestone.priority.roadmap.initiative.country.name),
        ),
    )
    return [found] if found else []
