from django import forms

from countries.models import Country

from .models import Preferences


class PreferencesForm(forms.ModelForm):
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=Preferences._meta.get_field("countries").verbose_name,
        help_text=Preferences._meta.get_field("countries").help_text,
    )

    class Meta:
        model = Preferences
        fields = ["activity_emails", "event_reminders", "digest_frequency", "countries"]
        widgets = {"digest_frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Country names are translated: sort them in Python.
        self.fields["countries"].choices = sorted(
            ((country.pk, country.name) for country in Country.objects.all()),
            key=lambda choice: str(choice[1]),
        )
