"""Working groups: where a country's government experts and civil society work on one theme
between meetings, in threads of replies, each person shown with the side they speak for.

A group belongs to an initiative. Its visibility says who learns that it exists and reads
its summary (anyone, registered people, or its members only); its discussion is for its
members, its facilitator, the initiative's focal points and CSU staff. Under the Chatham
House rule contributions are shown without names to all but the members, the facilitator
and CSU staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Initiative, Visibility
from roadmaps.models import Answered, focal_point_of_initiative, private_upload_path

if TYPE_CHECKING:
    from stakeholders.models import User


class Side(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public summary: anyone sees the group and its purpose")
    REGISTERED = "registered", _("Registered people see the group and its purpose")
    MEMBERS = "members", _("Members only")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def visible_to(self, user: User | None) -> WorkingGroupQuerySet:
        """The groups whose page this person may open (as ``groups.view_group`` says)."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        if user is None or not user.is_authenticated:
            return self.filter(
                visibility=GroupVisibility.PUBLIC, initiative__visibility=Visibility.PUBLIC
            )
        return self.filter(
            Q(visibility__in=[GroupVisibility.PUBLIC, GroupVisibility.REGISTERED])
            | Q(facilitator=user)
            | Q(Exists(GroupMember.objects.active().filter(group=OuterRef("pk"), user=user)))
            | focal_point_of_initiative(user, "initiative")
        )

    def with_discussion_for(self, user: User | None) -> WorkingGroupQuerySet:
        """The groups whose discussion this person may read (``groups.view_discussion``)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(
            Q(facilitator=user)
            | Q(Exists(GroupMember.objects.active().filter(group=OuterRef("pk"), user=user)))
            | focal_point_of_initiative(user, "initiative")
        )


class WorkingGroup(models.Model):
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="working_groups",
        verbose_name=_("initiative"),
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        "stakeholders.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("theme"),
    )
    purpose = models.TextField(
        _("purpose"), help_text=_("What the group works on, and what it should decide.")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_groups",
        verbose_name=_("facilitator"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=GroupVisibility.choices,
        default=GroupVisibility.REGISTERED,
    )
    chatham_house = models.BooleanField(
        _("Chatham House rule"),
        default=False,
        help_text=_(
            "Contributions are shown without names to everyone but the group's members, its "
            "facilitator and CSU staff, and in exports."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"pk": self.pk})


class GroupMemberQuerySet(models.QuerySet["GroupMember"]):
    def active(self) -> GroupMemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)


class GroupMember(models.Model):
    """A person in a group, with the side they speak for. Government experts are named by
    the initiative's side; people of the alliance's organizations ask to join or are
    invited, and the facilitator decides."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("person"),
    )
    side = models.CharField(_("side"), max_length=15, choices=Side.choices)
    # For civil society: the organization the person speaks for.
    organization = models.ForeignKey(
        "stakeholders.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("organization"),
    )
    # For government experts: their agency, as the focal point named it.
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_once"),
            models.CheckConstraint(
                condition=Q(side="government") | Q(organization__isnull=False),
                name="group_member_civil_society_has_organization",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="group_member_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class Thread(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="threads", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(
        _("context"), help_text=_("What the thread is about, and what it should settle.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-last_activity_at"], name="thread_group_activity_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:thread", kwargs={"pk": self.pk})


class Reply(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="replies", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("reply"), max_length=20000)
    quote = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quoting"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # A file with the reply, checked as every upload is (roadmaps.uploads.check_upload) and
    # served only to those who may read the reply.
    attachment = models.FileField(
        _("attachment"), upload_to=private_upload_path, blank=True, max_length=200
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_content_type = models.CharField(max_length=120, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="reply_thread_idx")]

    def __str__(self) -> str:
        return f"{self.thread}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#reply-{self.pk}"


class ReplyRevision(models.Model):
    """What a reply said before an edit."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("reply")
    )
    body = models.TextField(_("earlier text"))
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("earlier version of a reply")
        verbose_name_plural = _("earlier versions of replies")
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reply_id} @ {self.written_at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """When a person last read a thread: what came after is new to them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"


# --- Proposals, votes and outcomes ------------------------------------------------------------


class ProposalKind(models.TextChoices):
    CONSENT = "consent", _("Consent: consent, abstain or object (with a reason)")
    CHOICE = "choice", _("A choice among options")


class Position(models.TextChoices):
    CONSENT = "consent", _("Consent")
    ABSTAIN = "abstain", _("Abstain")
    OBJECTION = "objection", _("Objection")


class ProposalResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    NO_QUORUM = "no_quorum", _("No quorum")


class Proposal(models.Model):
    """A question put to the group in a thread, open until its closing time. Its result is
    computed when it closes (``groups.services.proposal_close``)."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("thread")
    )
    question = models.TextField(_("question"), max_length=2000)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.CONSENT
    )
    # For a choice: the options, in order (a vote names one by its place).
    options = models.JSONField(_("options"), default=list, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        null=True,
        blank=True,
        help_text=_("How many members must take part for the result to count (optional)."),
    )
    pass_share = models.PositiveSmallIntegerField(
        _("share needed to pass (%)"),
        default=50,
        help_text=_(
            "Consent: the share of consents among those who consent or object. Choice: the "
            "share of the votes the leading option needs."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=12, choices=ProposalResult.choices, blank=True
    )
    # For a choice that passed: the place of the option chosen.
    chosen = models.PositiveSmallIntegerField(_("option chosen"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="proposal_due_idx")]

    def __str__(self) -> str:
        return self.question[:60]

    def get_absolute_url(self) -> str:
        return reverse("groups:proposal", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at

    @property
    def chosen_option(self) -> str:
        if self.chosen is None or self.chosen >= len(self.options):
            return ""
        return str(self.options[self.chosen])


class Vote(Answered):
    """A member's vote, with the side they spoke for when they cast it. An objection gives
    its reason, and the facilitator answers it before the outcome is published."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="votes", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("person"),
    )
    side = models.CharField(_("side"), max_length=15, choices=Side.choices)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices, blank=True)
    choice = models.PositiveSmallIntegerField(_("option"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("cast"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="vote_once", condition=Q(user__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.position or self.choice}"


class Outcome(models.Model):
    """What the group decided on a proposal, with its reasons: recorded by the facilitator,
    published once every objection on record has a written response. It may become a
    milestone of the initiative's draft roadmap."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("proposal")
    )
    decision = models.TextField(_("decision"), max_length=5000)
    reasons = models.TextField(_("reasons"), max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The milestone this outcome became; the milestone finds it back as ``group_outcomes``.
    milestone = models.ForeignKey(
        "roadmaps.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_outcomes",
        verbose_name=_("roadmap milestone"),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.decision[:60]
