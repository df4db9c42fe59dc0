"""Events the reader may see, by their title and description."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.search import Result, ResultGroup, group, text_search

from .models import Event


def search_for(user: Any, terms: str) -> list[ResultGroup]:
    found = group(
        _("Events"),
        text_search(Event.objects.visible_to(user), terms, ["title", "description"]),
        lambda event: Result(
            event.title,
            event.get_absolute_url(),
            date_format(timezone.localtime(event.starts_at), "DATE_FORMAT"),
        ),
    )
    return [found] if found else []
