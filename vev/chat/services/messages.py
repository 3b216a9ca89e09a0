"""Sending, reading and deleting chat messages in a meeting room (DM-20/1004 Annex 3).

Who reads what:

* ``all``: everyone in the room (the room stream; in a closed meeting only admitted
  participants are in the room, so the chat stays among them);
* ``private``: the sender and the addressee, a participant of the meeting;
* ``secretariat``: the sender and everyone holding the secretariat role of the event who is a
  participant of the meeting; the secretariat answers on the same thread (``recipient`` is the
  participant answered).

Private and secretariat messages are recorded on the own stream of each reader
(``record_user_event``), so a resume after a drop delivers them; readers who have not entered
the room yet find them in their snapshot. The chair, the vice-chair, a moderator or the
secretariat delete a message with a reason; the deletion is in the audit log with the text.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.council.models import Meeting, StaffAssignment
from vev.council.permissions import Role, event_roles, may_enter_closed_meeting
from vev.live.errors import LiveError
from vev.live.models import Participant
from vev.live.queries import council_member_ids, entity_info
from vev.live.services.access import room_access
from vev.live.streams import lock_room, record_room_event, record_user_event

from ..events import ChatMessageDeleted, ChatMessageInfo, ChatMessageSent, ChatPerson
from ..models import MAX_LENGTH, ChatMessage

#: Messages a (re)connecting participant gets in the snapshot.
HISTORY = 100
IN_ROOM = (Participant.Status.PRESENT, Participant.Status.AWAY)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise LiveError(_("Write a message first."), code="invalid")
    if len(text) > MAX_LENGTH:
        raise LiveError(
            _("A message has at most %(max)d characters; this one has %(length)d.")
            % {"max": MAX_LENGTH, "length": len(text)},
            code="invalid",
        )
    return text


def _sender(meeting: Meeting, user) -> Participant:
    room_access(user, meeting)  # raises LiveError: not admitted (closed meeting), ended…
    participant = (
        Participant.objects.select_related("entity").filter(meeting=meeting, user=user).first()
    )
    if participant is None or participant.status not in IN_ROOM:
        raise LiveError(_("Enter the meeting room to use its chat."), code="denied")
    return participant


def is_secretariat(user, meeting: Meeting) -> bool:
    return Role.SECRETARIAT in event_roles(user, meeting.event)


def secretariat_participants(meeting: Meeting) -> list[Participant]:
    """Participants of the meeting (in the room now or earlier) holding the secretariat role."""
    # Only staff assignments (and superusers) give the role: look at those, not at everyone.
    candidates = StaffAssignment.objects.filter(
        event_id=meeting.event_id, function=StaffAssignment.Function.SECRETARIAT
    ).values("user_id")
    rows = (
        Participant.objects.filter(meeting=meeting)
        .filter(Q(user_id__in=candidates) | Q(user__is_superuser=True))
        .exclude(status=Participant.Status.REMOVED)
        .select_related("user")
    )
    return [
        p
        for p in rows
        if is_secretariat(p.user, meeting)
        and (not meeting.is_closed or may_enter_closed_meeting(p.user, meeting))
    ]


def _recipient(meeting: Meeting, participant_id: int | None, sender: Participant) -> Participant:
    participant = (
        Participant.objects.select_related("entity", "user")
        .filter(meeting=meeting, pk=participant_id)
        .first()
        if participant_id is not None
        else None
    )
    if participant is None or participant.status == Participant.Status.REMOVED:
        raise LiveError(_("Choose a participant of this meeting."), code="invalid")
    if participant.pk == sender.pk:
        raise LiveError(_("You cannot send a private message to yourself."), code="invalid")
    if meeting.is_closed and not may_enter_closed_meeting(participant.user, meeting):
        raise LiveError(_("Choose a participant of this meeting."), code="invalid")
    return participant


def send(
    meeting: Meeting, by, *, audience: str, text: str, to_participant: int | None = None
) -> ChatMessage:
    """Send a message as ``by`` (a participant in the room); returns it once recorded."""
    text = _clean_text(text)
    if audience not in ChatMessage.Audience.values:
        raise LiveError(_("Choose who the message is for."), code="invalid")
    with transaction.atomic():
        lock_room(meeting.pk)
        sender = _sender(meeting, by)
        secretariat = is_secretariat(by, meeting)
        recipient = None
        if audience == ChatMessage.Audience.PRIVATE:
            recipient = _recipient(meeting, to_participant, sender)
        elif audience == ChatMessage.Audience.SECRETARIAT and to_participant is not None:
            if not secretariat:
                raise LiveError(
                    _("Only the secretariat answers a participant on their thread."),
                    code="denied",
                )
            recipient = _recipient(meeting, to_participant, sender)
        message = ChatMessage.objects.create(
            meeting=meeting,
            sender=by,
            sender_name=sender.name,
            sender_entity=sender.entity,
            sender_is_secretariat=secretariat and audience == ChatMessage.Audience.SECRETARIAT,
            audience=audience,
            recipient=recipient.user if recipient else None,
            recipient_name=recipient.name if recipient else "",
            recipient_entity=recipient.entity if recipient else None,
            text=text,
        )
        event = ChatMessageSent(message=message_info(message))
        if audience == ChatMessage.Audience.ALL:
            record_room_event(meeting.pk, event)
        else:
            for user_id in sorted(readers(message)):
                record_user_event(meeting.pk, user_id, event)
    return message


def readers(message: ChatMessage) -> set[int]:
    """Users who may read a private or secretariat message (``all``: everyone, not listed)."""
    users = {message.sender_id}
    if message.recipient_id:
        users.add(message.recipient_id)
    if message.audience == ChatMessage.Audience.SECRETARIAT:
        users |= {p.user_id for p in secretariat_participants(message.meeting)}
    return users


def delete(meeting: Meeting, by, message_id: int, *, reason: str) -> ChatMessage:
    """A moderator deletes a message they can read; the reason is required and audited."""
    reason = (reason or "").strip()
    if not reason:
        raise LiveError(_("Give the reason for deleting the message."), code="invalid")
    with transaction.atomic():
        lock_room(meeting.pk)
        access = room_access(by, meeting)
        if not access.may_moderate:
            raise LiveError(
                _("Only the chair, or those assisting the chair, may delete messages."),
                code="denied",
            )
        message = (
            ChatMessage.objects.select_for_update().filter(meeting=meeting, pk=message_id).first()
        )
        if message is None or not may_read(message, by, secretariat=access.is_secretariat):
            raise LiveError(_("There is no such message in this meeting's chat."))
        if message.deleted_at is not None:
            raise LiveError(_("This message was already deleted."))
        participant = Participant.objects.filter(meeting=meeting, user=by).first()
        label = participant.label if participant else by.display_name
        message.deleted_at = timezone.now()
        message.deleted_by = by
        message.deleted_reason = reason[:300]
        message.save(update_fields=["deleted_at", "deleted_by", "deleted_reason"])
        log_action(
            "vev.chat.message.deleted",
            actor=by,
            event=meeting.event_id,
            target=message,
            data={
                "meeting": meeting.code,
                "audience": message.audience,
                "sender": message.sender_name,
                "sent_at": message.created_at.isoformat(),
                "text": message.text,
                "reason": message.deleted_reason,
            },
        )
        event = ChatMessageDeleted(
            message_id=message.pk,
            audience=message.audience,
            reason=message.deleted_reason,
            by=label,
            at=message.deleted_at,
        )
        if message.audience == ChatMessage.Audience.ALL:
            record_room_event(meeting.pk, event)
        else:
            for user_id in sorted(readers(message)):
                record_user_event(meeting.pk, user_id, event)
    return message


def may_read(message: ChatMessage, user, *, secretariat: bool) -> bool:
    if message.audience == ChatMessage.Audience.ALL:
        return True
    if user.pk in (message.sender_id, message.recipient_id):
        return True
    return message.audience == ChatMessage.Audience.SECRETARIAT and secretariat


def history(meeting: Meeting, user, *, secretariat: bool, limit: int = HISTORY) -> list[dict]:
    """The latest messages ``user`` may read (deleted ones left out), oldest first."""
    visible = Q(audience=ChatMessage.Audience.ALL) | Q(sender=user) | Q(recipient=user)
    if secretariat:
        visible |= Q(audience=ChatMessage.Audience.SECRETARIAT)
    rows = (
        ChatMessage.objects.filter(meeting=meeting, deleted_at__isnull=True)
        .filter(visible)
        .select_related("sender_entity", "recipient_entity")
        .order_by("-created_at", "-pk")[:limit]
    )
    rows = list(rows)
    members = council_member_ids(meeting)
    users = {m.sender_id for m in rows} | {m.recipient_id for m in rows if m.recipient_id}
    participants = dict(
        Participant.objects.filter(meeting=meeting, user_id__in=users).values_list("user_id", "pk")
    )
    return [
        message_info(m, members=members, participants=participants).model_dump(mode="json")
        for m in reversed(rows)
    ]


def message_info(
    message: ChatMessage, *, members: set[int] | None = None, participants: dict | None = None
) -> ChatMessageInfo:
    if members is None:
        members = council_member_ids(message.meeting)
    if participants is None:
        ids = [message.sender_id, message.recipient_id]
        participants = dict(
            Participant.objects.filter(meeting_id=message.meeting_id, user_id__in=ids).values_list(
                "user_id", "pk"
            )
        )
    recipient = None
    if message.recipient_id:
        recipient = ChatPerson(
            user_id=message.recipient_id,
            participant_id=participants.get(message.recipient_id),
            name=message.recipient_name,
            entity=entity_info(message.recipient_entity, members),
            secretariat=False,
        )
    return ChatMessageInfo(
        id=message.pk,
        audience=message.audience,
        sender=ChatPerson(
            user_id=message.sender_id,
            participant_id=participants.get(message.sender_id),
            name=message.sender_name,
            entity=entity_info(message.sender_entity, members),
            secretariat=message.sender_is_secretariat,
        ),
        recipient=recipient,
        text=message.text,
        created_at=message.created_at,
    )
