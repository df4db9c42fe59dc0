"""How the portal tells people things. Domain apps decide what to say to whom and call
``notify``; this module decides how it is delivered.

``notify`` renders one email per recipient, in the recipient's language and time zone,
from ``templates/emails/<template>_subject.txt``, ``.txt`` and ``.html``, and writes it to
the outbox (``Notification``) inside the caller's transaction: a rolled-back change sends
nothing. Once the transaction commits, a Celery task is asked to deliver the new rows; if
Redis is down the request carries on and the periodic sweep delivers them later.

Delivery claims a row with a conditional UPDATE before sending, so two workers never send
the same row; a worker that dies after claiming leaves a claim that expires and is retried.
Exactly-once delivery over SMTP cannot exist (the server may accept a message just before
the sender dies); the window is the moment between the server's acceptance and the row
being marked sent, and every resend keeps the same Message-ID so mail clients merge it.
Each row is marked sent, and committed, as soon as the server accepts its own message.

A failure that may pass (the server unreachable, busy, timing out) is retried with capped
exponential backoff until its waits add up to ``NOTIFICATION_RETRY_HORIZON_SECONDS`` (a
night's outage), then the row fails with the reason in ``last_error``. When the
connection breaks or times out while a message is being handed over, or the task's time
limit stops it there, nobody knows whether the server took it: the row is retried, and its
``last_error`` says "Delivery unknown" so that staff know the person may get it twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import textwrap
import uuid
import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.db import models, transaction
from django.db.models import F, Q
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import (
    PORTAL_CATEGORIES,
    Category,
    Follow,
    Notification,
    NotificationStatus,
    Preferences,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


# --- Preferences and unsubscribe links -------------------------------------------------------


def preferences_for(user: Any) -> Preferences:
    preferences, _ = Preferences.objects.get_or_create(user=user)
    return preferences


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, category: str) -> str:
    token = unsubscribe_token(user_id=user_id, category=category)
    return absolute_url(reverse("notifications:unsubscribe", kwargs={"token": token}))


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (user id, category) a link stands for. Raises signing.BadSignature (tampered)
    or signing.SignatureExpired (too old)."""
    data = signing.loads(
        token, salt=UNSUBSCRIBE_SALT, max_age=settings.NOTIFICATION_UNSUBSCRIBE_MAX_AGE
    )
    if not isinstance(data, dict) or data.get("c") not in Category.values:
        raise signing.BadSignature("Malformed unsubscribe token.")
    return int(data["u"]), data["c"]


@transaction.atomic
def preferences_unsubscribe(*, user_id: int, category: str) -> Preferences:
    preferences = Preferences.objects.select_for_update().get_or_create(user_id=user_id)[0]
    if category == Category.ACTIVITY:
        preferences.activity_emails = False
    elif category == Category.REMINDERS:
        preferences.event_reminders = False
    elif category == Category.DIGESTS:
        preferences.digest_frequency = "off"
    preferences.save()
    return preferences


# --- Writing to the outbox -----------------------------------------------------------------


def recipient_locale(recipient: Any) -> tuple[str, zoneinfo.ZoneInfo]:
    """The language and time zone a person's emails are written in."""
    try:
        tz = zoneinfo.ZoneInfo(recipient.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return recipient.preferred_language or settings.LANGUAGE_CODE, tz


def render_email(
    *, recipient: Any, template: str, context: dict[str, Any], category: str = Category.ACTIVITY
) -> dict[str, str]:
    """Subject, text and HTML of one email, in the recipient's language and time zone."""
    unsubscribe = (
        unsubscribe_url(user_id=recipient.pk, category=category)
        if category != Category.ACCOUNT
        else ""
    )
    context = {
        **context,
        "recipient": recipient,
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe,
        "category_label": Category(category).label,
    }
    language, tz = recipient_locale(recipient)
    with translation.override(language), timezone.override(tz):
        subject = " ".join(render_text(f"emails/{template}_subject.txt", context).split())
        text = wrap_text(render_text(f"emails/{template}.txt", context))
        html = render_to_string(f"emails/{template}.html", {**context, "subject": subject})
    return {
        "subject": subject[:255],
        "body_text": text,
        "body_html": html,
        "unsubscribe_url": unsubscribe,
    }


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A template that is not HTML (a subject, a text part), rendered without HTML
    escaping: "Kenya's" stays "Kenya's", not "Kenya&#x27;s". Autoescaping belongs to
    the Context, so the portal's one template engine serves both kinds; HTML parts go
    through render_to_string and stay escaped."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


TEXT_WIDTH = 78  # RFC 5322's recommended line length, without the CRLF
LIST_ITEM = re.compile(r"\s*(?:[-*\u2022]\s+)?")


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Wrap the lines of a text part that are longer than ``width`` at spaces. A word
    longer than that (a link) gets a line of its own and is never cut; a list item's
    continuation lines are indented under its text; shorter lines stay as they are (the
    signature's "-- " keeps its space)."""
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        item = LIST_ITEM.match(line)
        assert item is not None  # the pattern also matches an empty prefix
        indent = " " * len(item.group())
        lines.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]  # a line of nothing but spaces
        )
    return "\n".join(lines)


