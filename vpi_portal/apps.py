from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "vpi_portal"
    verbose_name = "VPI Portal"

    def ready(self) -> None:
        from . import lookups

        lookups.register()
