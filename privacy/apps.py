from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    # No models, so no name is shown anywhere: Django's default label is enough.
    name = "privacy"
