from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "vev.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        # the chat of the meeting room: commands, snapshot section, panel and its texts
        from vev.live.views.room import add_room_panel
        from vev.live.views.strings import ROOM_STRINGS

        from . import room  # noqa: F401
        from .strings import CHAT_STRINGS

        ROOM_STRINGS.update(CHAT_STRINGS)
        add_room_panel("chat", "chat/_room_chat.html", views=("room", "console", "tech"))
