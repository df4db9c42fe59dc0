"""The badges and bars of progress, written once in Python: a roadmap page shows them for
each of its milestones (hundreds at a time), where an ``{% include %}`` per row costs more
than the rest of the row; ``milestone_rows`` writes the rows of those tables whole.
``{% load progress %}``."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


@functools.lru_cache(maxsize=4096)
def long_date(value: datetime.date, language: str | None) -> str:
    """A date as ``|date:"DATE_FORMAT"`` writes it in ``language``, escaped: formatting a
    date costs more than the rest of a milestone's row, and a roadmap's dates repeat from
    one page to the next."""
    return escape(date_format(value, "DATE_FORMAT"))


@register.simple_tag(takes_context=True)
def milestone_rows(context: template.Context, milestones: Any, can_edit: bool = False) -> str:
    """The rows of a priority's milestone table, written in Python rather than as a
    template loop: a roadmap page shows hundreds of milestones, and a dozen template nodes
    per row cost more than all the rest of the page (on the full dataset, 180 rows took
    about 50 ms through the template). Each value is escaped with ``escape`` as the
    template would; the badge and the bar come from the tags above; what is asked once per
    page (labels, the editors' token) is asked once.
    The markup is what ``roadmaps/roadmap_detail.html`` wrote; ``can_edit`` adds the
    editors' actions."""
    milestones = list(milestones)
    language = get_language()
    labels = status_labels(language)
    overdue = f' <span class="badge text-bg-danger">{escape(gettext("Overdue"))}</span>'
    # On a phone the table stacks (``table-stack`` in portal.css): each cell names its column.
    lead_label, due_label = escape(gettext("Lead")), escape(gettext("Due"))
    status_label, progress_label = escape(gettext("Status")), escape(gettext("Progress"))
    if can_edit:
        token = escape(str(context["csrf_token"]))
        up, down = escape(gettext("Move up")), escape(gettext("Move down"))
        edit, delete = escape(gettext("Edit")), escape(gettext("Delete"))
    rows = []
    last = len(milestones) - 1
    for number, milestone in enumerate(milestones):
        pk = int(milestone.pk)
        title = escape(milestone.title)
        comments = ""
        if count := getattr(milestone, "comment_count", 0):
            text = ngettext("%(counter)s comment", "%(counter)s comments", count)
            comments = (
                f' <span class="small text-body-secondary">({escape(text % {"counter": count})})'
                "</span>"
            )
        due = "–" if milestone.due_on is None else long_date(milestone.due_on, language)
        status = milestone.status
        row = (
            f'<tr id="milestone-{pk}">\n'
            f'<td><a href="{escape(milestone.get_absolute_url())}">{title}</a>{comments}</td>\n'
            f'<td class="small" data-label="{lead_label}">{lead_list(milestone.leads)}</td>\n'
            f'<td class="small text-nowrap" data-label="{due_label}">'
            f"{due}{overdue if milestone.overdue else ''}</td>\n"
            f'<td data-label="{status_label}">{status_badge(status, labels.get(status, status))}'
            "</td>\n"
            f'<td data-label="{progress_label}">'
            f"{progress_bar(int(milestone.progress), milestone.title)}</td>"
        )
        if can_edit:
            move = escape(reverse("roadmaps:milestone_move", args=[pk]))
            form = (
                f'<form method="post" action="{move}" class="d-inline">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            )
            row += (
                f'\n<td class="text-nowrap">{form}<input type="hidden" name="direction" '
                f'value="up"><button class="btn btn-sm btn-link p-0" type="submit" '
                f'title="{up}"{" disabled" if number == 0 else ""}>↑<span '
                f'class="visually-hidden">{up}</span></button></form> {form}<input '
                f'type="hidden" name="direction" value="down"><button class="btn btn-sm '
                f'btn-link p-0" type="submit" title="{down}"{" disabled" if number == last else ""}'
                f'>↓<span class="visually-hidden">{down}</span></button></form> '
                f'<a class="btn btn-sm btn-link p-0" '
                f'href="{escape(reverse("roadmaps:milestone_edit", args=[pk]))}">{edit}</a> '
                f'<a class="btn btn-sm btn-link p-0 text-danger" '
                f'href="{escape(reverse("roadmaps:milestone_delete", args=[pk]))}">{delete}</a>'
                "</td>"
            )
        rows.append(row + "\n</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)
