"""Working groups and threads the reader may see: groups by their title and purpose, threads
(of the groups whose discussion the reader may read) by their title and context."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.search import Result, ResultGroup, group, text_search

from .models import Thread, WorkingGroup


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    groups = group(
        _("Working groups"),
        text_search(
            WorkingGroup.objects.visible_to(user).select_related("initiative__country"),
            terms,
            ["title", "purpose"],
        ),
        lambda found: Result(
            found.title, found.get_absolute_url(), str(found.initiative.country.name)
        ),
    )
    threads = group(
        _("Group threads"),
        text_search(
            Thread.objects.filter(
                group__in=WorkingGroup.objects.with_discussion_for(user)
            ).select_related("group"),
            terms,
            ["title", "context"],
        ),
        lambda thread: Result(thread.title, thread.get_absolute_url(), thread.group.title),
    )
    return [found for found in (groups, threads) if found]
