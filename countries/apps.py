from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = _("Countries and initiatives")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from .models import Country, Initiative

        # What visitors' pages show of this app, and the home page's list of initiatives.
        connect_content_models(Country, Initiative)
