"""Forms of the alliance pages and of the initiative roles page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from countries.models import Country

from ..models import (
    Alliance,
    MembershipStatus,
    Organization,
    ParticipationDeclaration,
    RoleKind,
    User,
)


class JoinRequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("On behalf of"),
        empty_label=None,
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Why your organization wants to join and what it brings: the coordinators read "
            "this before they decide."
        ),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        # With one organization there is nothing to choose: say on whose behalf instead.
        choices = list(organizations[:2])
        self.only_organization = choices[0] if len(choices) == 1 else None
        if self.only_organization is not None:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = self.only_organization.pk


class DecisionForm(forms.Form):
    """A coordinator's decision on a request or a membership. Declining and removing need a
    note, which the organization reads."""

    note = forms.CharField(
        label=_("Note to the organization"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, decision: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if decision in (MembershipStatus.DECLINED, MembershipStatus.REMOVED):
            self.fields["note"].required = True
            self.fields["note"].help_text = _(
                "Required: say why. The organization's admins read it."
            )
        if decision == MembershipStatus.REMOVED:
            self.fields["confirm"] = forms.BooleanField(
                label=_("Yes, remove this organization from the alliance."), required=True
            )


class AllianceForm(forms.ModelForm):
    class Meta:
        model = Alliance
        fields = ["country", "name", "description", "founded_on", "member_list_visibility"]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A country's alliance stays with that country.
            del self.fields["country"]
        else:
            self.fields["country"].queryset = Country.objects.filter(
                alliance__isnull=True, initiatives__isnull=False
            ).distinct()
            self.fields["country"].help_text = _(
                "Countries that run an initiative and have no alliance yet."
            )


def existing_account(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise forms.ValidationError(
            _("No active account uses this address. Ask the person to register first."),
            code="unknown_account",
        )
    return user


class CoordinatorForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the new coordinator"),
        help_text=_("The person must already have an account."),
    )

    def __init__(self, *args: Any, alliance: Alliance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alliance = alliance

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        user = existing_account(email)
        if self.alliance.coordinators.filter(pk=user.pk).exists():
            raise forms.ValidationError(
                _("This person already coordinates the alliance."), code="already_coordinator"
            )
        self.cleaned_data["user"] = user
        return email


class RoleAssignForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person"),
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    agency = forms.CharField(label=_("Agency"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    shown_publicly = forms.BooleanField(
        label=_("The person agreed to be shown publicly"),
        required=False,
        help_text=_(
            "Only then do their name, agency and title appear on the country page. "
            "Leave unticked without their explicit agreement."
        ),
    )
    active_from = forms.DateField(
        label=_("Active from"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.cleaned_data["user"] = existing_account(email)
        return email


class ParticipationForm(forms.ModelForm):
    """The initiative's own count of who takes part, with its date and source."""

    class Meta:
        model = ParticipationDeclaration
        fields = ["government_experts", "organizations", "as_of", "source"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(_("Figures are counted on a day that has come."))
        return as_of
