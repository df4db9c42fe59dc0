from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .actions import action_label


class AuditEntry(models.Model):
    """One thing that happened: a decision, a role change, a view or export of personal
    data. Written by the code that does it, in the same transaction; never edited."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Indexed below without PostgreSQL's second index for LIKE: actions are only matched
    # whole, and an entry is written with every change.
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=40, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    sensitive = models.BooleanField(
        _("access to personal data"),
        default=False,
        help_text=_("A view or export of member or attendee lists with contact details."),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action"], name="audit_action"),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def target_kind(self) -> str:
        """What the target is (an organization, a roadmap), in the reader's language."""
        if not self.target_type:
            return ""
        try:
            model = apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return self.target_type
        return capfirst(str(model._meta.verbose_name))

    @property
    def details(self) -> list[tuple[str, Any]]:
        """The entry's details as a reader sees them: each key in words."""
        return [(capfirst(str(key).replace("_", " ")), value) for key, value in self.data.items()]
