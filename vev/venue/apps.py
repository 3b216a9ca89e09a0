from django.apps import AppConfig


class VenueConfig(AppConfig):
    name = "vev.venue"
    label = "venue"
    verbose_name = "Virtual venue"

    def ready(self) -> None:
        from . import signal_handlers, tasks  # noqa: F401  (demo data, feeds, periodic sweep)
