from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = _("Countries and initiatives")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from common.visitor_cache import connect_content_models

        from .caching import bump_initiatives_version
        from .models import Country, Initiative

        connect_content_models(Country, Initiative)

        for model in (Country, Initiative):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_initiatives_version,
                    sender=model,
                    dispatch_uid=f"bump-{model.__name__}-{signal}",
                )
