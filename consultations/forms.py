"""The forms of consultations: opening one, and an organization's input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmaps.forms import ACCEPT
from roadmaps.uploads import check_form_upload
from stakeholders.models import Organization

from .models import Consultation


class ConsultationForm(forms.ModelForm):
    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("The draft you consult on: PDF or office document."),
    )

    class Meta:
        model = Consultation
        fields = ["title", "kind", "description", "deadline", "audience", "public_record"]
        labels = {"public_record": _("Publish the record after the deadline")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline <= timezone.now():
            raise ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_form_upload(self, "document")
        return cleaned


ALLIANCE_CHOICE = "alliance"


class InputForm(forms.Form):
    on_behalf_of = forms.ChoiceField(label=_("On behalf of"))
    text = forms.CharField(
        label=_("Your input"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": _("Write your input.")},
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(
        self, *args: Any, organizations: list[Organization], alliance: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {str(org.pk): org for org in organizations}
        choices = [(pk, str(org)) for pk, org in self.organizations.items()]
        if alliance:
            choices.append((ALLIANCE_CHOICE, str(_("The alliance (as its coordinator)"))))
        self.fields["on_behalf_of"].choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        choice = cleaned.get("on_behalf_of")
        cleaned["organization"] = self.organizations.get(choice) if choice else None
        check_form_upload(self, "attachment")
        return cleaned
