"""The badges and bars of progress, written once in Python: a roadmap page shows them for
each of its milestones (hundreds at a time), where an ``{% include %}`` per row costs more
than the rest of the row. ``{% load progress %}``."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from ..models import MilestoneStatus

register = template.Library()

STATUS_CLASSES = {
    "completed": "text-bg-success",
    "in_progress": "text-bg-primary",
    "delayed": "text-bg-warning",
    "cancelled": "text-bg-dark",
}


@functools.lru_cache(maxsize=16)
def status_labels(language: str | None) -> dict[str, str]:
    """A milestone status's name in a language, looked up once per language rather than
    once per row."""
    return {value: str(label) for value, label in MilestoneStatus.choices}


@register.simple_tag
def status_badge(status: str, label: Any = None) -> SafeString:
    """A milestone's status (``label`` names another kind of status in the same colours)."""
    if label is None:
        label = status_labels(get_language()).get(status, status)
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_CLASSES.get(status, "text-bg-secondary"), label
    )


@register.simple_tag
def progress_bar(value: Any, label: Any = "", small: bool = False) -> SafeString:
    return format_html(
        '<div class="progress{}" role="progressbar" aria-label="{}" aria-valuenow="{}" '
        'aria-valuemin="0" aria-valuemax="100">\n'
        '  <div class="progress-bar{} w-{}pct">{}</div>\n</div>',
        " progress-thin" if small else "",
        label or gettext("Progress"),
        value,
        " bg-success" if value == 100 else "",
        value,
        "" if small else f"{value} %",
    )


@register.simple_tag
def lead_list(leads: Any) -> SafeString:
    """A milestone's leads as this reader may know them (``roadmaps.selectors.attach_leads``):
    the agency, the organizations they may see, and how many others there are."""
    parts = []
    if leads.agency:
        parts.append(format_html('<span dir="auto">{}</span>', leads.agency))
    if leads.organizations:
        parts.append(
            format_html_join(
                "; ",
                '<a href="{}" dir="auto">{}</a>',
                (
                    (organization.get_absolute_url(), organization.name)
                    for organization in leads.organizations
                ),
            )
        )
    if leads.others:
        parts.append(
            ngettext(
                "%(counter)s other organization", "%(counter)s other organizations", leads.others
            )
            % {"counter": leads.others}
        )
    return format_html_join("; ", "{}", ((part,) for part in parts))