def notify(
    *,
    recipients: Iterable[Any],
    template: str,
    context: dict[str, Any],
    category: str = Category.ACTIVITY,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Write one outbox row per recipient who wants this category of email, and have them
    delivered once the current transaction commits.

    ``dedupe_key`` makes repeated calls idempotent (reminders, nudges, digests): the same
    key for the same person is written once, ever. Without it every call is a new email.
    """
    key = dedupe_key or f"{template}:{uuid.uuid4().hex}"
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    preferences = {p.user_id: p for p in Preferences.objects.filter(user_id__in=list(people))}
    keys = {pk: f"{key}:{pk}"[:200] for pk in people}
    # A job that runs again (reminders every few minutes) renders only what is new.
    written = (
        set(
            Notification.objects.filter(dedupe_key__in=list(keys.values())).values_list(
                "dedupe_key", flat=True
            )
        )
        if dedupe_key
        else set()
    )

    def emailed(pk: int) -> bool:
        return pk not in preferences or preferences[pk].wants(category, template)

    # Who does not want this category by email still finds it in the portal's list, for
    # the categories the portal shows; for the others nothing is written.
    rows = [
        Notification(
            recipient=user,
            to_email=user.email,
            kind=template,
            category=category,
            dedupe_key=keys[pk],
            status=NotificationStatus.PENDING if emailed(pk) else NotificationStatus.SKIPPED,
            **render_email(recipient=user, template=template, context=context, category=category),
        )
        for pk, user in people.items()
        if (emailed(pk) or category in PORTAL_CATEGORIES) and keys[pk] not in written
    ]
    return outbox_write(rows)


def outbox_write(rows: Sequence[Notification]) -> list[Notification]:
    """Insert rows, skipping any whose dedupe key exists, and deliver them after commit."""
    if not rows:
        return []
    keys = [row.dedupe_key for row in rows]
    existing = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    fresh = [row for row in rows if row.dedupe_key not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in fresh], status=NotificationStatus.PENDING
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return fresh


def outbox_write_message(
    message: EmailMessage, *, kind: str, category: str, recipient: Any = None
) -> None:
    """Put an email that another library rendered (allauth's) through the outbox."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (
                content
                for content, mimetype in message.alternatives
                if mimetype == "text/html" and isinstance(content, str)
            ),
            "",
        )
    rows = [
        Notification(
            recipient=recipient if recipient is not None and recipient.email == address else None,
            to_email=address,
            kind=kind,
            category=category,
            dedupe_key=f"{kind}:{uuid.uuid4().hex}",
            subject=message.subject[:255],
            body_text=str(message.body),
            body_html=html,
        )
        for address in message.to
    ]
    outbox_write(rows)


def enqueue_delivery(ids: list[int]) -> None:
    """Ask a worker to deliver these rows. Never raises: if the broker is unreachable the
    rows stay pending and the sweep delivers them."""
    from .tasks import deliver_notifications

    chunk = settings.NOTIFICATION_BATCH_SIZE
    for start in range(0, len(ids), chunk):
        try:
            deliver_notifications.apply_async(args=[ids[start : start + chunk]], retry=False)
        except Exception:  # the broker being down must never break the request
            logger.warning(
                "Could not enqueue notifications %s; the sweep will deliver them.",
                ids[start : start + chunk],
                exc_info=True,
            )
            return


# --- Delivery ------------------------------------------------------------------------------


