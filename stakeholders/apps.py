from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from . import models

        # What visitors' pages show of this app (not invitations).
        connect_content_models(
            models.User,
            models.Theme,
            models.Organization,
            models.OrganizationMember,
            models.Alliance,
            models.AllianceMembership,
            models.InitiativeRole,
        )
