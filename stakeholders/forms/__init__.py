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

    field_order = ["full_name", "display_name", "email", "password1", "password2"]

    def signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.display_name = self.cleaned_data["display_name"]
        # The language the person signed up in (their browser's or the one they chose) becomes
        # the language of their profile and of their emails.
        language = translation.get_language() or ""
        if language in Language.values:
            user.preferred_language = language
        user.save(update_fields=["full_name", "display_name", "preferred_language"])


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown to you in this time zone."),
    )

    class Meta:
        model = User
        fields = ["full_name", "display_name", "preferred_language", "time_zone"]
