"""What waits for a person in the consultations: inputs awaiting a response (the
initiative's side; CSU staff across countries), consultations still asking for the input of
the person's organization, and the running consultations they follow."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.work import SHOWN, Link, WorkItem
from notifications.services import followed_ids
from stakeholders.models import User
from stakeholders.standing import Standing

from .models import Consultation, ConsultationInput, ConsultationStatus


def _until(consultation: Consultation) -> str:
    return _("until %(date)s") % {
        "date": date_format(timezone.localtime(consultation.deadline), "DATE_FORMAT")
    }


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    items = []
    if user.is_staff or standing.focal_point_initiatives:
        side = (
            Q()
            if user.is_staff
            else Q(consultation__initiative__in=standing.focal_point_initiatives)
        )
        waiting = ConsultationInput.objects.filter(side, responded_at=None)
        count = waiting.count()
        if count:
            items.append(
                WorkItem(
                    _("Consultation inputs awaiting your response"),
                    count,
                    [
                        Link(
                            Truncator(item.text).chars(80),
                            item.get_absolute_url(),
                            item.consultation.title,
                        )
                        for item in waiting.select_related("consultation").order_by("created_at")[
                            :SHOWN
                        ]
                    ],
                )
            )
    if standing.organizations:
        sent = ConsultationInput.objects.filter(
            consultation=OuterRef("pk"), organization__in=standing.organizations
        )
        asking = (
            Consultation.objects.visible_to(user)
            .filter(status=ConsultationStatus.OPEN, deadline__gt=timezone.now())
            .exclude(initiative__in=standing.focal_point_initiatives)
            .exclude(Exists(sent))
        )
        count = asking.count()
        if count:
            items.append(
                WorkItem(
                    _("Consultations asking for your organization's input"),
                    count,
                    [
                        Link(
                            consultation.title,
                            consultation.get_absolute_url(),
                            _until(consultation),
                        )
                        for consultation in asking.order_by("deadline")[:SHOWN]
                    ],
                )
            )
    followed = followed_ids(user, Consultation)
    if followed:
        running = Consultation.objects.visible_to(user).filter(
            pk__in=followed, status=ConsultationStatus.OPEN, deadline__gt=timezone.now()
        )
        count = running.count()
        if count:
            items.append(
                WorkItem(
                    _("Consultations you follow"),
                    count,
                    [
                        Link(
                            consultation.title,
                            consultation.get_absolute_url(),
                            _until(consultation),
                        )
                        for consultation in running.order_by("deadline")[:SHOWN]
                    ],
                )
            )
    return items
