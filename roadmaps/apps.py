from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = _("Roadmaps")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from . import models
        from .rules import initiative_of

        def country_of(obj: object) -> str | None:
            initiative = initiative_of(obj)
            return str(initiative.country.code) if initiative is not None else None

        # What visitors' pages show of this app: only the country's page and its roadmap.
        connect_content_models(
            models.Roadmap,
            models.Endorsement,
            models.Priority,
            models.Milestone,
            models.MilestoneUpdate,
            models.Evidence,
            models.Assessment,
            models.Comment,
            country_of=country_of,
        )
