from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import Country

from .kinds import portal_kind_choices
from .models import Preferences


class PreferencesForm(forms.ModelForm):
    portal_only = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("In the portal only, not by email"),
        help_text=_(
            "Tick a kind of news to read it in your notifications in the portal only. "
            "Unticking a whole category above does the same for all its kinds."
        ),
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=Preferences._meta.get_field("countries").verbose_name,
        help_text=Preferences._meta.get_field("countries").help_text,
    )

    class Meta:
        model = Preferences
        fields = [
            "activity_emails",
            "event_reminders",
            "portal_only",
            "digest_frequency",
            "countries",
        ]
        widgets = {"digest_frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["portal_only"].choices = portal_kind_choices()
        # Country names are translated: sort them in Python.
        self.fields["countries"].choices = sorted(
            ((country.pk, country.name) for country in Country.objects.all()),
            key=lambda choice: str(choice[1]),
        )
