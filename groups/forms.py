"""The forms of working groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organization, User

from .models import WorkingGroup
from .services import MAX_TEXT


def person_by_email(email: str) -> User:
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            _("No one has an account with this address. Ask the person to register first.")
        )
    return person


class WorkingGroupForm(forms.ModelForm):
    facilitator_email = forms.EmailField(
        label=_("Facilitator's email address"),
        help_text=_("The person who runs the group: they decide who joins and may moderate."),
    )

    class Meta:
        model = WorkingGroup
        fields = ["title", "theme", "purpose", "visibility", "chatham_house"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["facilitator_email"].initial = self.instance.facilitator.email

    def clean_facilitator_email(self) -> str:
        email = self.cleaned_data["facilitator_email"]
        self.instance.facilitator = person_by_email(email)
        return email


class ExpertForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    agency = forms.CharField(
        label=_("Agency"), max_length=200, required=False, help_text=_("Ministry, police, court...")
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.cleaned_data["person"] = person_by_email(email)
        return email


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("A person of an organization that is a member of the country's alliance."),
    )

    def __init__(self, *args: Any, speaking_for: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.speaking_for = speaking_for  # person -> the alliance organizations they are in

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        person = person_by_email(email)
        organizations = self.speaking_for(person)
        if not organizations:
            raise ValidationError(
                _("This person is not in an organization of the country's alliance.")
            )
        self.cleaned_data["person"] = person
        self.cleaned_data["organization"] = organizations[0]
        return email


class JoinForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Speaking for"),
        empty_label=None,
    )
    note = forms.CharField(
        label=_("A word to the facilitator (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[organization.pk for organization in organizations]
        ).order_by("name")


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    context = forms.CharField(
        label=_("Context"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the thread is about, and what it should settle."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its author and CSU staff read the reason."),
    )
