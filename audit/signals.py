"""Sign-ins and failed sign-ins go to the audit log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .services import audit_record


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
