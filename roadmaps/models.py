"""The common roadmap of an initiative, its progress and the dialogue around it.

A roadmap is drafted by the initiative's focal points (and CSU staff), put to the alliance
in a consultation, adopted, and then reported on milestone by milestone. Adoption freezes a
version: a revision is a new version and the old one stays readable. Progress reports
(``MilestoneUpdate``) are append-only; civil society assesses them (``Assessment``).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Initiative
from stakeholders.models import (
    Alliance,
    InitiativeRole,
    Organization,
    Theme,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from roadmaps.selectors import Leads
    from stakeholders.models import User


# --- Roadmaps ------------------------------------------------------------------------------


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    ADOPTED = "adopted", _("Adopted")
    ARCHIVED = "archived", _("Archived")


# A roadmap can be edited until it is adopted: in consultation, the initiative's side may
# still change the draft in answer to the comments.
EDITABLE_STATUSES = (RoadmapStatus.DRAFT, RoadmapStatus.CONSULTATION)


def focal_point_of_initiative(user: User, initiative_field: str) -> Q:
    roles = InitiativeRole.objects.active().focal_points().filter(user=user)
    return Q(**{f"{initiative_field}__in": roles.values("initiative")})


def alliance_people_of_country(user: User, country_field: str) -> Q:
    """Members of the approved organizations of a country's alliance, and its coordinators."""
    alliances = Alliance.objects.for_member(user)
    return Q(**{f"{country_field}__in": alliances.values("country")})


def consulted_organizations_of_country(user: User, country_field: str) -> Q:
    """Where a country has no alliance, the people of its verified organizations are the
    non-governmental side that a draft roadmap is put to."""
    countries = Organization.objects.verified().filter(members__user=user).values("country")
    return Q(**{f"{country_field}__in": countries, f"{country_field}__alliance__isnull": True})


class RoadmapQuerySet(models.QuerySet["Roadmap"]):
    def published(self) -> RoadmapQuerySet:
        """Versions that were adopted: the current one and the archived earlier ones."""
        return self.filter(adopted_on__isnull=False)

    def visible_to(self, user: User | None) -> RoadmapQuerySet:
        """Adopted versions of initiatives the person may see; drafts for the initiative's
        focal points and CSU staff; a roadmap in consultation also for the alliance (or,
        in a country without one, for the people of its verified organizations)."""
        initiatives = Initiative.objects.visible_to(user)
        visible = Q(adopted_on__isnull=False, initiative__in=initiatives)
        if user is None or not user.is_authenticated:
            return self.filter(visible)
        if user.is_staff:
            return self.all()
        visible |= focal_point_of_initiative(user, "initiative")
        visible |= Q(status=RoadmapStatus.CONSULTATION) & (
            alliance_people_of_country(user, "initiative__country")
            | consulted_organizations_of_country(user, "initiative__country")
        )
        return self.filter(visible)


