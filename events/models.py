"""Events and dialogues: consultations, joint workshops, alliance meetings and the
Constructive Dialogues, with their agenda, registrations, minutes and action items.

Times are stored aware (UTC in the database) together with the event's own IANA time zone,
so that pages and calendars show them where the event takes place and where the viewer is.
"""

from __future__ import annotations

import secrets
import zoneinfo
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Alliance
from stakeholders.standing import standing_of
from stakeholders.validators import validate_time_zone

if TYPE_CHECKING:
    from countries.models import Country
    from stakeholders.models import User


class EventKind(models.TextChoices):
    CONSTRUCTIVE_DIALOGUE = "constructive_dialogue", _("Constructive Dialogue")
    STAKEHOLDER_CONSULTATION = "stakeholder_consultation", _("Consultation with stakeholders")
    GOVERNMENT_CONSULTATION = "government_consultation", _("Consultation with government")
    JOINT_WORKSHOP = "joint_workshop", _("Joint workshop")
    ALLIANCE_MEETING = "alliance_meeting", _("Alliance meeting")
    ROADMAP_REVIEW = "roadmap_review", _("Roadmap review")
    SIDE_EVENT = "side_event", _("Side event")
    TRAINING = "training", _("Training")


class WorkingGroupTopic(models.TextChoices):
    """The UNTOC Working Groups whose sessions Constructive Dialogues follow."""

    FIREARMS = "firearms", _("Firearms")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")
    TRAFFICKING_IN_PERSONS = "trafficking_in_persons", _("Trafficking in persons")
    SMUGGLING_OF_MIGRANTS = "smuggling_of_migrants", _("Smuggling of migrants")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone may see it")
    MEMBERS = "members", _("Registered people")
    ALLIANCE = "alliance", _("Members of the country's alliance")
    INVITATION = "invitation", _("Invited people only")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class RegistrationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied, waiting for the organizers")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined by the organizers")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not attend")
    REMOVED = "removed", _("Removed by the organizers")
    CLOSED = "closed", _("Closed when the event ended")


# Registrations that hold a seat: capacity counts these.
SEAT_STATUSES = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)
# Registrations that give access to the venue and online link.
CONFIRMED_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
# Registrations still in play: their holders hear about postponements and cancellations.
OPEN_STATUSES = (
    RegistrationStatus.APPLIED,
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITLISTED,
)


# Events every signed-in person may see.
SIGNED_IN_VISIBILITIES = (EventVisibility.PUBLIC, EventVisibility.MEMBERS)


def organizer_condition(user: User) -> Q:
    """A condition matching the events this person organizes: listed organizers, the
    coordinators of an alliance meeting's alliance, and the focal points of the
    initiative of any other event.

    The alliances and initiatives come from the person's standing (one query, remembered
    for the request) as literal ids: the condition costs a few microseconds to build and
    PostgreSQL answers it from indexes, where subqueries correlated with every event made
    it test each upcoming event in turn."""
    standing = standing_of(user)
    listed = Event.organizers.through.objects.filter(event=OuterRef("pk"), user=user)
    condition = Q(Exists(listed))
    if standing.coordinated_alliances:
        condition |= Q(alliance__in=standing.coordinated_alliances)
    if standing.focal_point_initiatives:
        condition |= Q(initiative__in=standing.focal_point_initiatives, alliance__isnull=True)
    return condition


def organizes_anything(user: User) -> bool:
    """Whether ``organizer_condition`` can match any event at all, answered from the
    person's standing and the organizers' own table. Most people organize nothing, and
    asking the events table with the whole condition costs far more than this."""
    standing = standing_of(user)
    if standing.coordinated_alliances or standing.focal_point_initiatives:
        return True
    return Event.organizers.through.objects.filter(user=user).exists()


class EventQuerySet(models.QuerySet["Event"]):
    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def organized_by(self, user: User) -> EventQuerySet:
        return self.filter(organizer_condition(user))

    def visible_to(self, user: User | None) -> EventQuerySet:
        """Events this person may know exist; everyone else gets a 404.

        Public events are for everyone (unless they belong to a members-only initiative),
        members' events for signed-in people, alliance events for the members and
        coordinators of the country's alliance, events by invitation for the invited.
        Organizers see their own events and CSU staff see all.
        """
        public_initiative = Q(initiative__isnull=True) | Q(initiative__visibility="public")
        if user is None or not user.is_authenticated:
            return self.filter(public_initiative, visibility=EventVisibility.PUBLIC)
        if user.is_staff:
            return self.all()
        standing = standing_of(user)
        alliances = standing.member_alliances | standing.coordinated_alliances
        invited = Registration.objects.filter(event=OuterRef("pk"), user=user)
        visible = (
            Q(visibility__in=SIGNED_IN_VISIBILITIES)
            | Q(Exists(invited), visibility=EventVisibility.INVITATION)
            | organizer_condition(user)
        )
        if alliances:
            visible |= Q(
                Q(alliance__in=alliances) | Q(initiative__country__alliance__in=alliances),
                visibility=EventVisibility.ALLIANCE,
            )
        return self.filter(visible)

    def for_initiative(self, initiative) -> EventQuerySet:
        """The initiative's events and the meetings of its country's alliance. The alliance's
        id is read first and given as a value: PostgreSQL then knows how few events match,
        reads both kinds from their indexes and sorts a handful, where a join or a subquery
        made it walk every upcoming event in date order (13 ms on the full dataset, 0.3 ms
        this way)."""
        alliances = list(
            Alliance.objects.filter(country_id=initiative.country_id).values_list("pk", flat=True)
        )
        return self.filter(Q(initiative=initiative) | Q(alliance__in=alliances))


# modeltranslation replaces the manager class at runtime, which the type checker cannot
# follow: the manager is named here and declared on the model, with its default manager.
EventManager = models.Manager.from_queryset(EventQuerySet)


class Event(models.Model):
    """A dialogue, consultation, workshop or meeting that people register for."""

    initiative = models.ForeignKey(
        "countries.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("initiative"),
        help_text=_("Leave empty for global events such as Constructive Dialogues."),
        db_index=False,  # event_initiative_ends_idx below starts with it
    )
    alliance = models.ForeignKey(
        "stakeholders.Alliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("alliance"),
        help_text=_("For alliance meetings: the alliance's coordinators organize it."),
        db_index=False,  # event_alliance_ends_idx below starts with it
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    topic = models.CharField(
        _("working group topic"),
        max_length=30,
        choices=WorkingGroupTopic.choices,
        blank=True,
        help_text=_("For Constructive Dialogues: the UNTOC Working Group it follows."),
    )
    format = models.CharField(_("format"), max_length=10, choices=EventFormat.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, such as Africa/Nairobi."),
    )
    venue = models.CharField(
        _("venue"),
        max_length=300,
        blank=True,
        help_text=_("Shown only to registered people and organizers."),
    )
    online_link = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to registered people and organizers."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Beyond it, people join a waiting list."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("People apply; organizers approve or decline each application."),
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=12,
        choices=EventVisibility.choices,
        default=EventVisibility.PUBLIC,
    )
    chatham_house = models.BooleanField(
        _("Chatham House rule"),
        default=False,
        help_text=_("Participants are never named outside the organizers."),
    )
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organized_events",
        blank=True,
        verbose_name=_("organizers"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    status_message = models.TextField(
        _("message about the change"),
        blank=True,
        help_text=_("Why the event was postponed or cancelled; shown on the event page."),
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        help_text=_("Seen only by registered attendees, organizers and CSU staff."),
    )
    outcome_published_at = models.DateTimeField(
        _("minutes first published"),
        null=True,
        blank=True,
        help_text=_("When the participants were told that the minutes are out."),
    )
    walk_ins_without_account = models.PositiveIntegerField(
        _("walk-ins without an account"),
        default=0,
        db_default=0,
        help_text=_("People who attended without registering and have no account here."),
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        help_text=_("Raised on each change of time, place or status, so calendars update."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[EventManager[Event]] = EventManager()
    if TYPE_CHECKING:
        _default_manager: ClassVar[EventManager[Event]]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or left empty."),
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(format__in=EventFormat.values), name="event_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=EventVisibility.values), name="event_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["ends_at"]),
            models.Index(fields=["visibility", "status"]),
            # A country's upcoming events: its initiative's and its alliance's, each read
            # from its own index and combined (``EventQuerySet.for_initiative``).
            models.Index(fields=["initiative", "ends_at"], name="event_initiative_ends_idx"),
            models.Index(fields=["alliance", "ends_at"], name="event_alliance_ends_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def country(self) -> Country | None:
        if self.initiative is not None:
            return self.initiative.country
        if self.alliance is not None:
            return self.alliance.country
        return None

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def registration_closes(self):
        """When registration closes: the set moment, or else the start of the event; at
        the latest when the event starts."""
        if self.registration_closes_at is None:
            return self.starts_at
        return min(self.registration_closes_at, self.starts_at)

    @property
    def registration_opens_later(self) -> bool:
        return (
            self.registration_opens_at is not None and timezone.now() < self.registration_opens_at
        )

    @property
    def registration_is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status in (EventStatus.SCHEDULED, EventStatus.POSTPONED)
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and now < self.registration_closes
        )


class AgendaItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    speakers = models.CharField(
        _("speakers"),
        max_length=300,
        blank=True,
        help_text=_("Names and affiliations, as the speakers agreed to be shown."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person's place at an event: applied, registered, on the waiting list and so on."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
        db_index=False,  # the indexes below start with the event
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "stakeholders.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("on behalf of"),
        db_index=False,  # indexed below where set: most people register for themselves
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    position = models.PositiveIntegerField(
        _("place on the waiting list"),
        null=True,
        blank=True,
        help_text=_("The first waitlisted person is promoted when a seat frees up."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
        db_index=False,  # indexed below where set: most registrations have no inviter
    )
    walk_in = models.BooleanField(
        _("walk-in"),
        default=False,
        db_default=False,
        help_text=_("Came to the event without a seat, and was recorded as attending."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="registration_one_per_person",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
        ]
        # Each index is written on every registration, the most frequent write: none is
        # kept that another already covers.
        indexes = [
            models.Index(fields=["event", "status", "position"]),
            models.Index(
                fields=["invited_by"],
                condition=Q(invited_by__isnull=False),
                name="registration_invited_by",
            ),
            models.Index(
                fields=["organization"],
                condition=Q(organization__isnull=False),
                name="registration_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ActionItem(models.Model):
    """Something agreed at the event, with who follows it up and by when. It can become a
    milestone on the country's roadmap."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("event")
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.CharField(
        _("who follows it up"),
        max_length=200,
        blank=True,
        help_text=_("An agency or organization, not a person's name."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The milestone this action became on the country's roadmap; the milestone finds its
    # event back through ``milestone.action_items``.
    milestone = models.ForeignKey(
        "roadmaps.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("roadmap milestone"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's calendar of registered events. Anyone holding the
    address can read the feed, so the person can replace it at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"

    def get_absolute_url(self) -> str:
        return reverse("events:feed", kwargs={"token": self.token})
