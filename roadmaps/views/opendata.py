"""Open data: a country's adopted roadmap and its public progress as CSV and JSON.

Only the adopted roadmap of a public initiative is published (anything else is a 404, for
everyone: open data does not depend on who asks). No person's name and no evidence other
than public evidence appears.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from common.csv import csv_cell
from countries.models import Country, Visibility
from notifications.services import absolute_url

from ..models import Evidence, Milestone, MilestoneUpdate, Roadmap, RoadmapStatus, Sensitivity
from ..selectors import attach_leads, current_initiative


def public_roadmap(code: str) -> Roadmap:
    try:
        country = Country.objects.get(code=code.upper())
    except (Country.DoesNotExist, ValueError):
        raise Http404("No such country.") from None
    initiative = current_initiative(country, None)
    if initiative is None or initiative.visibility != Visibility.PUBLIC:
        raise Http404("No public initiative.")
    roadmap = (
        Roadmap.objects.filter(initiative=initiative, status=RoadmapStatus.ADOPTED)
        .select_related("initiative__country")
        .first()
    )
    if roadmap is None:
        raise Http404("No adopted roadmap.")
    return roadmap


def roadmap_rows(roadmap: Roadmap) -> list[dict[str, Any]]:
    today = timezone.localdate()
    public_evidence = Evidence.objects.filter(sensitivity=Sensitivity.PUBLIC)
    milestones = Milestone.objects.order_by("order", "pk")
    priorities = (
        roadmap.priorities.with_completion()
        .order_by("order", "pk")
        .prefetch_related("themes", Prefetch("milestones", queryset=milestones))
    )
    priorities = list(priorities)
    # Each milestone's history across versions (Milestone.history), for the whole roadmap
    # in one query: the reports made on the same milestone in earlier versions count.
    lineages = {m.lineage_id for p in priorities for m in p.milestones.all()}
    history: dict[int, list[MilestoneUpdate]] = defaultdict(list)
    for update in (
        MilestoneUpdate.objects.with_standing()
        .filter(
            Q(milestone_id__in=lineages) | Q(milestone__origin_id__in=lineages),
            milestone__priority__roadmap__version__lte=roadmap.version,
        )
        .select_related("milestone")
        .prefetch_related(Prefetch("evidence", queryset=public_evidence))
    ):
        history[update.milestone.lineage_id].append(update)
    # Open data is the public record: what a visitor may see, whoever downloads it.
    attach_leads((m for p in priorities for m in p.milestones.all()), AnonymousUser())
    rows = []
    for priority in priorities:
        rows.append(
            {
                "order": priority.order,
                "title": priority.title,
                "description": priority.description,
                # Open data reads the same whoever asks: theme names in English.
                "themes": [theme.name_en or theme.name for theme in priority.themes.all()],
                "untoc_instrument": priority.instrument,
                "untoc_article": priority.article,
                "proposed_by": priority.proposed_by,
                "completion": priority.completion,
                "milestones": [
                    {
                        "id": milestone.pk,
                        "order": milestone.order,
                        "title": milestone.title,
                        "description": milestone.description,
                        "lead": milestone.leads.agency,
                        "lead_organizations": [o.name for o in milestone.leads.organizations],
                        "other_lead_organizations": milestone.leads.others,
                        "due_on": milestone.due_on.isoformat() if milestone.due_on else None,
                        "status": milestone.status,
                        "progress": milestone.progress,
                        "overdue": milestone.is_overdue(today),
                        "updates": [
                            {
                                "reported_at": update.created_at.isoformat(),
                                "status": update.status_after,
                                "progress": update.progress_after,
                                "narrative": update.narrative,
                                "standing": update.standing,
                                "evidence": [
                                    {
                                        "kind": evidence.kind,
                                        "title": evidence.label,
                                        "url": evidence.url
                                        or absolute_url(evidence.get_absolute_url()),
                                    }
                                    for evidence in update.evidence.all()
                                ],
                            }
                            for update in history[milestone.lineage_id]
                        ],
                    }
                    for milestone in priority.milestones.all()
                ],
            }
        )
    return rows


def roadmap_json(request: HttpRequest, code: str) -> JsonResponse:
    roadmap = public_roadmap(code)
    data = {
        "country": roadmap.initiative.country.code.code,
        "initiative": roadmap.initiative.title,
        "roadmap": {
            "title": roadmap.title,
            "version": roadmap.version,
            "adopted_on": roadmap.adopted_on.isoformat() if roadmap.adopted_on else None,
            "period_start": roadmap.period_start.isoformat() if roadmap.period_start else None,
            "period_end": roadmap.period_end.isoformat() if roadmap.period_end else None,
        },
        "priorities": roadmap_rows(roadmap),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


CSV_COLUMNS = [
    "country",
    "roadmap_version",
    "adopted_on",
    "priority_order",
    "priority",
    "themes",
    "untoc_instrument",
    "untoc_article",
    "proposed_by",
    "priority_completion",
    "milestone_id",
    "milestone_order",
    "milestone",
    "lead",
    "lead_organizations",
    "other_lead_organizations",
    "due_on",
    "status",
    "progress",
    "overdue",
    "updates",
    "last_reported_at",
]


def roadmap_csv(request: HttpRequest, code: str) -> HttpResponse:
    roadmap = public_roadmap(code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"roadmap-{roadmap.initiative.country.slug}-v{roadmap.version}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    country = roadmap.initiative.country.code.code
    for priority in roadmap_rows(roadmap):
        for milestone in priority["milestones"]:
            updates = milestone["updates"]
            writer.writerow(
                csv_cell(value)
                for value in [
                    country,
                    roadmap.version,
                    roadmap.adopted_on.isoformat() if roadmap.adopted_on else "",
                    priority["order"],
                    priority["title"],
                    "; ".join(priority["themes"]),
                    priority["untoc_instrument"],
                    priority["untoc_article"],
                    priority["proposed_by"],
                    priority["completion"],
                    milestone["id"],
                    milestone["order"],
                    milestone["title"],
                    milestone["lead"],
                    "; ".join(milestone["lead_organizations"]),
                    milestone["other_lead_organizations"],
                    milestone["due_on"] or "",
                    milestone["status"],
                    milestone["progress"],
                    "yes" if milestone["overdue"] else "no",
                    len(updates),
                    updates[0]["reported_at"] if updates else "",
                ]
            )
    return response