class Roadmap(models.Model):
    """One version of an initiative's common roadmap."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("initiative")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    consultation_opened_at = models.DateTimeField(_("consultation opened"), null=True, blank=True)
    consultation_closes_on = models.DateField(
        _("consultation deadline"),
        null=True,
        blank=True,
        help_text=_("The last day on which the non-governmental side may comment."),
    )
    # Where a country has neither an alliance nor a verified organization, no one can be
    # consulted: CSU staff record that decision, with its reason, in place of the deadline.
    consultation_waiver = models.TextField(
        _("why no consultation could run"), blank=True, default="", db_default=""
    )
    consultation_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    consultation_waived_at = models.DateTimeField(_("decided"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RoadmapQuerySet.as_manager()

    if TYPE_CHECKING:
        # Set by the CSU dashboard (roadmaps.selectors.country_progress).
        average: int
        by_status: list[tuple[str, StrOrPromise, int]]

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["initiative", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "version"],
                name="roadmap_unique_version",
                violation_error_message=_("This initiative already has a roadmap of this version."),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(status__in=EDITABLE_STATUSES),
                name="roadmap_one_draft_per_initiative",
                violation_error_message=_("This initiative already has a draft roadmap."),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(status=RoadmapStatus.ADOPTED),
                name="roadmap_one_adopted_per_initiative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoadmapStatus.values), name="roadmap_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RoadmapStatus.ADOPTED) | Q(adopted_on__isnull=False),
                name="roadmap_adopted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="roadmap_period_ends_after_start",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse(
            "roadmaps:roadmap_version",
            kwargs={"code": self.initiative.country.slug, "version": self.version},
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_published(self) -> bool:
        return self.adopted_on is not None


class Answered(models.Model):
    """What the initiative's side owes a reasoned response: an assessment of a progress
    report, a comment on the roadmap, an input to a consultation."""

    response = models.TextField(_("response"), blank=True, max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        abstract = True


class Endorsement(Answered):
    """The non-governmental side's word on a draft: the alliance's coordinator (or, in a
    country without an alliance, CSU staff) co-signs it, or objects with a reason that the
    government answers before it may adopt the roadmap."""

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("roadmap")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("co-signed by"),
    )
    objection = models.BooleanField(
        _("objection"),
        default=False,
        db_default=False,
        help_text=_("An objection on record instead of a co-signature: the note gives why."),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("co-signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "user"], name="endorsement_unique"),
            models.CheckConstraint(
                condition=Q(objection=False) | ~Q(note=""),
                name="endorsement_objection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.roadmap}"


# --- Priorities and milestones -------------------------------------------------------------


class Instrument(models.TextChoices):
    CONVENTION = "convention", _("UN Convention against Transnational Organized Crime")
    TRAFFICKING = "trafficking_protocol", _("Trafficking in Persons Protocol")
    SMUGGLING = "smuggling_protocol", _("Smuggling of Migrants Protocol")
    FIREARMS = "firearms_protocol", _("Firearms Protocol")


class ProposedBy(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    JOINT = "joint", _("Jointly")


class Completion(models.TextChoices):
    """A priority's completion, in the Open Government Partnership's vocabulary."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")


class PriorityQuerySet(models.QuerySet["Priority"]):
    def with_completion(self) -> PriorityQuerySet:
        """Annotate what ``Priority.completion`` reads, in the same query: counts of the
        milestones that count (cancelled ones do not) and their average progress."""
        counted = ~Q(milestones__status=MilestoneStatus.CANCELLED)
        return self.annotate(
            milestone_total=Count("milestones", filter=counted, distinct=True),
            milestone_started=Count(
                "milestones",
                filter=counted
                & (
                    ~Q(milestones__status=MilestoneStatus.NOT_STARTED)
                    | Q(milestones__progress__gt=0)
                ),
                distinct=True,
            ),
            milestone_completed=Count(
                "milestones",
                filter=Q(milestones__status=MilestoneStatus.COMPLETED),
                distinct=True,
            ),
            average_progress=models.Avg("milestones__progress", filter=counted),
        )


# modeltranslation replaces the manager class at runtime, which the type checker cannot
# follow: the manager is named here and declared on the model, with its default manager.
PriorityManager = models.Manager.from_queryset(PriorityQuerySet)


