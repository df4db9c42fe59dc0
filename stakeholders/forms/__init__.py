import functools
import zoneinfo

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import Language, User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth adds email and password)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    display_name = forms.CharField(
        label=_("Display name (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "Shown to other members instead of your full name. Choose a pseudonym if being "
            "identified could put you at risk."
        ),
    )

    # Filled in by the browser (static/js/portal.js) with its own time zone, so that times
    # are shown in the person's zone from the start; without script, UTC until they choose.
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    field_order = ["full_name", "display_name", "email", "password1", "password2"]

    def signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.display_name = self.cleaned_data["display_name"]
        # The language the person signed up in (their browser's or the one they chose) becomes
        # the language of their profile and of their emails.
        language = translation.get_language() or ""
        if language in Language.values:
            user.preferred_language = language
        fields = ["full_name", "display_name", "preferred_language"]
        zone = self.cleaned_data.get("time_zone") or ""
        if zone in zoneinfo.available_timezones():
            user.time_zone = zone
            fields.append("time_zone")
        user.save(update_fields=fields)


# The regions of the time zone database, as a picker groups its zones.
TIME_ZONE_REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Asia": _("Asia"),
    "Europe": _("Europe"),
    "Australia": _("Australia"),
    "Pacific": _("Pacific"),
    "Indian": _("Indian Ocean"),
    "Atlantic": _("Atlantic"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
}


@functools.cache
def _zones_by_region() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    grouped: dict[str, list[tuple[str, str]]] = {region: [] for region in TIME_ZONE_REGIONS}
    for name in zoneinfo.available_timezones():
        region, _slash, place = name.partition("/")
        if region in grouped and place:
            grouped[region].append((name, place.replace("_", " ").replace("/", " – ")))
    return tuple(
        (region, tuple(sorted(zones, key=lambda zone: zone[1])))
        for region, zones in grouped.items()
    )


def time_zone_choices(current: str = "") -> list:
    """The time zones grouped by region, each named by its place ("Nairobi" under
    Africa), UTC first. Typing a place's first letters in the list finds it. A zone kept
    from before that the list does not hold (an old alias) stays offered to whoever has it."""
    choices: list = [("UTC", "UTC")]
    choices += [(TIME_ZONE_REGIONS[region], list(zones)) for region, zones in _zones_by_region()]
    known = {"UTC"} | {name for _region, zones in _zones_by_region() for name, _ in zones}
    if current and current not in known:
        choices.insert(0, (current, current.replace("_", " ")))
    return choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown to you in this time zone."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)

    class Meta:
        model = User
        fields = ["full_name", "display_name", "preferred_language", "time_zone"]
