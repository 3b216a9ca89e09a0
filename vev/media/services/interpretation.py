"""Booths: who is on air, the booth microphone and the handover between partners.

Each language has its own AudioBridge booth room whose mix is forwarded, always on, into the
webcast mountpoint's channel of that language: a handover changes who is heard in the booth,
never the stream listeners receive. Partners hear each other in the booth (mix-minus).
"""

from __future__ import annotations

import time

from django.utils.translation import gettext as _

from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit

from ..errors import MediaConflict
from . import generation
from .moderation import set_participant_muted
from .rooms import RoomIds, floor_participants, user_of
from .types import BoothState, ChannelStateChanged

#: Seconds both interpreters stay live in a handover: more than AudioBridge's prebuffering of a
#: participant who starts speaking (6 packets of 20 ms, then the next mixer tick).
HANDOVER_OVERLAP = 0.3


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
    generation.bump(ids.meeting)
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

    Unmuting first, and muting the others only ``HANDOVER_OVERLAP`` seconds later, means the
    channel never falls silent: Janus mixes a participant who was never on air only once it has
    buffered a few packets (AudioBridge prebuffering, 140 ms by default), while a mute takes
    effect at once. For that moment both are live, which the consoles show as the "both live"
    warning. ``announce`` publishes the channel state to the meeting's room group (async
    callers publish it themselves).
    """
    before = booth_state(ids, language)
    if to_user not in before.members:
        raise MediaConflict(_("Your partner is not connected to the booth."))
    set_participant_muted(ids, to_user, False, ids.booths[language])
    others = [user_id for user_id in before.live if user_id != to_user]
    if others and to_user not in before.live:
        time.sleep(HANDOVER_OVERLAP)
    for user_id in others:
        set_participant_muted(ids, user_id, True, ids.booths[language])
    state = booth_state(ids, language)
    if announce:
        _announce(ids, state)
    return state
