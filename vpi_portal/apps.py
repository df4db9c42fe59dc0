from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "vpi_portal"
    verbose_name = "VPI Portal"

    def ready(self) -> None:
        from . import lookups, pagecache, security  # noqa: F401 (security connects a receiver)

        pagecache.connect()
        lookups.register()
