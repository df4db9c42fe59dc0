"""What the audit log records the person doing, for their own data export
(privacy.services.personal_data_export)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import AuditEntry

if TYPE_CHECKING:
    from stakeholders.models import User


def export_section(user: User) -> dict[str, Any]:
    return {
        "audit_log": [
            {
                "time": entry.created_at,
                "action": entry.action,
                "target": entry.target_repr,
                "details": entry.data,
            }
            for entry in AuditEntry.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }
