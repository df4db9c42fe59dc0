from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Initiative, country_time_zone
from roadmaps.models import EDITABLE_STATUSES, Priority
from stakeholders.forms import time_zone_choices
from stakeholders.models import Alliance, Organization, User

from .models import ActionItem, AgendaItem, Event, EventKind

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as written on the event's invitation, without a zone. The form
    that holds it makes it aware in the event's time zone (not the viewer's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)

    def to_python(self, value: Any) -> datetime.datetime | None:
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else None


def wall_clock(value: datetime.datetime | None, tz: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    """An aware time as the wall clock reads it in ``tz``, for a form's initial value."""
    return value.astimezone(tz).replace(tzinfo=None) if value else None


def aware(value: datetime.datetime | None, tz: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=tz)


def zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class EventForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Where the event takes place. Enter all times below as read there."),
    )
    starts_at = WallClockDateTimeField(label=_("Starts"))
    ends_at = WallClockDateTimeField(label=_("Ends"))
    registration_opens_at = WallClockDateTimeField(
        label=_("Registration opens"),
        required=False,
        help_text=_("Leave empty to open registration now."),
    )
    registration_closes_at = WallClockDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )

    class Meta:
        model = Event
        fields = [
            "initiative",
            "alliance",
            "kind",
            "topic",
            "format",
            "title",
            "description",
            "time_zone",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "visibility",
            "chatham_house",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            tz = self.instance.tzinfo
            for name in TIME_FIELDS:
                self.initial[name] = wall_clock(getattr(self.instance, name), tz)
            # Whose event it is stays as created; CSU staff can move it in the admin.
            self.fields["initiative"].disabled = True
            self.fields["alliance"].disabled = True
        elif not user.is_staff:
            self.fields["initiative"].queryset = Initiative.objects.filter(
                roles__in=user.initiative_roles.active().focal_points()
            ).select_related("country")
            self.fields["alliance"].queryset = user.coordinated_alliances.select_related("country")
        else:
            self.fields["initiative"].queryset = Initiative.objects.select_related("country")
            self.fields["alliance"].queryset = Alliance.objects.select_related("country")
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone or "")
        if not self.instance.pk and "time_zone" not in self.initial:
            self.initial["time_zone"] = self.default_time_zone(user)

    @staticmethod
    def default_time_zone(user: User) -> str:
        """Where a new event most likely takes place: in the country of the organizer's
        initiative or alliance, else in the organizer's own time zone."""
        country = (
            Initiative.objects.filter(roles__in=user.initiative_roles.active().focal_points())
            .values_list("country__code", flat=True)
            .first()
            or user.coordinated_alliances.values_list("country__code", flat=True).first()
        )
        return (country and country_time_zone(country)) or user.time_zone or "UTC"

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"]
        if zone_or_none(name) is None:
            raise forms.ValidationError(
                _("%(value)s is not a known time zone. Use a name such as Africa/Nairobi."),
                params={"value": name},
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # With an unknown time zone the form is invalid anyway; UTC keeps the checks below
        # comparing like with like.
        tz = zone_or_none(cleaned.get("time_zone")) or datetime.UTC
        for name in TIME_FIELDS:
            cleaned[name] = aware(cleaned.get(name), tz)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The event must end after it starts."))
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and starts_at and closes > starts_at:
            self.add_error(
                "registration_closes_at",
                _("Registration closes at the latest when the event starts."),
            )
        initiative, alliance = cleaned.get("initiative"), cleaned.get("alliance")
        if cleaned.get("kind") == EventKind.ALLIANCE_MEETING and not alliance:
            self.add_error("alliance", _("An alliance meeting needs its alliance."))
        if not self.instance.pk and not self.user.is_staff:
            if not initiative and not alliance:
                self.add_error(
                    "initiative", _("Choose the initiative or the alliance the event belongs to.")
                )
            if initiative and not self.user.has_perm("events.add_event_for_initiative", initiative):
                self.add_error("initiative", _("You may not create events for this initiative."))
            if alliance and not self.user.has_perm("events.add_event_for_alliance", alliance):
                self.add_error("alliance", _("You may not create events for this alliance."))
        return cleaned


class AgendaItemForm(forms.ModelForm):
    starts_at = WallClockDateTimeField(
        label=_("Time"), required=False, help_text=_("In the event's time zone.")
    )

    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title", "speakers", "order"]

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            event = event or self.instance.event
            self.initial["starts_at"] = wall_clock(self.instance.starts_at, event.tzinfo)


class BaseAgendaFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # The formset has the event; read from each item, it was a query per item.
        return {**super().get_form_kwargs(index), "event": self.instance}


# absolute_max: a forged form count must not make the server build (and the page show)
# a thousand forms; Django's default allows max_num + 1000.
AgendaFormSet = inlineformset_factory(
    Event,
    AgendaItem,
    form=AgendaItemForm,
    formset=BaseAgendaFormSet,
    extra=3,
    can_delete=True,
    max_num=50,
    absolute_max=50,
)


class PostponeForm(forms.Form):
    starts_at = WallClockDateTimeField(label=_("New start"))
    ends_at = WallClockDateTimeField(label=_("New end"))
    message = forms.CharField(
        label=_("Message to everyone registered"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["starts_at"].help_text = event.time_zone
        self.fields["ends_at"].help_text = event.time_zone
        self.initial.setdefault("starts_at", wall_clock(event.starts_at, event.tzinfo))
        self.initial.setdefault("ends_at", wall_clock(event.ends_at, event.tzinfo))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("starts_at", "ends_at"):
            cleaned[name] = aware(cleaned.get(name), self.event.tzinfo)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Message to everyone registered"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel this event and tell everyone registered."), required=True
    )


class RegistrationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most people register as themselves: their organizations are looked up only to
        # offer them, or to check the one chosen.
        if not self.is_bound or self.data.get("organization"):
            self.fields["organization"].queryset = Organization.objects.of_member(user).order_by(
                "name"
            )


class RegistrationChangeForm(forms.Form):
    """The reason organizers give for removing or promoting a person: the person reads it
    (when removed), and the audit log keeps it."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Recorded in the audit log; a removed person reads it in their email."),
    )


# Walk-ins are entered as email addresses, one per line: at most this many at once.
MAX_WALK_INS = 200


class WalkInsForm(forms.Form):
    """Who attended without a seat: people with an account, by their email address, and a
    count of those without one."""

    emails = forms.CharField(
        label=_("Walk-ins with an account here"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        required=False,
        max_length=MAX_WALK_INS * 100,
        help_text=_("Their email addresses, one per line. They are recorded as attending."),
    )
    without_account = forms.IntegerField(
        label=_("Walk-ins without an account"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("How many others came without registering. Only the number is kept."),
    )

    def clean_emails(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        emails = [line for line in lines if line]
        if len(emails) > MAX_WALK_INS:
            raise forms.ValidationError(
                _("Enter at most %(count)d addresses at once.") % {"count": MAX_WALK_INS}
            )
        field = forms.EmailField()
        invalid = []
        for email in emails:
            try:
                field.clean(email)
            except forms.ValidationError:
                invalid.append(email)
        if invalid:
            raise forms.ValidationError(
                _("These are not email addresses: %(emails)s") % {"emails": ", ".join(invalid)}
            )
        return emails


# A long agenda or list of action items is written a few rows at a time: the button asks
# for more empty rows and the form comes back with what was typed, nothing saved yet.
MORE_ROWS = 3


def with_more_rows(data, *, prefix: str, absolute_max: int):
    """The posted data with room for ``MORE_ROWS`` more forms in the formset ``prefix``."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    data[key] = str(max(0, min(total + MORE_ROWS, absolute_max)))
    return data


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person to invite"),
        help_text=_("The person needs an account on the portal."),
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No one has an account with this email. Ask the person to register first.")
            )
        return user


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["public_summary", "minutes"]
        widgets = {
            "public_summary": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "public_summary": _("Anyone who may see the event reads this."),
            "minutes": _(
                "Seen only by registered attendees, organizers and CSU staff. Under the "
                "Chatham House rule, do not attribute statements to people or organizations."
            ),
        }


ActionItemFormSet = inlineformset_factory(
    Event,
    ActionItem,
    fields=["text", "owner", "due_on", "order"],
    widgets={"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    extra=3,
    can_delete=True,
    max_num=100,
    absolute_max=100,
)


class ActionItemMilestoneForm(forms.Form):
    priority = forms.ModelChoiceField(
        label=_("Priority of the roadmap"), queryset=Priority.objects.none()
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = editable_priorities(initiative)


def editable_priorities(initiative: Initiative | None):
    """Priorities of the initiative's roadmap version that can still take milestones."""
    if initiative is None:
        return Priority.objects.none()
    return Priority.objects.filter(
        roadmap__initiative=initiative, roadmap__status__in=EDITABLE_STATUSES
    ).order_by("order", "pk")
