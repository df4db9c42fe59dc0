"""What waits for a person: the parts of the "My work" page (vpi_portal.views.my_work).

Each app says what waits in its own rooms (``<app>/work.py``, a function of the person and
their standing), from the person's own roles only: an item never counts or names what the
person may not act on. The page lists the items that have something in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# How many of an item's objects the page links to directly; the rest are behind ``more``.
SHOWN = 5


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    note: str = ""  # a date, a country: what tells the links apart


@dataclass(frozen=True)
class WorkItem:
    title: str  # what waits, in the reader's language ("Comments awaiting your response")
    count: int
    links: list[Link] = field(default_factory=list)
    more_url: str = ""  # where all of them are, when there are more than the links


def work_item(
    title: str, queryset: Any, link: Callable[[Any], Link], more_url: str = ""
) -> WorkItem | None:
    """The item of ``queryset`` (ordered as it should be listed), or None when it is empty:
    a count, and the first SHOWN rows when there are any (the same queries at every size)."""
    count = queryset.count()
    if not count:
        return None
    return WorkItem(title, count, [link(row) for row in queryset[:SHOWN]], more_url)
