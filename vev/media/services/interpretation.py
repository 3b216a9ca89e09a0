"""Booths: who is on air, the booth microphone and the handover between partners.

Each language has its own AudioBridge booth room whose mix is forwarded, always on, into the
webcast mountpoint's channel of that language: a handover changes who is heard in the booth,
never the stream listeners receive. Partners hear each other in the booth (mix-minus).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit

from ..errors import MediaConflict
from .moderation import set_participant_muted
from .rooms import RoomIds, floor_participants, user_of
from .types import BoothState, ChannelStateChanged


def booth_state(ids: RoomIds, language: str) -> BoothState:
    members: dict[int, bool] = {}
    for participant in floor_participants(ids, ids.booths[language]):
        user_id = user_of(int(participant["id"]))
        members[user_id] = members.get(user_id, False) or not participant.get("muted", True)
    live = sorted(user for user, on in members.items() if on)
    return BoothState(
        language=language, members=sorted(members), live=live, both_live=len(live) > 1
    )


def channel_state(ids: RoomIds, state: BoothState) -> ChannelStateChanged:
    return ChannelStateChanged(meeting=ids.meeting, language=state.language, live=bool(state.live))


def _announce(ids: RoomIds, state: BoothState) -> None:
    publish_on_commit(groups.meeting(ids.meeting), channel_state(ids, state))


def set_booth_mic(
    ids: RoomIds, language: str, user_id: int, on: bool, *, announce: bool = True
) -> BoothState:
    """An interpreter's own microphone (``on`` False also serves as the cough key)."""
    if not set_participant_muted(ids, user_id, not on, ids.booths[language]):
        raise MediaConflict(_("You are not connected to the booth."))
    state = booth_state(ids, language)
    if announce:
        _announce(ids, state)
    return state


def handover(ids: RoomIds, language: str, to_user: int, *, announce: bool = True) -> BoothState:
    """Make ``to_user`` the booth's only live interpreter: unmute them, then mute the others.

    Unmuting first means the channel never falls silent; for a moment both are live, which the
    consoles show as the "both live" warning. ``announce`` publishes the channel state to the
    meeting's room group (async callers publish it themselves).
    """
    before = booth_state(ids, language)
    if to_user not in before.members:
        raise MediaConflict(_("Your partner is not connected to the booth."))
    set_participant_muted(ids, to_user, False, ids.booths[language])
    for user_id in before.live:
        if user_id != to_user:
            set_participant_muted(ids, user_id, True, ids.booths[language])
    state = booth_state(ids, language)
    if announce:
        _announce(ids, state)
    return state