class Priority(models.Model):
    """A priority agreed between government and civil society."""

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("roadmap")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="priorities", blank=True, verbose_name=_("themes")
    )
    instrument = models.CharField(
        _("UNTOC instrument"), max_length=24, choices=Instrument.choices, blank=True
    )
    article = models.CharField(
        _("article"), max_length=40, blank=True, help_text=_("For example: 31 or 5(1)(a).")
    )
    proposed_by = models.CharField(
        _("proposed by"), max_length=16, choices=ProposedBy.choices, default=ProposedBy.JOINT
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[PriorityManager[Priority]] = PriorityManager()
    if TYPE_CHECKING:
        _default_manager: ClassVar[PriorityManager[Priority]]
        # Set by PriorityQuerySet.with_completion(), which ``completion`` reads.
        milestone_started: int
        milestone_completed: int
        average_progress: float | None
        # Set by roadmaps.selectors.roadmap_detail for the roadmap page.
        comment_list: list[Comment]

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["roadmap", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_by__in=ProposedBy.values), name="priority_proposed_by_valid"
            ),
            models.CheckConstraint(
                condition=Q(instrument="") | Q(instrument__in=Instrument.values),
                name="priority_instrument_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.roadmap.get_absolute_url()}#priority-{self.pk}"

    @property
    def untoc_reference(self) -> str:
        if not self.instrument:
            return ""
        label = str(self.get_instrument_display())
        return f"{label}, art. {self.article}" if self.article else label

    @property
    def completion(self) -> str:
        """Derived from the annotations of ``with_completion()``."""
        total = getattr(self, "milestone_total", None)
        if total is None:
            raise AttributeError("Load priorities with Priority.objects.with_completion().")
        if not total or not self.milestone_started:
            return Completion.NOT_STARTED
        if self.milestone_completed >= total:
            return Completion.COMPLETE
        if (self.average_progress or 0) >= 50:
            return Completion.SUBSTANTIAL
        return Completion.LIMITED

    @property
    def completion_label(self) -> str:
        return str(Completion(self.completion).label)


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses and progress agree: completed exactly at 100 %, not started exactly at 0 %.
# The same rule holds in the database (check constraints) and in services (messages).
PROGRESS_AGREES_WITH_STATUS = (
    Q(status=MilestoneStatus.COMPLETED, progress=100)
    | (~Q(status=MilestoneStatus.COMPLETED) & Q(progress__lt=100))
) & (~Q(status=MilestoneStatus.NOT_STARTED) | Q(progress=0))

# Milestones no one needs to report on any more.
CLOSED_MILESTONE_STATUSES = (MilestoneStatus.COMPLETED, MilestoneStatus.CANCELLED)


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def visible_to(self, user: User | None) -> MilestoneQuerySet:
        return self.filter(priority__roadmap__in=Roadmap.objects.visible_to(user))

    def open(self) -> MilestoneQuerySet:
        return self.exclude(status__in=CLOSED_MILESTONE_STATUSES)

    def overdue(self, today=None) -> MilestoneQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


# modeltranslation replaces the manager class at runtime, which the type checker cannot
# follow: the manager is named here and declared on the model, with its default manager.
MilestoneManager = models.Manager.from_queryset(MilestoneQuerySet)


class Milestone(models.Model):
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("priority")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    lead = models.CharField(
        _("leading agency"),
        max_length=200,
        blank=True,
        help_text=_(
            "The government agency or other body leading, when it is not an organization "
            "registered in the portal."
        ),
    )
    # Organizations are a relation, not text: each reader sees named only those they may see.
    lead_organizations = models.ManyToManyField(
        "stakeholders.Organization",
        blank=True,
        related_name="led_milestones",
        verbose_name=_("leading organizations"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    order = models.PositiveIntegerField(_("order"), default=0)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("same milestone in the earlier version"),
    )
    # The first version's milestone of which this one is a copy (through any number of
    # revisions): a milestone carried into a revision keeps one history of progress.
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("same milestone in the first version"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[MilestoneManager[Milestone]] = MilestoneManager()
    if TYPE_CHECKING:
        _default_manager: ClassVar[MilestoneManager[Milestone]]
        # Set by roadmaps.selectors for the pages that show them: attach_leads() and
        # roadmap_detail().
        leads: Leads
        overdue: bool

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["priority", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="milestone_progress_0_100",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(
                condition=PROGRESS_AGREES_WITH_STATUS,
                name="milestone_progress_agrees_with_status",
                violation_error_message=_(
                    "A completed milestone is at 100 %, a milestone at 100 % is completed, and "
                    "a milestone not started is at 0 %."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:milestone_detail", kwargs={"pk": self.pk})

    @property
    def lineage_id(self) -> int:
        """The key every version of this milestone shares: its first version's."""
        return self.origin_id or self.pk

    def versions(self) -> models.QuerySet[Milestone]:
        """This milestone in every version of the roadmap (itself included)."""
        return Milestone.objects.filter(Q(pk=self.lineage_id) | Q(origin_id=self.lineage_id))

    def history(self) -> MilestoneUpdateQuerySet:
        """The progress reports of this milestone and of the same milestone in the earlier
        versions of the roadmap, not those of later versions."""
        return MilestoneUpdate.objects.filter(
            Q(milestone_id=self.lineage_id) | Q(milestone__origin_id=self.lineage_id),
            milestone__priority__roadmap__version__lte=self.priority.roadmap.version,
        )

    def is_overdue(self, today=None) -> bool:
        return (
            self.due_on is not None
            and self.status not in CLOSED_MILESTONE_STATUSES
            and self.due_on < (today or timezone.localdate())
        )


# --- Progress reports ------------------------------------------------------------------------


class Standing(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class MilestoneUpdateQuerySet(models.QuerySet["MilestoneUpdate"]):
    def with_standing(self) -> MilestoneUpdateQuerySet:
        return self.annotate(
            disputes=Count("assessments", filter=Q(assessments__verdict=Verdict.DISPUTES)),
            confirmations=Count(
                "assessments",
                filter=Q(assessments__verdict__in=[Verdict.CONFIRMS, Verdict.PARTLY]),
            ),
        )


class MilestoneUpdate(models.Model):
    """A progress report. Append-only: a correction is a new update, never an edit."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="updates", verbose_name=_("milestone")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    status_before = models.CharField(
        _("status before"), max_length=12, choices=MilestoneStatus.choices
    )
    status_after = models.CharField(_("status"), max_length=12, choices=MilestoneStatus.choices)
    progress_before = models.PositiveSmallIntegerField(_("progress before"))
    progress_after = models.PositiveSmallIntegerField(_("progress"))
    narrative = models.TextField(_("what happened"), max_length=10000)

    objects = MilestoneUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone update")
        verbose_name_plural = _("milestone updates")
        ordering = ["-created_at", "-pk"]
        # A milestone's history, newest first (its page), and its latest report (the
        # dashboard's stalled milestones).
        indexes = [
            models.Index(fields=["milestone", "-created_at"], name="milestoneupdate_recent_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_before__lte=100, progress_after__lte=100),
                name="milestone_update_progress_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(narrative=""), name="milestone_update_has_narrative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.created_at:%Y-%m-%d} · {self.progress_after} %"

    def get_absolute_url(self) -> str:
        return f"{self.milestone.get_absolute_url()}#update-{self.pk}"

    @property
    def standing(self) -> str:
        """Disputed when anyone disputes it, confirmed when someone (partly) confirms it and
        no one disputes it. Reads the annotations of ``with_standing()``."""
        if getattr(self, "disputes", 0):
            return Standing.DISPUTED
        if getattr(self, "confirmations", 0):
            return Standing.CONFIRMED
        return Standing.UNREVIEWED

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label)


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public")
    ALLIANCE = "alliance", _("Alliance, focal points and CSU staff")
    CSU_ONLY = "csu_only", _("CSU staff only")


class EvidenceKind(models.TextChoices):
    LINK = "link", _("Link")
    DOCUMENT = "document", _("Document")
    IMAGE = "image", _("Image")


def private_upload_path(instance: models.Model, filename: str) -> str:
    """A random name that says nothing and cannot be guessed; only the extension, checked
    against the content, is kept. Files are served through views that check access."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return (
        f"private/{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"
    )


class Evidence(models.Model):
    update = models.ForeignKey(
        MilestoneUpdate,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("update"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    sensitivity = models.CharField(
        _("who may see it"),
        max_length=10,
        choices=Sensitivity.choices,
        default=Sensitivity.PUBLIC,
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_path, blank=True, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["update", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_link_or_file",
            ),
            models.CheckConstraint(
                condition=Q(sensitivity__in=Sensitivity.values), name="evidence_sensitivity_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url

    def get_absolute_url(self) -> str:
        if self.url:
            return self.url
        return reverse("roadmaps:evidence_download", kwargs={"pk": self.pk})

    @property
    def label(self) -> str:
        return self.title or self.original_name or self.url


class Verdict(models.TextChoices):
    CONFIRMS = "confirms", _("Confirms")
    PARTLY = "partly", _("Partly confirms")
    DISPUTES = "disputes", _("Disputes")


class Assessment(Answered):
    """Civil society's view of a progress report, and the focal point's answer to it."""

    update = models.ForeignKey(
        MilestoneUpdate,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("update"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "author"],
                name="assessment_one_per_person",
                violation_error_message=_("You have already assessed this update."),
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="assessment_verdict_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} · {self.update}"


# --- Comments --------------------------------------------------------------------------------


class Comment(Answered):
    """A comment on a roadmap, one of its priorities or one of its milestones.

    ``roadmap`` is always set (so a roadmap's waiting comments are one filter away); a
    comment on a priority or milestone also names it, never both.
    """

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="comments", verbose_name=_("roadmap")
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("priority"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("milestone"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("why it was hidden"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(milestone__isnull=True),
                name="comment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comment_hidden_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["roadmap", "responded_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.target}"

    def get_absolute_url(self) -> str:
        if self.milestone is not None:
            return f"{self.milestone.get_absolute_url()}#comment-{self.pk}"
        return f"{self.roadmap.get_absolute_url()}#comment-{self.pk}"

    @property
    def target(self) -> models.Model:
        return self.milestone or self.priority or self.roadmap

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def awaits_response(self) -> bool:
        return not self.is_hidden and self.responded_at is None
