from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from . import models

        def country_of(obj: object) -> str | None:
            initiative = getattr(obj, "initiative", None)
            return str(initiative.country.code) if initiative is not None else None

        # A consultation shows on no visitor's page but its country's (the status of the
        # initiative): a change renews that country's pages.
        connect_content_models(models.Consultation, models.ConsultationInput, country_of=country_of)