def message_headers(notification: Notification) -> dict[str, str]:
    """The headers of a row's email besides From, To, Subject and Date. The Message-ID is
    the same at every attempt, so that a mail client merges a message sent twice."""
    domain = (
        settings.PORTAL_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        or "localhost"
    )
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:16]
    headers = {
        "Message-ID": f"<notification-{notification.pk}.{digest}@{domain}>",
        "Auto-Submitted": "auto-generated",
    }
    if notification.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{notification.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def build_message(notification: Notification, connection: Any = None) -> EmailMultiAlternatives:
    """A row's email: its text, its HTML as the alternative, and message_headers(). Sent
    over ``connection`` when given (a batch shares one), else over a new one."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        headers=message_headers(notification),
        connection=connection,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


DELIVERY_UNKNOWN = "Delivery unknown: the server may have accepted it"


class DeliveryUncertain(Exception):
    """The connection broke or timed out while a message was being handed over: the
    server may have accepted it, or not."""


def notification_send(notification: Notification, connection: Any) -> None:
    """Hand a row's email to the connection's backend: the mail server in production,
    files in development, memory in tests. Over SMTP, raises DeliveryUncertain when the
    connection fails after the message began to travel."""
    message = build_message(notification, connection)
    if not isinstance(connection, SMTPEmailBackend):
        message.send()
        return
    connection.open()  # does nothing while the connection is open; fails before sending
    try:
        message.send()
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
        raise  # the server answered: it did not take the message
    except OSError as error:  # timeouts, resets, SMTPServerDisconnected
        raise DeliveryUncertain(f"{type(error).__name__}: {error}") from error


def is_transient(error: BaseException) -> bool:
    """A failure that may pass: the server unreachable, busy (4xx) or timing out, the
    task's time limit; not a refusal (5xx) or a bug."""
    if isinstance(error, DeliveryUncertain | SoftTimeLimitExceeded):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPException)


def retry_delay(attempts: int) -> timedelta:
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATION_RETRY_MAX_DELAY_SECONDS
    return timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 32), cap))


def describe_failure(error: BaseException) -> str:
    """What staff read in the outbox about a failed attempt."""
    if isinstance(error, SoftTimeLimitExceeded):
        return f"{DELIVERY_UNKNOWN} (the task's time limit stopped the delivery)."
    if isinstance(error, DeliveryUncertain):
        return f"{DELIVERY_UNKNOWN} (the connection failed while sending: {error})."
    return f"{type(error).__name__}: {error}"


def notification_claim(*, notification_id: int, now: datetime) -> Notification | None:
    """Claim a row if it is due and nobody else has it, then read it. The claim is a
    conditional update: of two workers, only the one whose update changed the row sends
    it. None when the row is not to be sent now (already claimed, sent, failed, or
    waiting out a backoff)."""
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def notification_mark_sent(*, notification_id: int, now: datetime) -> None:
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT, sent_at=now, last_error=""
    )


def retry_window_used(attempts: int) -> timedelta:
    """How long a row has waited between its attempts so far, by its backoff: the part
    of the retry horizon it has used. Counted from the attempts rather than from when the
    row was written, so that a staff retry (attempts back to 0) starts a fresh horizon."""
    return sum((retry_delay(n) for n in range(1, attempts)), timedelta())


def notification_attempt_failed(
    *, notification: Notification, error: BaseException, now: datetime
) -> str:
    """Record a failed attempt: "retry" with backoff while the failure may pass and the
    retry horizon is not used up, else "failed" with the reason."""
    description = describe_failure(error)
    rows = Notification.objects.filter(pk=notification.pk)
    if is_transient(error):
        horizon = timedelta(seconds=settings.NOTIFICATION_RETRY_HORIZON_SECONDS)
        used = retry_window_used(notification.attempts)
        if used < horizon and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
            delay = min(retry_delay(notification.attempts), horizon - used)
            rows.update(
                status=NotificationStatus.PENDING,
                next_attempt_at=now + delay,
                last_error=description[:2000],
            )
            logger.warning(
                "Notification %s: transient failure, will retry: %s", notification.pk, description
            )
            return "retry"
        description = (
            f"Gave up after {notification.attempts} attempts over "
            f"{used.total_seconds() / 3600:.1f} hours. Last error: {description}"
        )
    rows.update(status=NotificationStatus.FAILED, last_error=description[:2000])
    logger.error("Notification %s failed for good: %s", notification.pk, description)
    return "failed"


