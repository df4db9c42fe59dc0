"""What waits for a person: the parts of the "My work" page (vpi_portal.views.my_work).

Each app says what waits in its own rooms (``<app>/work.py``, a function of the person and
their standing), from the person's own roles only: an item never counts or names what the
person may not act on. The page lists the items that have something in them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
