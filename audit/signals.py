"""Sign-ins and failed sign-ins go to the audit log, and so does every change made in the
administration (where staff can also change roles: staff status, focal points,
coordinators, organization admins)."""

from typing import Any

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

from .models import AuditEntry
from .services import audit_record

ADMIN_VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def client_address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.signed_in", target=user, ip=client_address(request))


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted login is kept (never the password) to spot attacks on an account.
    attempted = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        actor=None,
        action="auth.sign_in_failed",
        login=str(attempted)[:254],
        ip=client_address(request),
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def record_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """The admin's own history, mirrored into the audit log that staff read in the portal.
    (Deleting several objects at once writes the admin's history in bulk, without signals:
    those deletions are in the admin's history only.)"""
    if not created:
        return
    content_type = instance.content_type
    with translation.override(settings.LANGUAGE_CODE):
        change = instance.get_change_message()
    AuditEntry.objects.create(
        actor_id=instance.user_id,
        action=f"admin.{ADMIN_VERBS.get(instance.action_flag, 'changed')}",
        target_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        target_id=str(instance.object_id or "")[:40],
        target_repr=instance.object_repr[:255],
        data={"change": change} if change else {},
    )
