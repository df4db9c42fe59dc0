"""Search across the portal: the parts of the search page (vpi_portal.views.search).

Each app searches its own rooms (``<app>/search.py``) among what the reader may see, the
same querysets its pages use (``visible_to``), so that a result never shows, counts or
hints at what the rules keep from the reader. PostgreSQL searches the words with the
reader's language's stemming (``search_config``); SQLite, in local development, matches
substrings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language

# Results of each kind the page shows; the count says how many there are in all.
SHOWN = 10

# PostgreSQL's text search configurations for the portal's languages; "simple" matches
# words as they are, for any other.
CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class ResultGroup:
    kind: str  # "Milestones", in the reader's language
    count: int
    results: list[Result] = field(default_factory=list)


def search_config() -> str:
    return CONFIGS.get((get_language() or "en").split("-")[0], "simple")


def text_search(queryset: QuerySet, terms: str, fields: list[str]) -> QuerySet:
    """``queryset`` narrowed to the rows whose ``fields`` hold the words of ``terms``,
    best first on PostgreSQL."""
    if connection.vendor == "postgresql":
        config = search_config()
        vector = SearchVector(*fields, config=config)
        query = SearchQuery(terms, search_type="websearch", config=config)
        return (
            queryset.annotate(search_document=vector)
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(F("search_document"), query))
            .order_by("-search_rank", "pk")
        )
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": terms})
    return queryset.filter(condition).order_by("pk")


def group(kind: str, queryset: QuerySet, result) -> ResultGroup | None:
    rows = list(queryset[: SHOWN + 1])
    if not rows:
        return None
    count = len(rows) if len(rows) <= SHOWN else queryset.count()
    return ResultGroup(kind, count, [result(row) for row in rows[:SHOWN]])
