"""Commands of the meeting room socket, one module per feature.

Each module registers its commands on ``ROOM_COMMANDS`` (name ``<feature>.<verb>``, the
``council.permissions.Perm`` it needs, a pydantic payload) and, where the feature has state a
client must see on (re)connect, a snapshot section (``vev.live.snapshot.section``). Handlers
receive the connection's :class:`~vev.live.context.RoomContext` and the payload, call one
service and return a JSON-ready result. Finer rules (an active seat, the floor, a closed
meeting) are the services' to enforce.
"""

from vev.core.realtime.consumer import CommandRegistry

ROOM_COMMANDS = CommandRegistry("meeting room")

from . import flow, moderation, room, speakers  # noqa: E402, F401  (register commands, sections)

# isort: split
from . import captions  # noqa: E402, F401  (live captions)

# isort: split
from . import media  # noqa: E402, F401  (audio, interpretation, webcast, video: vev.media)
