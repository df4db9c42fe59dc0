"""What the administration's pages share across the apps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest


class JoinedRows:
    """For an inline whose rows show related objects (in read-only columns or in each row's
    title): reads them with the rows. Without the join Django reads them row by row, and an
    alliance's page read every member organization on its own."""

    joined: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)  # type: ignore[misc]
        # Named relations only: select_related() with none follows every relation.
        return rows.select_related(*self.joined) if self.joined else rows
