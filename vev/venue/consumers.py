"""The venue socket: ``/ws/venue/<event>/<space>/`` (docs/protocol/venue.md).

On connect the consumer joins the space's group and the participant's own venue group.
``space.enter`` places the participant on the map (the presence store, never a table);
``presence.move`` moves them and applies the proximity rule of ``services.presence``;
conversation commands lock, leave, chat, move to a private room; ``rtc.signal`` relays WebRTC
offers, answers and ICE candidates between members of the same conversation only; the call of
a side meeting (``side_meeting.join``) is a conversation among its invitees who accepted.

Every space event carries, inside the server only, the persona of the person it is about;
each consumer forwards it to its browser only when its participant may see that person
(``presence.filter_for_viewer``), so a hidden participant appears in no frame.
"""

from __future__ import annotations

import logging
from typing import Literal

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from vev.core.realtime import groups
from vev.core.realtime.consumer import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    CommandConsumer,
    CommandDenied,
    CommandError,
    CommandRegistry,
)
from vev.core.realtime.publish import MESSAGE_TYPE
from vev.council.permissions import Perm, has_perm

from .errors import VenueError
from .models import SideMeeting, Space
from .services import analytics, presence, privacy, side_meetings

logger = logging.getLogger(__name__)

VENUE = CommandRegistry("venue")
#: A newer window of the same person took over this space.
CLOSE_REPLACED = 4409


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnterPayload(_Payload):
    x: float | None = Field(default=None, ge=0, le=10000)
    y: float | None = Field(default=None, ge=0, le=10000)


class MovePayload(_Payload):
    x: float = Field(ge=0, le=10000)
    y: float = Field(ge=0, le=10000)


class LockPayload(_Payload):
    locked: bool


class SayPayload(_Payload):
    text: str = Field(min_length=1, max_length=1000)


class SignalPayload(_Payload):
    to: int
    kind: Literal["offer", "answer", "ice", "bye"]
    data: dict = Field(default_factory=dict)


class CallPayload(_Payload):
    id: int


