from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_time_zone


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
    PORTUGUESE = "pt", _("Portuguese")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email address is the login.

    ``is_staff`` marks CSU staff: they administer the portal and see every country.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_(
            "Shown to other members instead of your full name. Use a pseudonym if being "
            "identified could put you at risk."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(
        _("CSU staff"),
        default=False,
        help_text=_("Staff of the UNODC Civil Society Unit: may administer the whole portal."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.public_name or self.email

    @property
    def public_name(self) -> str:
        """The name others see: the display name (pseudonym) when the person chose one."""
        return self.display_name or self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.public_name


# --- Organizations -------------------------------------------------------------------------


class Theme(models.Model):
    """A UNTOC area or cross-cutting topic that organizations, priorities and events carry."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]

    if TYPE_CHECKING:
        # modeltranslation replaces the manager class at runtime, which the type checker
        # cannot follow.
        objects: ClassVar[models.Manager[Theme]]
        _default_manager: ClassVar[models.Manager[Theme]]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organization")
    COMMUNITY_BASED = "community_based", _("Community-based organization")
    ACADEMIA = "academia", _("Academia and research")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    PROFESSIONAL_ASSOCIATION = "professional_association", _("Professional association")
    MEDIA = "media", _("Media")
    FAITH_BASED = "faith_based", _("Faith-based organization")
    OTHER = "other", _("Other")


class OrganizationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    MORE_INFO = "more_info", _("More information requested")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class OrganizationVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone may see the organization")
    REGISTERED = "registered", _("Registered people only")
    ALLIANCE = "alliance", _("Alliance members only")


DESCRIPTION_MAX_LENGTH = 5000


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def verified(self) -> OrganizationQuerySet:
        return self.filter(status=OrganizationStatus.VERIFIED)

    def of_member(self, user: User) -> OrganizationQuerySet:
        return self.filter(members__user=user)

    def with_namesakes(self) -> OrganizationQuerySet:
        """Each organization with ``namesakes``: how many others of its country carry the
        same name, whatever the case (likely duplicates, for CSU vetting only)."""
        others = (
            Organization.objects.filter(
                country=models.OuterRef("country"), name__iexact=models.OuterRef("name")
            )
            .exclude(pk=models.OuterRef("pk"))
            .order_by()
            .values("country")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            namesakes=Coalesce(models.Subquery(others, output_field=models.IntegerField()), 0)
        )

    def visible_to(self, user: User | None) -> OrganizationQuerySet:
        """Organizations this person may know exist. Everyone else gets a 404.

        Visitors see verified public organizations; signed-in people also see verified
        organizations open to registered people, alliance-only organizations of the
        alliances they belong to or coordinate (and, for coordinators, those asking to join),
        and their own organizations in any state.
        CSU staff see everything.
        """
        visible = Q(status=OrganizationStatus.VERIFIED, visibility=OrganizationVisibility.PUBLIC)
        if user is None or not user.is_authenticated:
            return self.filter(visible)
        if user.is_staff:
            return self.all()
        own = OrganizationMember.objects.filter(user=user, organization=models.OuterRef("pk"))
        alliances = Alliance.objects.for_member(user)
        same_alliance = AllianceMembership.objects.filter(
            organization=models.OuterRef("pk"),
            status=MembershipStatus.APPROVED,
            alliance__in=alliances,
        )
        visible |= Q(
            status=OrganizationStatus.VERIFIED, visibility=OrganizationVisibility.REGISTERED
        )
        visible |= Q(
            models.Exists(same_alliance),
            status=OrganizationStatus.VERIFIED,
            visibility=OrganizationVisibility.ALLIANCE,
        )
        asking = AllianceMembership.objects.filter(
            organization=models.OuterRef("pk"),
            status=MembershipStatus.REQUESTED,
            alliance__coordinators=user,
        )
        visible |= Q(models.Exists(asking), status=OrganizationStatus.VERIFIED)
        visible |= Q(models.Exists(own))
        return self.filter(visible)


class Organization(models.Model):
    """An NGO, academic institution, company or other non-governmental stakeholder."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("country"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("What the organization does against organized crime, in a few paragraphs."),
    )
    themes = models.ManyToManyField(
        Theme, related_name="organizations", blank=True, verbose_name=_("themes")
    )
    contact_email = models.EmailField(
        _("contact email"),
        help_text=_("Seen only by CSU staff, your organization and your alliance's coordinators."),
    )
    visibility = models.CharField(
        _("who may see the organization"),
        max_length=12,
        choices=OrganizationVisibility.choices,
        default=OrganizationVisibility.REGISTERED,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.PENDING,
    )
    status_reason = models.TextField(_("reason given for the status"), blank=True)
    status_changed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The directory's search document: name and acronym weighted A, description B. On
    # PostgreSQL a trigger keeps it (migration 0009) and a GIN index finds it; on SQLite
    # (local development) it stays empty and the search matches substrings instead.
    search_document = SearchVectorField(null=True, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            # No unique name per country: refusing a name would tell anyone who guessed it
            # that a hidden organization exists. CSU vetting sees likely duplicates instead
            # (``OrganizationQuerySet.with_namesakes``).
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganizationStatus.values), name="organization_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=OrganizationVisibility.values),
                name="organization_visibility_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "visibility", "country"]),
            # The directory lists by name: the first page is read in order, not sorted.
            models.Index(fields=["name"], name="organization_name_idx"),
            models.Index(Lower("name"), "country", name="organization_namesake_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organization_detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.status == OrganizationStatus.VERIFIED


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class OrganizationMember(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")
        ordering = ["organization", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organization_member_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="organization_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == MemberRole.ADMIN


class Invitation(models.Model):
    """An invitation to join an organization, sent by email as a signed, expiring link."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


# --- Alliances -----------------------------------------------------------------------------


class MemberListVisibility(models.TextChoices):
    PUBLIC = "public", _("Anyone")
    REGISTERED = "registered", _("Registered people")
    MEMBERS = "members", _("Alliance members only")


class AllianceQuerySet(models.QuerySet["Alliance"]):
    def for_member(self, user: User) -> AllianceQuerySet:
        """Alliances the person coordinates or belongs to through an approved organization.

        Two subqueries rather than one OR across joins: each uses its index on the person,
        where the joins made PostgreSQL read every membership of every alliance."""
        coordinated = Alliance.coordinators.through.objects.filter(user=user).values("alliance_id")
        joined = AllianceMembership.objects.filter(
            status=MembershipStatus.APPROVED, organization__members__user=user
        ).values("alliance_id")
        return self.filter(Q(pk__in=coordinated) | Q(pk__in=joined))


class Alliance(models.Model):
    """A country's National Civil Society Alliance."""

    country = models.OneToOneField(
        "countries.Country",
        on_delete=models.PROTECT,
        related_name="alliance",
        verbose_name=_("country"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        User, related_name="coordinated_alliances", blank=True, verbose_name=_("coordinators")
    )
    member_list_visibility = models.CharField(
        _("who may see the member list"),
        max_length=12,
        choices=MemberListVisibility.choices,
        default=MemberListVisibility.REGISTERED,
        help_text=_(
            "In countries at elevated or high risk the list is shown to alliance members only, "
            "whatever this says."
        ),
    )

    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["country__code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:alliance_detail", kwargs={"code": self.country.slug})

    @property
    def effective_member_list_visibility(self) -> str:
        if self.country.is_at_risk:
            return MemberListVisibility.MEMBERS
        return self.member_list_visibility


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed")


OPEN_MEMBERSHIP_STATUSES = (MembershipStatus.REQUESTED, MembershipStatus.APPROVED)


class AllianceMembership(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("alliance")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="alliance_memberships",
        verbose_name=_("organization"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organization"],
                condition=Q(status__in=OPEN_MEMBERSHIP_STATUSES),
                name="alliance_membership_one_open",
                violation_error_message=_(
                    "This organization already has a request or membership in this alliance."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                name="alliance_membership_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["alliance", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} in {self.alliance} ({self.get_status_display()})"


# --- Government roles ----------------------------------------------------------------------


class RoleKind(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE_FOCAL_POINT = "alternate_focal_point", _("Alternate focal point")
    CSU_OFFICER = "csu_officer", _("CSU officer")


FOCAL_POINT_ROLES = (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE_FOCAL_POINT)


class InitiativeRoleQuerySet(models.QuerySet["InitiativeRole"]):
    def active(self) -> InitiativeRoleQuerySet:
        return self.filter(active_until__isnull=True)

    def focal_points(self) -> InitiativeRoleQuerySet:
        return self.filter(role__in=FOCAL_POINT_ROLES)


class InitiativeRole(models.Model):
    """A person's role in an initiative: the government focal point for the UNTOC review
    (exactly one active per initiative), alternates, and the CSU officer following it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="initiative_roles", verbose_name=_("person")
    )
    initiative = models.ForeignKey(
        "countries.Initiative",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("initiative"),
    )
    role = models.CharField(_("role"), max_length=25, choices=RoleKind.choices)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    shown_publicly = models.BooleanField(
        _("agreed to be shown publicly"),
        default=False,
        help_text=_("Only then do the name, agency and title appear on the country page."),
    )
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_until = models.DateField(_("ended on"), null=True, blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = InitiativeRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative role")
        verbose_name_plural = _("initiative roles")
        ordering = ["initiative", "role", "-active_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(role=RoleKind.FOCAL_POINT, active_until__isnull=True),
                name="initiative_role_one_active_focal_point",
                violation_error_message=_(
                    "This initiative already has an active focal point. End that role first."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "initiative", "role"],
                condition=Q(active_until__isnull=True),
                name="initiative_role_unique_active",
                violation_error_message=_("This person already holds this role."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=RoleKind.values), name="initiative_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="initiative_role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.initiative}"

    @property
    def is_active(self) -> bool:
        return self.active_until is None


class ParticipationDeclaration(models.Model):
    """How many take part in an initiative, as the initiative counts them: a VPI counts
    every government expert and organization in its dialogue, most of whom never have an
    account here. Entered by CSU staff or a focal point, with its date and source; the
    latest is shown beside what the portal counts itself, and earlier ones stay as history."""

    initiative = models.ForeignKey(
        "countries.Initiative",
        on_delete=models.CASCADE,
        related_name="participation_declarations",
        verbose_name=_("initiative"),
    )
    government_experts = models.PositiveIntegerField(
        _("government experts"), validators=[MaxValueValidator(100_000)]
    )
    organizations = models.PositiveIntegerField(
        _("civil society organizations"), validators=[MaxValueValidator(100_000)]
    )
    as_of = models.DateField(_("counted on"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the figures come from, e.g. the list of participants of a meeting."),
    )
    declared_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("entered by")
    )
    declared_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("participation figures")
        verbose_name_plural = _("participation figures")
        ordering = ["-as_of", "-pk"]
        indexes = [
            models.Index(fields=["initiative", "-as_of", "-id"], name="participation_latest")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.as_of}"
