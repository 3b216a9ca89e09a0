from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "vev.live"
    label = "live"
    verbose_name = "Live meeting room"

    def ready(self) -> None:
        # Commands and snapshot sections register themselves when their modules load.
        from . import commands, signal_handlers, tasks  # noqa: F401
        from .views.room import add_room_panel

        # Audio, interpretation, video, recording (commands/media.py, static/vev/js/live/media.js)
        add_room_panel("media", "live/_media.html")
