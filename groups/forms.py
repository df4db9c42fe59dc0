"""The forms of working groups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roadmaps.forms import ACCEPT
from roadmaps.models import EDITABLE_STATUSES, Priority
from roadmaps.uploads import check_form_upload
from stakeholders.models import Organization, User

from .models import Position, Proposal, ProposalKind, WorkingGroup
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


class ReplyEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReplyForm(ReplyEditForm):
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A PDF, office document or image, read by those who read the reply."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_form_upload(self, "attachment")
        return cleaned


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its author and CSU staff read the reason."),
    )


class ProposalForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("How members answer"), choices=ProposalKind.choices, widget=forms.RadioSelect
    )
    options = forms.CharField(
        label=_("Options (for a choice, one a line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    quorum = forms.IntegerField(
        label=_("Quorum (optional)"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("How many members must take part for the result to count."),
    )
    pass_share = forms.IntegerField(
        label=_("Share needed to pass (%)"), initial=50, min_value=1, max_value=100
    )

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your position"),
        choices=Position.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    choice = forms.TypedChoiceField(
        label=_("Your choice"), coerce=int, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an objection: the facilitator answers it in writing."),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if proposal.kind == ProposalKind.CHOICE:
            del self.fields["position"]
            self.fields["choice"].choices = list(enumerate(proposal.options))
            self.fields["choice"].required = True
            self.fields["reason"].help_text = ""
        else:
            del self.fields["choice"]
            self.fields["position"].required = True


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Response to the objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    decision = forms.CharField(
        label=_("What the group decided"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasons = forms.CharField(
        label=_("Why"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


class OutcomeMilestoneForm(forms.Form):
    priority = forms.ModelChoiceField(
        label=_("Priority of the draft roadmap"), queryset=Priority.objects.none()
    )

    def __init__(self, *args: Any, initiative: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(
            roadmap__initiative=initiative, roadmap__status__in=EDITABLE_STATUSES
        ).order_by("order", "pk")
