from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organization, OrganizationStatus

from .models import (
    Milestone,
    MilestoneStatus,
    Priority,
    Roadmap,
    Sensitivity,
    Verdict,
)
from .services import EvidenceFile, EvidenceLink, check_status_and_progress
from .uploads import ALLOWED_EXTENSIONS, check_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(ALLOWED_EXTENSIONS)
# Slots for evidence in the progress form: it works without JavaScript, so a fixed number.
LINK_SLOTS = 2
FILE_SLOTS = 3


class RoadmapForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "summary", "period_start", "period_end"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
        }


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["title", "description", "themes", "instrument", "article", "proposed_by"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
        }


def _check_milestone_status(form: forms.Form) -> None:
    status = form.cleaned_data.get("status")
    progress = form.cleaned_data.get("progress")
    if status and progress is not None:
        try:
            check_status_and_progress(status, progress)
        except ValidationError as error:
            form.add_error("progress", error)


class MilestoneForm(forms.ModelForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)

    class Meta:
        model = Milestone
        fields = [
            "title",
            "description",
            "lead",
            "lead_organizations",
            "due_on",
            "status",
            "progress",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DATE_WIDGET}
        help_texts = {
            "lead_organizations": _(
                "Verified organizations of the country. Each reader sees named only the "
                "organizations they may see; the others are counted."
            )
        }

    def __init__(self, *args: Any, country: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only organizations the editor may see can be chosen: the choices are no oracle.
        choices = (
            Organization.objects.visible_to(reader)
            .filter(country=country, status=OrganizationStatus.VERIFIED)
            .order_by("name")
        )
        self.fields["lead_organizations"].queryset = choices
        # Leading organizations the editor may not see stay as they are, unnamed.
        self.unseen_leads = (
            list(self.instance.lead_organizations.exclude(pk__in=choices.values("pk")))
            if self.instance.pk
            else []
        )

    def clean_lead_organizations(self) -> list[Organization]:
        return [*self.cleaned_data["lead_organizations"], *self.unseen_leads]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_milestone_status(self)
        return cleaned


class ProgressUpdateForm(forms.Form):
    """A progress report with up to LINK_SLOTS links and FILE_SLOTS files as evidence."""

    status = forms.ChoiceField(label=_("Status now"), choices=MilestoneStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress now (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage between 0 and 100."),
            "max_value": _("Progress is a percentage between 0 and 100."),
        },
    )
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": _("Tell what happened: a narrative is required.")},
        help_text=_("What was done, by whom, and what comes next. Public on the milestone page."),
    )

    def __init__(self, *args: Any, milestone: Milestone, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": milestone.status, "progress": milestone.progress})
        super().__init__(*args, **kwargs)
        for n in range(1, LINK_SLOTS + 1):
            self.fields[f"link_{n}_url"] = forms.URLField(
                label=_("Link %(n)s") % {"n": n}, required=False, max_length=1000
            )
            self.fields[f"link_{n}_title"] = forms.CharField(
                label=_("Title of link %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"link_{n}_sensitivity"] = forms.ChoiceField(
                label=_("Who may see link %(n)s") % {"n": n},
                choices=Sensitivity.choices,
                initial=Sensitivity.PUBLIC,
            )
        for n in range(1, FILE_SLOTS + 1):
            self.fields[f"file_{n}"] = forms.FileField(
                label=_("File %(n)s") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                help_text=_("PDF, image or office document.") if n == 1 else "",
            )
            self.fields[f"file_{n}_title"] = forms.CharField(
                label=_("Title of file %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"file_{n}_sensitivity"] = forms.ChoiceField(
                label=_("Who may see file %(n)s") % {"n": n},
                choices=Sensitivity.choices,
                initial=Sensitivity.PUBLIC,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_milestone_status(self)
        links, files = [], []
        for n in range(1, LINK_SLOTS + 1):
            if url := cleaned.get(f"link_{n}_url"):
                links.append(
                    EvidenceLink(
                        url=url,
                        title=cleaned.get(f"link_{n}_title", ""),
                        sensitivity=cleaned.get(f"link_{n}_sensitivity", Sensitivity.PUBLIC),
                    )
                )
        for n in range(1, FILE_SLOTS + 1):
            if upload := cleaned.get(f"file_{n}"):
                try:
                    checked = check_upload(upload)
                except ValidationError as error:
                    self.add_error(f"file_{n}", error)
                    continue
                files.append(
                    EvidenceFile(
                        file=checked,
                        title=cleaned.get(f"file_{n}_title", ""),
                        sensitivity=cleaned.get(f"file_{n}_sensitivity", Sensitivity.PUBLIC),
                    )
                )
        cleaned["links"], cleaned["files"] = links, files
        return cleaned

    def link_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"link_{n}_url"], self[f"link_{n}_title"], self[f"link_{n}_sensitivity"]]
            for n in range(1, LINK_SLOTS + 1)
        ]

    def file_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"file_{n}"], self[f"file_{n}_title"], self[f"file_{n}_sensitivity"]]
            for n in range(1, FILE_SLOTS + 1)
        ]


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your assessment"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Say why: a comment is required.")},
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Reasoned response"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        error_messages={"required": _("Give a reasoned response.")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Write your comment.")},
    )


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Why hide it"), max_length=500)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class CosignForm(forms.Form):
    """The non-governmental side's word on a draft: a co-signature, or an objection with
    its reason."""

    word = forms.ChoiceField(
        label=_("Your word on the draft"),
        choices=[
            ("cosign", _("We co-sign the roadmap")),
            ("object", _("We object, for the reasons below")),
        ],
        initial="cosign",
        required=False,  # a note alone co-signs
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note, or the reasons for the objection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown with the roadmap. An objection needs its reasons: the government answers them."
        ),
    )

    def __init__(self, *args, can_object: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_object:
            del self.fields["word"]
            self.fields["note"].label = _("Note (optional)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("word") == "object" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why you object: the government answers your reasons."))
        return cleaned


class ConsultationDeadlineForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Deadline for comments"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The last day on which the non-governmental side may comment. The roadmap can "
            "be adopted after it."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObjectionResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your answer to the objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you changed in the draft, or why not. The objector is told."),
    )
