from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "vev.decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        # receivers, event-stream commands, tasks, and the objection call in the meeting room
        from vev.live.views.room import add_room_panel
        from vev.live.views.strings import ROOM_STRINGS

        from . import room, signal_handlers, stream, tasks  # noqa: F401
        from .strings import CONCLUSION_STRINGS

        ROOM_STRINGS.update(CONCLUSION_STRINGS)
        add_room_panel("conclusions", "decisions/_room_call.html", views=("room", "console"))