class VenueConsumer(CommandConsumer):
    registry = VENUE
    conflict_errors = (VenueError,)
    command_rate = 30.0  # moves come often while walking
    command_burst = 60

    async def connect(self):
        self.joined: list[str] = []
        self.entered = False
        self.call_id: int | None = None
        #: bubbles this browser has been shown (a bubble it may not see is never mentioned)
        self.known_bubbles: set[str] = set()
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        kwargs = self.scope["url_route"]["kwargs"]
        found = await self._load(user, kwargs["event"], kwargs["space"])
        if found is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.space, self.event, self.me, self.blocked = found
        self.rules = presence.SpaceRules.of(self.space)
        self.key = presence.space_key(self.space.pk)
        for group in (groups.venue_space(self.space.pk), groups.venue_user(self.event.pk, user.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.send_json({"type": "venue.ready", "space": self.space.slug})

    @database_sync_to_async
    def _load(self, user, event_slug: str, space_slug: str):
        space = (
            Space.objects.select_related("venue__event")
            .filter(venue__event__slug=event_slug, slug=space_slug)
            .first()
        )
        if space is None or not has_perm(user, Perm.VENUE_ENTER, space.venue.event):
            return None
        me = privacy.persona(user, space.venue.event)
        if me is None:
            return None
        return space, space.venue.event, me, privacy.blocked_ids(user.pk)

    async def disconnect(self, code):
        try:
            if self.entered:
                await self._apply(lambda state: presence.leave(state, self.user.pk, self.rules))
            if self.call_id is not None:
                await self._leave_call()
        except Exception:  # a failing store must not keep the socket from closing
            logger.exception("venue: could not clear the presence of a closed socket")
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def permitted(self, command) -> bool:
        if getattr(self, "event", None) is None:
            return False
        return await database_sync_to_async(has_perm)(self.user, command.permission, self.event)

    def handler_args(self) -> tuple:
        return (self,)

    # -- the presence store -------------------------------------------------------------------

    async def _apply(self, change, key: str | None = None):
        """Run ``change(state)`` under the space's lock; publish what it did."""

        def run():
            with presence.store().transact(key or self.key) as state:
                return change(state)

        result = await sync_to_async(run, thread_sensitive=False)()
        outcome = result[1] if isinstance(result, tuple) else result
        if isinstance(outcome, presence.Outcome):
            await self._publish(outcome)
        return result

    async def _publish(self, outcome: presence.Outcome) -> None:
        group = groups.venue_space(self.space.pk)
        for event in outcome.events:
            await self.channel_layer.group_send(group, {"type": MESSAGE_TYPE, "event": event})
        for user_id, notice in outcome.notices:
            if user_id == self.user.pk:
                await self.send_json(notice)
            else:
                await self.channel_layer.group_send(
                    groups.venue_user(self.event.pk, user_id),
                    {"type": MESSAGE_TYPE, "event": notice},
                )

    async def _read(self, key: str | None = None) -> dict:
        return await sync_to_async(presence.store().read, thread_sensitive=False)(key or self.key)

    async def _leave_call(self) -> None:
        call_id, self.call_id = self.call_id, None

        def change(state):
            members = state.setdefault("members", {})
            mine = members.get(str(self.user.pk))
            if mine and mine["channel"] == self.channel_name:
                del members[str(self.user.pk)]
            return dict(members)

        members = await self._apply(change, key=presence.call_key(call_id))
        left = {"type": "call.left", "user_id": self.user.pk}
        for member in members.values():
            await self.channel_layer.send(member["channel"], {"type": MESSAGE_TYPE, "event": left})

    # -- events from the channel layer ----------------------------------------------------------

    async def vev_event(self, message):
        event = message.get("event") or {}
        kind = event.get("type")
        if kind in ("venue.settings_changed", "venue.blocks_changed"):
            await self._refresh()
            return
        if kind == "venue.replaced":
            if event.get("channel") == self.channel_name:
                self.entered = False
                await self.send_json({"type": "presence.replaced"})
                await self.close(code=CLOSE_REPLACED)
            return
        if kind == "presence.moved" and event.get("user_id") == self.user.pk:
            return  # the browser moved its own avatar already
        if kind == "presence.joined" and event["participant"]["user_id"] == self.user.pk:
            return  # the reply to space.enter said so
        for frame in presence.filter_for_viewer(event, self.me, self.blocked, self.known_bubbles):
            await self.send_json(frame)

    async def _refresh(self) -> None:
        """Privacy settings or blocks changed: re-read them, tell everyone as they may see."""
        before = self.blocked
        fresh = await database_sync_to_async(
            lambda: (privacy.persona(self.user, self.event), privacy.blocked_ids(self.user.pk))
        )()
        me, self.blocked = fresh
        if me is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.me = me
        if self.entered:
            await self._apply(
                lambda state: presence.refresh_persona(state, me, self.blocked, self.rules)
            )
        if before != self.blocked:
            state = await self._read()
            snapshot = presence.snapshot(state, self.me, self.blocked, self.rules)
            self.known_bubbles = {b["id"] for b in snapshot["bubbles"]}
            await self.send_json({"type": "presence.snapshot", **snapshot})


# --- commands -----------------------------------------------------------------------------------


@VENUE.command("space.enter", permission=Perm.VENUE_ENTER, payload=EnterPayload)
async def enter(consumer: VenueConsumer, payload: EnterPayload):
    now = presence.now()

    def change(state):
        x, y = payload.x, payload.y
        if x is None or y is None:
            x, y = presence.spawn_point(state, consumer.me, consumer.blocked, consumer.rules)
        outcome = presence.enter(
            state, consumer.me, consumer.blocked, consumer.channel_name, x, y, consumer.rules, now
        )
        return presence.snapshot(state, consumer.me, consumer.blocked, consumer.rules), outcome

    snapshot, outcome = await consumer._apply(change)
    consumer.entered = True
    consumer.known_bubbles |= {b["id"] for b in snapshot["bubbles"]}
    if outcome.replaced_channel:
        await consumer.channel_layer.group_send(
            groups.venue_user(consumer.event.pk, consumer.user.pk),
            {
                "type": MESSAGE_TYPE,
                "event": {"type": "venue.replaced", "channel": outcome.replaced_channel},
            },
        )
    if outcome.arrived and consumer.me.visibility != privacy.Visibility.HIDDEN:
        await database_sync_to_async(analytics.record_arrival)(
            consumer.space.pk, consumer.me.region, outcome.present, at=timezone.now()
        )
    you = next(p for p in snapshot["participants"] if p["user_id"] == consumer.user.pk)
    return {
        "you": you,
        "hidden": consumer.me.visibility == privacy.Visibility.HIDDEN,
        "participants": snapshot["participants"],
        "bubbles": snapshot["bubbles"],
    }


def _require_entered(consumer: VenueConsumer) -> None:
    if not consumer.entered:
        raise CommandError(_("Enter the space first."))


@VENUE.command("presence.move", permission=Perm.VENUE_ENTER, payload=MovePayload)
async def move(consumer: VenueConsumer, payload: MovePayload):
    _require_entered(consumer)
    now = presence.now()
    await consumer._apply(
        lambda state: presence.move(
            state, consumer.user.pk, payload.x, payload.y, consumer.rules, now
        )
    )
    return {}


@VENUE.command("presence.ping", permission=Perm.VENUE_ENTER)
async def ping(consumer: VenueConsumer, payload):
    if consumer.entered:
        now = presence.now()
        await consumer._apply(lambda state: presence.touch(state, consumer.user.pk, now))
    if consumer.call_id is not None:
        now = presence.now()

        def touch_call(state):
            member = state.get("members", {}).get(str(consumer.user.pk))
            if member:
                member["seen"] = now

        await consumer._apply(touch_call, key=presence.call_key(consumer.call_id))
    return {}


def _bubble_change(fn):
    def change(state):
        try:
            return fn(state)
        except LookupError as error:
            raise CommandError(str(error)) from None

    return change


@VENUE.command("bubble.lock", permission=Perm.VENUE_ENTER, payload=LockPayload)
async def lock(consumer: VenueConsumer, payload: LockPayload):
    _require_entered(consumer)
    await consumer._apply(
        _bubble_change(
            lambda state: presence.set_locked(
                state, consumer.user.pk, payload.locked, consumer.rules
            )
        )
    )
    return {"locked": payload.locked}


@VENUE.command("bubble.leave", permission=Perm.VENUE_ENTER)
async def leave_bubble(consumer: VenueConsumer, payload):
    _require_entered(consumer)
    await consumer._apply(
        _bubble_change(lambda state: presence.leave_bubble(state, consumer.user.pk, consumer.rules))
    )
    return {}


async def _conversation(consumer: VenueConsumer) -> dict[int, str]:
    """Members of the consumer's conversation (bubble or side-meeting call) → channels."""
    if consumer.call_id is not None:
        state = await consumer._read(presence.call_key(consumer.call_id))
        return {int(k): v["channel"] for k, v in state.get("members", {}).items()}
    if not consumer.entered:
        return {}
    state = await consumer._read()
    _bubble, members = presence.members_of_bubble(state, consumer.user.pk)
    return members


@VENUE.command("bubble.say", permission=Perm.VENUE_ENTER, payload=SayPayload)
async def say(consumer: VenueConsumer, payload: SayPayload):
    members = await _conversation(consumer)
    if consumer.user.pk not in members:
        raise CommandError(_("You are not in a conversation."))
    text = payload.text.strip()
    if not text:
        raise CommandError(_("Write a message first."), code="invalid")
    frame = {
        "type": "bubble.message",
        "from": consumer.user.pk,
        "name": consumer.me.name,
        "text": text,
        "at": timezone.now().isoformat(),
    }
    for channel in members.values():  # to the members only; nothing is stored
        await consumer.channel_layer.send(channel, {"type": MESSAGE_TYPE, "event": frame})
    return {}


@VENUE.command("rtc.signal", permission=Perm.VENUE_ENTER, payload=SignalPayload)
async def signal(consumer: VenueConsumer, payload: SignalPayload):
    """Relay an offer, answer, ICE candidate or hang-up to a member of the same conversation."""
    members = await _conversation(consumer)
    if (
        consumer.user.pk not in members
        or payload.to not in members
        or payload.to == consumer.user.pk
    ):
        raise CommandDenied(_("You can only call people in your conversation."))
    frame = {
        "type": "rtc.signal",
        "from": consumer.user.pk,
        "kind": payload.kind,
        "data": payload.data,
    }
    await consumer.channel_layer.send(members[payload.to], {"type": MESSAGE_TYPE, "event": frame})
    return {}


@VENUE.command("bubble.private_room", permission=Perm.VENUE_ENTER)
async def private_room(consumer: VenueConsumer, payload):
    """Move the conversation to a free meeting room: a side meeting starting now."""
    _require_entered(consumer)
    members = await _conversation(consumer)
    if len(members) < 2:
        raise CommandError(_("You are not in a conversation."))
    meeting = await database_sync_to_async(side_meetings.start_from_bubble)(
        organiser=consumer.user, space=consumer.space, member_ids=list(members)
    )
    url = meeting.get_absolute_url()
    frame = {"type": "bubble.private_room", "url": url, "by": consumer.me.name}
    for channel in members.values():
        await consumer.channel_layer.send(channel, {"type": MESSAGE_TYPE, "event": frame})
    return {"url": url}


@VENUE.command("side_meeting.join", permission=Perm.VENUE_ENTER, payload=CallPayload)
async def join_call(consumer: VenueConsumer, payload: CallPayload):
    def check():
        meeting = SideMeeting.objects.filter(pk=payload.id, event=consumer.event).first()
        if meeting is None or not side_meetings.may_see(meeting, consumer.user):
            return _("Only the people invited can join this side meeting.")
        return side_meetings.may_join(meeting, consumer.user)

    refusal = await database_sync_to_async(check)()
    if refusal:
        raise CommandDenied(refusal)
    if consumer.call_id is not None and consumer.call_id != payload.id:
        await consumer._leave_call()
    consumer.call_id = payload.id
    now = presence.now()

    def change(state):
        members = state.setdefault("members", {})
        for key, member in list(members.items()):
            if member.get("seen", now) < now - presence.STALE_SECONDS:
                del members[key]
        previous = members.get(str(consumer.user.pk))
        members[str(consumer.user.pk)] = {
            "channel": consumer.channel_name,
            "name": consumer.me.name,
            "entity": consumer.me.entity,
            "seen": now,
        }
        return dict(members), previous

    members, previous = await consumer._apply(change, key=presence.call_key(payload.id))
    if previous and previous["channel"] != consumer.channel_name:
        await consumer.channel_layer.send(
            previous["channel"],
            {
                "type": MESSAGE_TYPE,
                "event": {"type": "venue.replaced", "channel": previous["channel"]},
            },
        )
    joined = {
        "type": "call.joined",
        "participant": {
            "user_id": consumer.user.pk,
            "name": consumer.me.name,
            "entity": consumer.me.entity,
        },
    }
    for key, member in members.items():
        if int(key) != consumer.user.pk:
            await consumer.channel_layer.send(
                member["channel"], {"type": MESSAGE_TYPE, "event": joined}
            )
    return {
        "members": [
            {"user_id": int(k), "name": m["name"], "entity": m["entity"]}
            for k, m in members.items()
        ]
    }


@VENUE.command("side_meeting.leave", permission=Perm.VENUE_ENTER)
async def leave_call(consumer: VenueConsumer, payload):
    if consumer.call_id is None:
        raise CommandError(_("You are not in a side meeting."))
    await consumer._leave_call()
    return {}