def notification_deliver(*, notification_id: int, connection: Any = None) -> str:
    """Send one outbox row if it is due and nobody else has it. Returns what happened:
    "sent", "retry", "failed" or "skipped". The row is marked sent, in its own committed
    statement, as soon as the server has accepted the message."""
    notification = notification_claim(notification_id=notification_id, now=timezone.now())
    if notification is None:
        return "skipped"
    try:
        notification_send(notification, connection)
    except SoftTimeLimitExceeded as error:
        # The task is being stopped: record what is known, then let it stop.
        notification_attempt_failed(notification=notification, error=error, now=timezone.now())
        raise
    except Exception as error:
        return notification_attempt_failed(
            notification=notification, error=error, now=timezone.now()
        )
    notification_mark_sent(notification_id=notification_id, now=timezone.now())
    return "sent"


# Failed attempts in a row after which a batch stops: the server is down or hanging, and
# every later message would cost a timeout too.
STOP_AFTER_FAILURES = 2


def notifications_deliver(*, ids: Sequence[int]) -> dict[str, int]:
    """Deliver a batch over one SMTP connection. When the mail server cannot be reached, or
    fails twice in a row, the rest of the batch is left pending for the sweep: a server
    that hangs holds a worker for a few timeouts, not one per email."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    connection = get_connection()
    reachable = True
    try:
        connection.open()
    except Exception:
        reachable = False
        logger.warning("Mail server unreachable.", exc_info=True)
    failures = 0
    try:
        for pk in ids:
            outcome = notification_deliver(notification_id=pk, connection=connection)
            counts[outcome] += 1
            if outcome == "sent":
                failures = 0
            if outcome != "retry":
                continue
            failures += 1
            # A broken connection fails every later message too: start a fresh one.
            connection.close()
            if reachable and failures < STOP_AFTER_FAILURES:
                try:
                    connection.open()
                    continue
                except Exception:
                    logger.warning("Mail server unreachable.", exc_info=True)
            logger.warning("Mail server failing; the sweep delivers the rest of the batch later.")
            break
    except SoftTimeLimitExceeded:
        logger.warning("Delivery stopped by the time limit; the sweep delivers the rest later.")
    finally:
        connection.close()
    return counts


def notifications_sweep() -> dict[str, int]:
    """Release claims of workers that died, then enqueue every due pending row (rows
    waiting out a backoff are due again at their next attempt time)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    released = Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=stale
    ).update(
        status=NotificationStatus.PENDING,
        next_attempt_at=now,
        last_error=f"{DELIVERY_UNKNOWN} (the worker stopped while sending; sending again).",
    )
    due = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.NOTIFICATION_SWEEP_LIMIT]
    )
    enqueue_delivery(due)
    return {"released": released, "enqueued": len(due)}


@transaction.atomic
def notifications_retry(*, ids: Iterable[int]) -> int:
    """Staff send failed rows again, with a fresh count of attempts."""
    ids = list(
        Notification.objects.filter(pk__in=list(ids), status=NotificationStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    Notification.objects.filter(pk__in=ids).update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return len(ids)


# --- Following a roadmap, a milestone, a consultation or an event ----------------------------


def follows(user: Any, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).exists()


def follow_set(*, user: Any, target: models.Model, on: bool) -> None:
    """Follow ``target`` or stop following it; the views check that the person may see it."""
    content_type = ContentType.objects.get_for_model(target)
    if on:
        Follow.objects.get_or_create(user=user, content_type=content_type, object_id=target.pk)
    else:
        Follow.objects.filter(user=user, content_type=content_type, object_id=target.pk).delete()


def followed_ids(user: Any, model: type[models.Model]) -> list[int]:
    """The keys of the ``model`` objects a person follows."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Follow.objects.filter(
            user=user, content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_id", flat=True)
    )


def followers_of(
    target: models.Model,
    *,
    may_see: str,
    exclude: Iterable[Any] = (),
    also: Iterable[models.Model] = (),
) -> list[Any]:
    """The people following ``target``, or any of ``also`` (its other versions, what it is
    part of), who still may see ``target`` (``may_see``: the permission its page asks),
    leaving out ``exclude`` (who caused the news, who is told already)."""
    left_out = {getattr(person, "pk", person) for person in exclude}
    followed = Q()
    for thing in [target, *also]:
        followed |= Q(
            follows__content_type=ContentType.objects.get_for_model(thing),
            follows__object_id=thing.pk,
        )
    people = get_user_model().objects.filter(followed, is_active=True).distinct()
    return [
        person
        for person in people
        if person.pk not in left_out and person.has_perm(may_see, target)
    ]
