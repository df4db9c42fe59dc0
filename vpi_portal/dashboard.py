"""The CSU dashboard: every country's roadmap progress side by side, progress by theme,
stalled and overdue milestones, the dialogue in working groups, and organizations waiting
to be vetted. Charts are SVG
drawn on the server (no JavaScript). A fixed number of queries, whatever the data size."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from common.permissions import require_perm
from groups.selectors import dialogue_by_country
from roadmaps.selectors import (
    STALLED_AFTER_DAYS,
    country_progress,
    overdue_milestones,
    stalled_milestones,
    theme_progress,
)
from stakeholders.models import Organization, OrganizationStatus

FIGURES_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """Bars of percentages (0-100), one per row. The template draws them as HTML progress
    bars with their labels as text, which read at the page's own size on a phone (an SVG
    scaled to the screen shrank its labels to a few pixels)."""
    return {"bars": [Bar(label=label, value=max(0, min(value, 100))) for label, value in rows]}


def theme_rows(themes: dict[str, Any]) -> list[tuple[Any, tuple[Any, ...]]]:
    """The theme table turned on its side: a row per country with its cell per theme
    (thirteen columns read better than a column per country), countries by name."""
    columns = [theme["cells"] for theme in themes["themes"]]
    if not columns:
        return []
    rows = zip(themes["countries"], zip(*columns, strict=True), strict=True)
    return sorted(rows, key=lambda row: str(row[0].name))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every country's progress, for CSU staff. The figures are the same for every staff
    member (staff may see everything): the page's sections are fragments cached a few
    minutes per language and day, and the figures are computed only when a fragment is not
    in the cache. What waits for CSU (organizations to vet) is counted on every view."""
    require_perm(request, "roadmaps.view_dashboard")
    now = timezone.now()
    today = timezone.localdate()

    @functools.cache
    def figures() -> dict[str, Any]:
        countries = country_progress(today)
        themes = theme_progress()
        stalled, stalled_count = stalled_milestones(now)
        overdue, overdue_count = overdue_milestones(today)
        theme_averages = []
        for theme in themes["themes"]:
            cells = [cell for cell in theme["cells"] if cell]
            total = sum(cell["count"] for cell in cells)
            average = sum(cell["average"] * cell["count"] for cell in cells) / total if total else 0
            theme_averages.append((theme["name"], round(average)))
        return {
            "dialogue": dialogue_by_country(now),
            "countries": countries,
            "country_chart": bar_chart(
                [(str(roadmap.initiative.country.name), roadmap.average) for roadmap in countries]
            ),
            "themes": themes,
            "theme_rows": theme_rows(themes),
            "theme_chart": bar_chart(theme_averages),
            "stalled": stalled,
            "stalled_count": stalled_count,
            "overdue": overdue,
            "overdue_count": overdue_count,
        }

    context: dict[str, Any] = {
        name: SimpleLazyObject(lambda name=name: figures()[name])
        for name in (
            "dialogue",
            "countries",
            "country_chart",
            "themes",
            "theme_rows",
            "theme_chart",
            "stalled",
            "stalled_count",
            "overdue",
            "overdue_count",
        )
    }
    context.update(
        {
            "stalled_days": STALLED_AFTER_DAYS,
            "awaiting_vetting": Organization.objects.filter(
                status__in=[OrganizationStatus.PENDING, OrganizationStatus.MORE_INFO]
            ).count(),
            "today": today,
            "figures_seconds": FIGURES_CACHE_SECONDS,
        }
    )
    return render(request, "dashboard.html", context)
