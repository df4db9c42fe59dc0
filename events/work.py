"""What waits for a person in the events: events they organized that have ended without
minutes (CSU staff: those of every country in the last three months), and the events they
have a seat at in the coming month; new events in the countries they follow, and the
events they follow that have not ended."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.work import SHOWN, Link, WorkItem
from notifications.models import countries_followed_by
from notifications.services import followed_ids
from stakeholders.models import User
from stakeholders.standing import Standing

from .models import Event, EventStatus, RegistrationStatus, organizer_condition

MINUTES_WITHIN = datetime.timedelta(days=90)
COMING = datetime.timedelta(days=30)
NEWS = datetime.timedelta(days=14)


def _day(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def work_for(user: User, standing: Standing) -> list[WorkItem]:
    items = []
    now = timezone.now()
    ended = Event.objects.filter(
        ends_at__lt=now,
        ends_at__gte=now - MINUTES_WITHIN,
        outcome_published_at=None,
    ).exclude(status=EventStatus.CANCELLED)
    if not user.is_staff:
        ended = ended.filter(organizer_condition(user))
    count = ended.count()
    if count:
        items.append(
            WorkItem(
                _("Events to minute"),
                count,
                [
                    Link(
                        event.title,
                        reverse("events:outcome", args=[event.pk]),
                        _day(event.starts_at),
                    )
                    for event in ended.order_by("-ends_at")[:SHOWN]
                ],
            )
        )
    coming = Event.objects.filter(
        registrations__user=user,
        registrations__status=RegistrationStatus.REGISTERED,
        starts_at__gte=now,
        starts_at__lte=now + COMING,
    ).exclude(status=EventStatus.CANCELLED)
    count = coming.count()
    if count:
        items.append(
            WorkItem(
                _("Your events in the coming month"),
                count,
                [
                    Link(event.title, event.get_absolute_url(), _day(event.starts_at))
                    for event in coming.order_by("starts_at")[:SHOWN]
                ],
                reverse("events:mine"),
            )
        )
    followed = countries_followed_by(user)
    if followed:
        announced = (
            Event.objects.visible_to(user)
            .filter(
                Q(initiative__country__in=followed) | Q(alliance__country__in=followed),
                created_at__gte=now - NEWS,
                starts_at__gte=now,
            )
            .exclude(status=EventStatus.CANCELLED)
        )
        count = announced.count()
        if count:
            items.append(
                WorkItem(
                    _("New events in the countries you follow"),
                    count,
                    [
                        Link(event.title, event.get_absolute_url(), _day(event.starts_at))
                        for event in announced.order_by("starts_at")[:SHOWN]
                    ],
                )
            )
    followed = followed_ids(user, Event)
    if followed:
        upcoming = (
            Event.objects.visible_to(user)
            .filter(pk__in=followed, ends_at__gte=now)
            .exclude(status=EventStatus.CANCELLED)
        )
        count = upcoming.count()
        if count:
            items.append(
                WorkItem(
                    _("Events you follow"),
                    count,
                    [
                        Link(event.title, event.get_absolute_url(), _day(event.starts_at))
                        for event in upcoming.order_by("starts_at")[:SHOWN]
                    ],
                )
            )
    return items
