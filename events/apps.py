from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and dialogues")

    def ready(self) -> None:
        from common.visitor_cache import connect_content_models

        from . import models

        # What visitors' pages show of this app. Not registrations: the event page keys
        # visitors' copies by its counts of them.
        connect_content_models(
            models.Event,
            models.AgendaItem,
        )
