from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import Country

from ..models import MemberRole, Organization, Theme
from ..services import REASON_REQUIRED, VETTING_TRANSITIONS


class CountryChoiceIterator(forms.models.ModelChoiceIterator):
    """Countries in the order of their (translated) names, which the database cannot sort."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        countries = sorted(self.queryset, key=lambda country: str(country.name))
        for country in countries:
            yield self.choice(country)


class CountryChoiceField(forms.ModelChoiceField):
    iterator = CountryChoiceIterator


class OrganizationForm(forms.ModelForm):
    """The organization's profile, for registration and for its admins' edits."""

    country = CountryChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        help_text=_("Only countries taking part in the portal are listed."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For example https://www.example.org"),
    )
    # Theme names are translated data (stakeholders/translation.py).
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The areas your organization works on."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "acronym",
            "kind",
            "country",
            "city",
            "website",
            "description",
            "themes",
            "contact_email",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
        }

    def service_fields(self) -> dict[str, Any]:
        """The profile fields as the services take them (themes go separately)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "themes"}


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They receive a link that works for two weeks, with or without an account."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        help_text=_("Admins edit the profile and manage the organization's people."),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=MemberRole.choices)


class ReviewRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What has changed since the rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Answer the reason CSU staff gave: what you corrected or added to the profile, or "
            "what they may not have known. Only CSU staff read it."
        ),
    )


class VettingDecisionForm(forms.Form):
    """One vetting decision. ``seen_status`` is the status the deciding person saw, so that a
    decision taken by someone else in the meantime is not overwritten."""

    decision = forms.ChoiceField(choices=[(d, d) for d in VETTING_TRANSITIONS])
    seen_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organization's admins read it in the email and on their page."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") in REASON_REQUIRED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason: the organization's admins will read it."))
        return cleaned
