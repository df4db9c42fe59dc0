"""The CSU dashboard: every country's roadmap progress side by side, progress by theme,
stalled and overdue milestones, and organizations waiting to be vetted. Charts are SVG
drawn on the server (no JavaScript). A fixed number of queries, whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from common.permissions import require_perm
from roadmaps.selectors import (
    STALLED_AFTER_DAYS,
    country_progress,
    overdue_milestones,
    stalled_milestones,
    theme_progress,
)
from stakeholders.models import Organization, OrganizationStatus

FIGURES_CACHE_SECONDS = 300

# Geometry of the horizontal bar chart, in SVG user units.
LABEL_WIDTH = 150
BAR_WIDTH = 400
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_x: int
    complete: bool


def bar_chart(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """Bars of percentages (0-100), one per row, laid out for the template's <svg>."""
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * ROW_HEIGHT,
            width=round(BAR_WIDTH * max(0, min(value, 100)) / 100),
            text_x=LABEL_WIDTH + BAR_WIDTH + 8,
            complete=value >= 100,
        )
        for index, (label, value) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "text_offset": BAR_HEIGHT - 4,
        "width": LABEL_WIDTH + BAR_WIDTH + 50,
        "height": max(len(bars), 1) * ROW_HEIGHT,
    }


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
    require_perm(request, "roadmaps.view_dashboard")
    now = timezone.now()
    today = timezone.localdate()
    # Aggregates over every country, for CSU staff alone: kept a few minutes (the same for
    # every staff member who reads them in this language on this day).
    countries, themes, (stalled, stalled_count), (overdue, overdue_count) = cache.get_or_set(
        f"dashboard:figures:{get_language()}:{today.isoformat()}",
        lambda: (
            country_progress(today),
            theme_progress(),
            stalled_milestones(now),
            overdue_milestones(today),
        ),
        FIGURES_CACHE_SECONDS,
    )
    awaiting_vetting = Organization.objects.filter(
        status__in=[OrganizationStatus.PENDING, OrganizationStatus.MORE_INFO]
    ).count()
    theme_averages = []
    for theme in themes["themes"]:
        cells = [cell for cell in theme["cells"] if cell]
        total = sum(cell["count"] for cell in cells)
        average = sum(cell["average"] * cell["count"] for cell in cells) / total if total else 0
        theme_averages.append((theme["name"], round(average)))
    return render(
        request,
        "dashboard.html",
        {
            "countries": countries,
            "country_chart": bar_chart(
                [(str(roadmap.initiative.country.name), roadmap.average) for roadmap in countries]
            ),
            "themes": themes,
            "theme_rows": theme_rows(themes),
            "theme_chart": bar_chart(theme_averages),
            "stalled": stalled,
            "stalled_count": stalled_count,
            "stalled_days": STALLED_AFTER_DAYS,
            "overdue": overdue,
            "overdue_count": overdue_count,
            "awaiting_vetting": awaiting_vetting,
            "today": today,
        },
    )
