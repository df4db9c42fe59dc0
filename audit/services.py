from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    sensitive: bool = False,
    **data: Any,
) -> AuditEntry:
    """The entry ``audit_record`` writes, not yet saved."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        sensitive=sensitive,
        data={key: value for key, value in data.items() if value is not None},
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    sensitive: bool = False,
    **data: Any,
) -> AuditEntry:
    """Record what ``actor`` did. Call it inside the transaction that makes the change.

    ``action`` is a dotted name such as ``organization.verified`` or
    ``alliance.members_viewed``; keyword arguments become the entry's details.
    """
    entry = audit_entry(actor=actor, action=action, target=target, sensitive=sensitive, **data)
    entry.save(force_insert=True)
    return entry
