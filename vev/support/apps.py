from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "vev.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        # "report a problem" in the meeting room, the tickets and the connection log of the
        # technical console: commands, snapshot section, panels and their texts
        from vev.live.views.room import add_room_panel
        from vev.live.views.strings import ROOM_STRINGS

        from . import room  # noqa: F401
        from .strings import SUPPORT_STRINGS

        ROOM_STRINGS.update(SUPPORT_STRINGS)
        add_room_panel("support", "support/_room_support.html", views=("room", "console", "tech"))
