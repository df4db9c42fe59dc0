from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from . import models

        def country_of(obj: object) -> str | None:
            group = obj if isinstance(obj, models.WorkingGroup) else getattr(obj, "group", None)
            return str(group.initiative.country.code) if group is not None else None

        # A public group shows on its country's pages for visitors.
        connect_content_models(models.WorkingGroup, models.GroupMember, country_of=country_of)
