"""Consultations: the initiative's side asks civil society for input on a question or a
draft (legislation, a self-assessment for the UNTOC review, a policy), and answers each input.

The tables keep the names they had in the roadmaps app (``roadmaps_consultation``,
``roadmaps_consultationinput``), where these models lived before: migration 0001 took them
over without touching the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Initiative
from roadmaps.models import (
    Answered,
    alliance_people_of_country,
    focal_point_of_initiative,
    private_upload_path,
)
from stakeholders.models import OrganizationStatus

if TYPE_CHECKING:
    from stakeholders.models import User


class ConsultationKind(models.TextChoices):
    QUESTION = "question", _("A question")
    DRAFT_LEGISLATION = "draft_legislation", _("Draft legislation")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment for the UNTOC review")
    POLICY = "policy", _("Draft policy or plan")
    OTHER = "other", _("Other document")


class Audience(models.TextChoices):
    ALLIANCE = "alliance", _("Member organizations of the alliance")
    COUNTRY = "country", _("All verified organizations of the country")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def visible_to(self, user: User | None) -> ConsultationQuerySet:
        """The initiative's focal points, CSU staff and the audience: the alliance's
        people, or for a country-wide consultation also the people of every verified
        organization of the country."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        verified_orgs_of_country = Exists(
            user.memberships.filter(
                organization__status=OrganizationStatus.VERIFIED,
                organization__country=OuterRef("initiative__country"),
            )
        )
        return self.filter(
            focal_point_of_initiative(user, "initiative")
            | alliance_people_of_country(user, "initiative__country")
            | Q(verified_orgs_of_country, audience=Audience.COUNTRY)
        )

    def readable_by(self, user: User | None) -> ConsultationQuerySet:
        """What ``user`` may read: the consultations they take part in (``visible_to``) and
        the public records of the others."""
        return self.filter(
            Q(pk__in=self.visible_to(user).values("pk"))
            | Q(pk__in=self.public_records().values("pk"))
        )

    def public_records(self) -> ConsultationQuerySet:
        """The consultations whose record anyone may read: those opened with a public
        record, once they no longer take input."""
        return self.filter(
            Q(status=ConsultationStatus.CLOSED) | Q(deadline__lte=timezone.now()),
            public_record=True,
        )


class Consultation(models.Model):
    """The initiative's side asks civil society for input on a question or a draft."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("initiative"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("what is consulted on"),
        max_length=20,
        choices=ConsultationKind.choices,
        default=ConsultationKind.QUESTION,
    )
    description = models.TextField(_("question or description"), max_length=10000)
    document = models.FileField(
        _("document"), upload_to=private_upload_path, blank=True, max_length=200
    )
    document_name = models.CharField(_("document file name"), max_length=255, blank=True)
    document_content_type = models.CharField(max_length=120, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    deadline = models.DateTimeField(_("deadline"))
    audience = models.CharField(
        _("who is asked"), max_length=10, choices=Audience.choices, default=Audience.ALLIANCE
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
    )
    public_record = models.BooleanField(
        _("public record"),
        default=False,
        db_default=False,
        help_text=_(
            "After the deadline anyone may read the question, each input and its response. "
            "People are never named; an organization is named only where its profile is "
            "public. Those who send input are told before they send it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        db_table = "roadmaps_consultation"
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="consultation_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConsultationStatus.values),
                name="consultation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    @property
    def accepts_inputs(self) -> bool:
        return self.status == ConsultationStatus.OPEN and timezone.now() < self.deadline

    @property
    def is_past_deadline(self) -> bool:
        return self.status == ConsultationStatus.CLOSED or timezone.now() >= self.deadline

    @property
    def is_public_record(self) -> bool:
        return self.public_record and self.is_past_deadline


class ConsultationInput(Answered):
    """An organization's input to a consultation; without organization, the alliance's
    own input written by a coordinator."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="inputs",
        verbose_name=_("consultation"),
    )
    organization = models.ForeignKey(
        "stakeholders.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("input"), max_length=20000)
    attachment = models.FileField(
        _("attachment"), upload_to=private_upload_path, blank=True, max_length=200
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_content_type = models.CharField(max_length=120, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    response = models.TextField(_("response"), blank=True, max_length=10000)

    if TYPE_CHECKING:
        # Set by consultations.selectors.with_sources: on whose behalf it was sent, as the
        # reader may learn it.
        source: str

    class Meta:
        db_table = "roadmaps_consultationinput"
        verbose_name = _("consultation input")
        verbose_name_plural = _("consultation inputs")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organization"],
                name="consultation_input_one_per_organization",
                violation_error_message=_("Your organization has already sent its input."),
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(organization__isnull=True),
                name="consultation_input_one_for_alliance",
                violation_error_message=_("The alliance has already sent its input."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization or _('Alliance')} · {self.consultation}"

    def get_absolute_url(self) -> str:
        return f"{self.consultation.get_absolute_url()}#input-{self.pk}"

    @property
    def initiative(self) -> Initiative:
        return self.consultation.initiative
