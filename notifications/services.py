"""How the portal tells people things. Domain apps decide what to say to whom and call
``notify``; this module decides how it is delivered.

Every email is rendered from three templates under ``templates/emails/``:
``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html``, in the recipient's
language and time zone, and is sent to one recipient at a time (no one sees who else got
it) once the surrounding transaction has committed, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from stakeholders.models import User

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def render_email(
    *, recipient: User, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    context = {
        **context,
        "recipient": recipient,
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
        "preferences_url": absolute_url("/accounts/profile/"),
    }
    try:
        tz = zoneinfo.ZoneInfo(recipient.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    with (
        translation.override(recipient.preferred_language or settings.LANGUAGE_CODE),
        timezone.override(tz),
    ):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notify(*, recipients: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """Email each recipient once the current transaction commits."""
    messages = [
        render_email(recipient=recipient, template=template, context=context)
        for recipient in {user.pk: user for user in recipients if user.is_active}.values()
    ]

    def send() -> None:
        for message in messages:
            try:
                message.send()
            except OSError:
                logger.exception("Could not send %s to %s", template, message.to)

    transaction.on_commit(send)
