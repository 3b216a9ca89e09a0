"""The room itself: who I am, the meeting, presence and seats."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from vev.council.models import Entity, Registration
from vev.council.permissions import Perm

from ..context import RoomContext
from ..models import Participant, RoomState
from ..queries import council_member_ids, listed_participants, participant_info, presence_counts
from ..services import moderation, presence
from ..snapshot import section
from . import ROOM_COMMANDS


@section("meeting")
def meeting_section(ctx: RoomContext, room: RoomState) -> dict:
    meeting = room.meeting
    return {
        "id": meeting.pk,
        "code": meeting.code,
        "title": meeting.title,
        "status": meeting.status,
        "access": meeting.access,
        "is_closed": meeting.is_closed,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "time_zone": meeting.event.time_zone,
        "support": meeting.event.support,
        "languages": list(meeting.event.languages),
    }


@section("me")
def me_section(ctx: RoomContext, room: RoomState) -> dict:
    participant = Participant.objects.select_related("entity").get(pk=ctx.participant_id)
    info = participant_info(participant, council_member_ids(room.meeting))
    return {
        **info.model_dump(mode="json"),
        "reason": participant.passive_reason,
        "may_preside": ctx.access.may_preside,
        "may_moderate": ctx.access.may_moderate,
        "may_support": ctx.access.may_support,
        "may_decide": ctx.access.may_decide,
        "is_secretariat": ctx.access.is_secretariat,
        "is_technician": ctx.access.is_technician,
    }


@section("presence")
def presence_section(ctx: RoomContext, room: RoomState) -> dict:
    return {
        "participants": [p.model_dump(mode="json") for p in listed_participants(room.meeting)],
        "counts": presence_counts(room.meeting_id).model_dump(mode="json"),
        "entities": entity_names(room.meeting),
    }


def entity_names(meeting) -> dict[str, str]:
    """The delegations of the event by id, in the reader's language: ``counts.passive_by_entity``
    (of the snapshot and of every ``presence.updated``) names them by id only."""
    rows = Entity.objects.filter(
        registrations__event_id=meeting.event_id,
        registrations__status=Registration.Status.APPROVED,
    ).distinct()
    return {str(entity.pk): entity.display_name for entity in rows}


@section("roster")
def roster_section(ctx: RoomContext, room: RoomState) -> dict:
    """In a closed meeting, everyone present who is not a Councillor, by name and role."""
    if not room.meeting.is_closed:
        return {"closed": False, "non_councillors": []}
    rows = (
        Participant.objects.filter(
            meeting_id=room.meeting_id,
            status__in=[Participant.Status.PRESENT, Participant.Status.AWAY],
        )
        .exclude(kind=Participant.Kind.MEMBER)
        .select_related("entity")
        .order_by("name")
    )
    return {
        "closed": True,
        "non_councillors": [
            {
                "participant_id": p.pk,
                "name": p.name,
                "entity": p.entity.display_name if p.entity else "",
                "role": p.capacity,
            }
            for p in rows
        ],
    }


@section("moderation")
def moderation_section(ctx: RoomContext, room: RoomState) -> dict:
    data = {"locked": room.locked, "muted_all": room.muted_all}
    if ctx.access.may_moderate:  # the chair's console lists them to readmit
        data["removed"] = moderation.removed_participants(room.meeting)
    return data


class Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


@ROOM_COMMANDS.command("room.leave", permission=Perm.MEETING_VIEW)
def leave(ctx: RoomContext, payload: Empty) -> dict:
    """Leave on purpose: the seat is freed at once (a dropped connection keeps it a while)."""
    ctx.leaving = True
    return {"left": True}


class SwapSeat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    giver: int = Field(title=_("Seat holder"))  # participant id holding the seat
    receiver: int = Field(title=_("Give the seat to"))  # participant id following the webcast


@ROOM_COMMANDS.command("presence.hand_seat", permission=Perm.MEETING_ATTEND, payload=SwapSeat)
def hand_seat(ctx: RoomContext, payload: SwapSeat) -> dict:
    presence.swap_seat(
        ctx.user,
        ctx.meeting,
        giver_id=payload.giver,
        receiver_id=payload.receiver,
        session_key=ctx.session_key,
    )
    return {}


@ROOM_COMMANDS.command("presence.delegation", permission=Perm.MEETING_ATTEND)
def delegation(ctx: RoomContext, payload: Empty) -> dict:
    """My delegation's members in the room, active and on the webcast (to hand a seat)."""
    me = Participant.objects.get(pk=ctx.participant_id)
    if me.entity_id is None:
        return {"members": []}
    members = council_member_ids(ctx.meeting)
    rows = (
        Participant.objects.filter(
            meeting=ctx.meeting,
            entity_id=me.entity_id,
            status__in=[Participant.Status.PRESENT, Participant.Status.AWAY],
        )
        .exclude(kind=Participant.Kind.STAFF)
        .select_related("entity")
        .order_by("mode", "name")
    )
    return {"members": [participant_info(p, members).model_dump(mode="json") for p in rows]}
