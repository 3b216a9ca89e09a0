"""Proposed conclusions and the chair's "any objection?" call (docs/procedures.md).

* The secretariat or a presiding officer drafts a proposed conclusion per agenda item, for the
  group 1 and group 2 packages (noted / approved en bloc, minus the documents pulled out), or
  for an election by acclamation.
* The chair puts it to the meeting: the call runs for a visible, configurable time. Any Council
  Member's delegation may raise a formal and absolute objection, with an optional reason; one
  objection defers the matter to the next physical meeting.
* **Objection guard**: a call that ends without objection is not recorded as agreed while a
  Council Member registered for the session has no active participant in the room, or lost its
  connection during the call. The call is *held* and the chair, warned by name, decides: wait
  (the call runs longer), call again, or record it as agreed with the absence noted.
* Agreed conclusions are numbered in the order they were agreed; the secretariat forwards them
  to the next physical meeting. Every transition is recorded with who and when, and audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.council.models import AgendaItem, Entity, Event, Meeting, Registration, StaffAssignment
from vev.council.permissions import Perm, can_see_meeting, has_perm
from vev.documents.services.packages import packages
from vev.live.models import Connection, Participant
from vev.live.queries import council_member_ids
from vev.live.services.presence import HEARTBEAT_SECONDS
from vev.live.streams import lock_room, record_room_event, record_user_event

from ..errors import DecisionsError
from ..events import (
    CallInfo,
    ConclusionChanged,
    ConclusionDrafted,
    ConclusionInfo,
    ObjectionInfo,
)
from ..models import ConclusionTransition, Objection, ObjectionCall, ProposedConclusion
from .access import acting_state

State = ProposedConclusion.State
Kind = ProposedConclusion.Kind
MIN_CALL_SECONDS, MAX_CALL_SECONDS = 10, 600
OFFICES = {"chair": gettext_lazy("Chair"), "vice_chair": gettext_lazy("Vice-Chair")}


def origin(request: HttpRequest | None, session_key: str) -> dict:
    """Where an act came from, for the audit log: the HTTP request (its session and address)
    or the room socket's session key (``RoomContext.session_key``)."""
    return {"request": request, "session_key": session_key}


# -- who may act, who may read ---------------------------------------------------------------------
def may_draft(user, event: Event) -> bool:
    """The secretariat and the presiding officers draft conclusions, and only they read drafts."""
    return has_perm(user, Perm.DECISIONS_MANAGE, event) or has_perm(
        user, Perm.MEETING_PRESIDE, event
    )


def visible_to(user, event: Event, rows: QuerySet[ProposedConclusion]):
    """The conclusions of ``rows`` that ``user`` may read: drafts only if they draft them; a
    conclusion put to a closed meeting only if they may see that meeting (``can_see_meeting``,
    as for its summary record)."""
    if not may_draft(user, event):
        rows = rows.exclude(state=State.DRAFT)
    closed = Meeting.objects.filter(event=event, access=Meeting.Access.CLOSED).select_related(
        "event"
    )
    hidden = [m.pk for m in closed if not can_see_meeting(user, m)]
    if hidden:
        rows = rows.exclude(meeting_id__in=hidden)
    return rows


def _require_drafter(user, event: Event) -> None:
    if not may_draft(user, event):
        raise DecisionsError(
            _("Only the secretariat and the presiding officers draft conclusions.")
        )


def _require_chair(user, event: Event) -> None:
    if not has_perm(user, Perm.MEETING_PRESIDE, event):
        raise DecisionsError(_("Only the chair (or the vice-chair presiding) may do this."))


def _label(user, meeting: Meeting | None) -> str:
    if meeting is not None:
        participant = Participant.objects.filter(meeting=meeting, user=user).first()
        if participant is not None:
            return participant.label
    return user.display_name if user is not None else _("vev")


def _transition(
    conclusion: ProposedConclusion,
    to: str,
    by,
    note: str = "",
    *,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> None:
    before = conclusion.state
    conclusion.state = to
    ConclusionTransition.objects.create(
        conclusion=conclusion, from_state=before, to_state=to, by=by, at=timezone.now(), note=note
    )
    log_action(
        f"vev.decisions.conclusion.{to}",
        actor=by,
        event=conclusion.event_id,
        target=conclusion,
        data={"from": before, "to": to, "note": note, "text": conclusion.text[:500]},
        request=request,
        session_key=session_key,
    )


# -- drafting -----------------------------------------------------------------------------------
def draft(
    event: Event,
    by,
    *,
    text: str,
    agenda_item: AgendaItem | None = None,
    call_seconds: int = 60,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> ProposedConclusion:
    _require_drafter(by, event)
    text = (text or "").strip()
    if not text:
        raise DecisionsError(_("Write the text of the proposed conclusion."))
    if len(text) > 10_000:
        raise DecisionsError(_("The text is too long (at most 10,000 characters)."))
    if agenda_item is not None and agenda_item.event_id != event.pk:
        raise DecisionsError(_("This item is not on the session's agenda."))
    _check_seconds(call_seconds)
    with transaction.atomic():
        conclusion = ProposedConclusion.objects.create(
            event=event,
            agenda_item=agenda_item,
            text=text,
            call_seconds=call_seconds,
            drafted_by=by,
        )
        log_action(
            "vev.decisions.conclusion.drafted",
            actor=by,
            event=event,
            target=conclusion,
            data={"item": str(agenda_item or ""), "text": text[:500]},
            request=request,
            session_key=session_key,
        )
        _announce(conclusion, "conclusions.drafted", by)
    return conclusion


def _announce(conclusion: ProposedConclusion, kind: str, by, *, draft: bool | None = None) -> None:
    """Tell the rooms of meetings in session that take up the conclusion's item. A draft (or a
    draft withdrawn: ``draft=True``) goes only to those in the room who may draft, on their own
    streams; delegates see a conclusion when the chair puts it to the meeting."""
    if conclusion.agenda_item_id is None:
        return
    draft = conclusion.state == State.DRAFT if draft is None else draft
    live = Meeting.objects.filter(
        allocations__item_id=conclusion.agenda_item_id,
        status__in=[Meeting.Status.LIVE, Meeting.Status.SUSPENDED],
    ).distinct()
    if not draft and conclusion.meeting_id is not None and conclusion.meeting.is_closed:
        # Put to a closed meeting: its proceedings stay in its own room (``visible_to``).
        live = live.filter(pk=conclusion.meeting_id)
    for meeting in live:
        event = ConclusionDrafted(
            type=kind, conclusion=conclusion_info(conclusion), by=_label(by, meeting)
        )
        if not draft:
            record_room_event(meeting.pk, event)
            continue
        for user_id in _draft_readers(meeting):
            record_user_event(meeting.pk, user_id, event)


def _draft_readers(meeting: Meeting) -> list[int]:
    """Users in the meeting's room who may read drafts (the secretariat, presiding officers)."""
    functions = [
        StaffAssignment.Function.SECRETARIAT,
        StaffAssignment.Function.CHAIR,
        StaffAssignment.Function.VICE_CHAIR,
    ]
    candidates = Participant.objects.filter(meeting=meeting).filter(
        Q(
            user__in=StaffAssignment.objects.filter(
                event_id=meeting.event_id, function__in=functions
            ).values("user_id")
        )
        | Q(user__is_superuser=True)
    )
    event = meeting.event
    return sorted(
        {p.user_id for p in candidates.select_related("user") if may_draft(p.user, event)}
    )


def draft_package(
    event: Event, by, *, group: int, request: HttpRequest | None = None, session_key: str = ""
) -> ProposedConclusion:
    """The group 1 (noted) or group 2 (approved) package, minus documents pulled out."""
    _require_drafter(by, event)
    package = next((p for p in packages(event) if int(p.group) == group), None)
    if package is None or not package.documents:
        raise DecisionsError(_("This package has no documents left to take en bloc."))
    symbols = ", ".join(d.symbol for d in package.documents)
    if group == 1:
        kind, text = Kind.PACKAGE_NOTE, _("The Council noted the following documents: %(s)s.")
    else:
        kind, text = Kind.PACKAGE_APPROVE, _("The Council approved the following documents: %(s)s.")
    with transaction.atomic():
        conclusion = ProposedConclusion.objects.create(
            event=event,
            agenda_item=package.agenda_item,
            kind=kind,
            text=text % {"s": symbols},
            drafted_by=by,
        )
        conclusion.documents.set(package.documents)
        log_action(
            "vev.decisions.conclusion.drafted",
            actor=by,
            event=event,
            target=conclusion,
            data={"package": group, "documents": [d.symbol for d in package.documents]},
            request=request,
            session_key=session_key,
        )
        _announce(conclusion, "conclusions.drafted", by)
    return conclusion


def draft_election(
    event: Event,
    by,
    *,
    office: str,
    candidate: str,
    entity: Entity | None = None,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> ProposedConclusion:
    """An election by acclamation of the chair or vice-chair (the opening plenary)."""
    _require_drafter(by, event)
    if office not in OFFICES:
        raise DecisionsError(_("Choose the office: chair or vice-chair."))
    candidate = (candidate or "").strip()
    if not candidate:
        raise DecisionsError(_("Name the candidate."))
    who = f"{candidate} ({entity.display_name})" if entity else candidate
    text = _("The Council elects %(who)s %(office)s of the Council by acclamation.") % {
        "who": who,
        "office": OFFICES[office],
    }
    item = event.agenda_items.filter(kind=AgendaItem.Kind.ELECTION).order_by("position").first()
    with transaction.atomic():
        conclusion = ProposedConclusion.objects.create(
            event=event,
            agenda_item=item,
            kind=Kind.ELECTION,
            office=office,
            text=text,
            drafted_by=by,
        )
        log_action(
            "vev.decisions.conclusion.drafted",
            actor=by,
            event=event,
            target=conclusion,
            data={"election": office, "candidate": who},
            request=request,
            session_key=session_key,
        )
        _announce(conclusion, "conclusions.drafted", by)
    return conclusion


def edit(
    conclusion: ProposedConclusion,
    by,
    *,
    text: str,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> None:
    _require_drafter(by, conclusion.event)
    if conclusion.state != State.DRAFT:
        raise DecisionsError(_("Only a draft can be edited; this one was put to the meeting."))
    text = (text or "").strip()
    if not text:
        raise DecisionsError(_("Write the text of the proposed conclusion."))
    with transaction.atomic():
        conclusion.text = text
        conclusion.save(update_fields=["text", "updated_at"])
        log_action(
            "vev.decisions.conclusion.edited",
            actor=by,
            event=conclusion.event_id,
            target=conclusion,
            data={"text": text[:500]},
            request=request,
            session_key=session_key,
        )


def withdraw(
    conclusion_id: int,
    by,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
    session_key: str = "",
) -> None:
    with transaction.atomic():
        conclusion = _locked(conclusion_id)
        _require_drafter(by, conclusion.event)
        if conclusion.state not in (State.DRAFT, State.CALLED):
            raise DecisionsError(_("Only a draft or a conclusion under call can be withdrawn."))
        was_draft = conclusion.state == State.DRAFT
        call = conclusion.calls.filter(status__in=["open", "held"]).first()
        if call is not None:
            lock_room(call.meeting_id)
            _close(call, ObjectionCall.Outcome.WITHDRAWN)
        _transition(conclusion, State.WITHDRAWN, by, reason[:1000], **origin(request, session_key))
        conclusion.save(update_fields=["state", "updated_at"])
        if call is not None:
            _publish(call, "conclusions.call_closed", _label(by, call.meeting))
        _announce(conclusion, "conclusions.withdrawn", by, draft=was_draft)


def defer_by_request(
    conclusion_id: int,
    by,
    *,
    note: str,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> None:
    """A Council Member asked to defer the matter (a request of the documents app)."""
    with transaction.atomic():
        conclusion = _locked(conclusion_id)
        _require_drafter(by, conclusion.event)
        if conclusion.state != State.DRAFT:
            raise DecisionsError(_("Only a draft can be deferred on request."))
        conclusion.deferred_because = ProposedConclusion.DeferredBecause.REQUEST
        _transition(conclusion, State.DEFERRED, by, note[:1000], **origin(request, session_key))
        conclusion.save(update_fields=["state", "deferred_because", "updated_at"])


def _locked(conclusion_id: int) -> ProposedConclusion:
    conclusion = (
        ProposedConclusion.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(pk=conclusion_id)
        .first()
    )
    if conclusion is None:
        raise DecisionsError(_("There is no such proposed conclusion."))
    return conclusion


def _check_seconds(seconds: int) -> None:
    if not MIN_CALL_SECONDS <= seconds <= MAX_CALL_SECONDS:
        raise DecisionsError(
            _("The call runs between %(a)d seconds and %(b)d minutes.")
            % {"a": MIN_CALL_SECONDS, "b": MAX_CALL_SECONDS // 60}
        )


# -- the call ---------------------------------------------------------------------------------
def open_call(
    conclusion_id: int,
    meeting: Meeting,
    by,
    *,
    seconds: int | None = None,
    request: HttpRequest | None = None,
    session_key: str = "",
):
    """The chair puts the proposed conclusion to the meeting: "Is there any objection?"."""
    with transaction.atomic():
        lock_room(meeting.pk)
        conclusion = _locked(conclusion_id)
        _require_chair(by, conclusion.event)
        meeting.refresh_from_db(fields=["status"])
        if conclusion.event_id != meeting.event_id:
            raise DecisionsError(_("This conclusion belongs to another session."))
        if meeting.status != Meeting.Status.LIVE:
            raise DecisionsError(_("The meeting is not in session."))
        if conclusion.state not in (State.DRAFT, State.CALLED):
            raise DecisionsError(
                _("This conclusion is %(state)s: it cannot be put to the meeting.")
                % {"state": conclusion.get_state_display()}
            )
        if ObjectionCall.objects.filter(meeting=meeting, status__in=["open", "held"]).exists():
            raise DecisionsError(_("Another call is under way in this meeting: close it first."))
        seconds = conclusion.call_seconds if seconds is None else seconds
        _check_seconds(seconds)
        now = timezone.now()
        call = ObjectionCall.objects.create(
            conclusion=conclusion,
            meeting=meeting,
            opened_at=now,
            closes_at=now + timedelta(seconds=seconds),
            opened_by=by,
            watched_from=now,
        )
        if conclusion.state == State.DRAFT:
            _transition(
                conclusion,
                State.CALLED,
                by,
                _("Put to %(m)s") % {"m": meeting.code},
                **origin(request, session_key),
            )
        else:  # put to the meeting again (no change of state, but an act of the chair)
            log_action(
                "vev.decisions.conclusion.called_again",
                actor=by,
                event=conclusion.event_id,
                target=conclusion,
                data={"meeting": meeting.code, "seconds": seconds},
                request=request,
                session_key=session_key,
            )
        conclusion.meeting = meeting
        conclusion.save(update_fields=["state", "meeting", "updated_at"])
        _publish(call, "conclusions.call_opened", _label(by, meeting), due=call.closes_at)
    return call


def raise_objection(
    call_id: int,
    user,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
    session_key: str = "",
) -> Objection:
    """A Council Member's formal and absolute objection (its head of delegation or a councillor,
    in the room)."""
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise DecisionsError(_("The reason is too long (at most 1,000 characters)."))
    with transaction.atomic():
        call = _open_call(call_id)
        event = call.meeting.event
        state = _acting_state(user, event)
        present = Participant.objects.filter(
            meeting=call.meeting, user=user, status=Participant.Status.PRESENT
        ).exists()
        if not present:
            raise DecisionsError(_("Object from the meeting room."))
        if call.status != ObjectionCall.Status.OPEN or timezone.now() > call.closes_at:
            raise DecisionsError(_("The call has ended: the chair is recording the outcome."))
        if call.objections.filter(entity=state, withdrawn_at__isnull=True).exists():
            raise DecisionsError(
                _("%(state)s has already objected to this conclusion.")
                % {"state": state.display_name}
            )
        objection = Objection.objects.create(
            call=call, entity=state, user=user, reason=reason, raised_at=timezone.now()
        )
        log_action(
            "vev.decisions.conclusion.objection_raised",
            actor=user,
            event=event,
            target=call.conclusion,
            data={"state": state.name, "reason": reason, "meeting": call.meeting.code},
            request=request,
            session_key=session_key,
        )
        _publish(call, "conclusions.objection_raised", _label(user, call.meeting))
    return objection


def withdraw_objection(
    call_id: int, user, *, request: HttpRequest | None = None, session_key: str = ""
) -> None:
    with transaction.atomic():
        call = _open_call(call_id)
        state = _acting_state(user, call.meeting.event)
        objection = call.objections.filter(entity=state, withdrawn_at__isnull=True).first()
        if objection is None or call.status != ObjectionCall.Status.OPEN:
            raise DecisionsError(_("There is no objection of yours to withdraw."))
        objection.withdrawn_at = timezone.now()
        objection.save(update_fields=["withdrawn_at"])
        log_action(
            "vev.decisions.conclusion.objection_withdrawn",
            actor=user,
            event=call.meeting.event_id,
            target=call.conclusion,
            data={"state": state.name},
            request=request,
            session_key=session_key,
        )
        _publish(call, "conclusions.objection_withdrawn", _label(user, call.meeting))


def _acting_state(user, event: Event) -> Entity:
    """The Council Member State ``user`` objects for: the rule of every act of a State, with
    the permission to take part in decisions."""
    try:
        return acting_state(user, event, Perm.MEETING_DECIDE)
    except DecisionsError as error:
        raise DecisionsError(
            _("Only the head of delegation or a councillor of a Council Member may object.")
        ) from error


def _open_call(call_id: int) -> ObjectionCall:
    call = (
        ObjectionCall.objects.select_related("meeting__event", "conclusion")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise DecisionsError(_("There is no such call."))
    lock_room(call.meeting_id)
    call = (
        ObjectionCall.objects.select_for_update(of=("self",))
        .select_related("meeting__event", "conclusion")
        .get(pk=call_id)
    )
    if call.status == ObjectionCall.Status.CLOSED:
        raise DecisionsError(_("The call has ended."))
    return call


#: For the objection guard, an open connection not refreshed for this long is lost: its server
#: process missed two heartbeats (``presence.HEARTBEAT_SECONDS``, 20 s). The room's sweep closes
#: such connections only after ``presence.STALE_SECONDS`` (75 s), longer than a one-minute call:
#: without this a delegate whose server died during the call would still count as present.
GUARD_STALE_SECONDS = 2 * HEARTBEAT_SECONDS + 5


def objection_guard(call: ObjectionCall, now=None) -> dict:
    """Council Members registered for the session that could not object: no active participant
    in the room now, or a connection of theirs lost while the guard watched (names, sorted).

    The guard watches from the opening of the call, or from the chair's last "wait"
    (``ObjectionCall.watched_from``): a State that lost its connection, the chair waited and it
    is back no longer holds the call (its loss stays in the audit log and the record). A
    connection counts as lost when it dropped, when its server process died (closed by the
    sweep, or still open but not refreshed for ``GUARD_STALE_SECONDS``); a server's death is
    dated by the connection's last sign of life, not by when the sweep noticed it.
    """
    now = now or timezone.now()
    meeting = call.meeting
    since = call.watched_from or call.opened_at
    fresh_after = now - timedelta(seconds=GUARD_STALE_SECONDS)
    # alive at most one heartbeat before the watch began: it may have died after
    lost_server_after = since - timedelta(seconds=HEARTBEAT_SECONDS)
    members = council_member_ids(meeting)
    registered = set(
        Registration.objects.filter(
            event_id=meeting.event_id,
            status=Registration.Status.APPROVED,
            entity_id__in=members,
        ).values_list("entity_id", flat=True)
    )
    present = set(
        Participant.objects.filter(
            meeting=meeting,
            kind=Participant.Kind.MEMBER,
            mode=Participant.Mode.ACTIVE,
            status=Participant.Status.PRESENT,
            connections__closed_at__isnull=True,
            connections__last_seen_at__gte=fresh_after,
        ).values_list("entity_id", flat=True)
    )
    of_members = Connection.objects.filter(
        participant__meeting=meeting, participant__entity_id__in=registered
    )
    dropped = set(
        of_members.filter(
            Q(close_reason=Connection.Reason.DROPPED, closed_at__gte=since)
            | Q(close_reason=Connection.Reason.SERVER_LOST, last_seen_at__gte=lost_server_after)
            | Q(
                closed_at__isnull=True,
                last_seen_at__lt=fresh_after,
                last_seen_at__gte=lost_server_after,
            )
        ).values_list("participant__entity_id", flat=True)
    )
    names = {e.pk: e.display_name for e in Entity.objects.filter(pk__in=registered)}
    return {
        "absent": sorted(names[e] for e in registered - present),
        "dropped": sorted(names[e] for e in dropped),
    }


def close_call(
    call_id: int,
    by=None,
    *,
    now=None,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> ObjectionCall:
    """End the call (at its time, or the chair after its time): deferred on an objection;
    otherwise agreed unless the objection guard holds it."""
    with transaction.atomic():
        call = _open_call(call_id)
        now = now or timezone.now()
        if by is not None:
            _require_chair(by, call.meeting.event)
        if call.status == ObjectionCall.Status.HELD:
            raise DecisionsError(_("The call is held: choose to wait, call again or record it."))
        if now < call.closes_at and not call.objections.filter(withdrawn_at__isnull=True).exists():
            raise DecisionsError(_("The call is still running."))
        conclusion = _locked(call.conclusion_id)
        label = _label(by, call.meeting) if by else _("vev")
        objections = list(
            call.objections.filter(withdrawn_at__isnull=True).select_related("entity")
        )
        if objections:
            _close(call, ObjectionCall.Outcome.DEFERRED, now)
            conclusion.deferred_because = ProposedConclusion.DeferredBecause.OBJECTION
            conclusion.decided_at = now
            states = ", ".join(o.entity.display_name for o in objections)
            _transition(
                conclusion,
                State.DEFERRED,
                by,
                _("Objection: %(s)s") % {"s": states},
                **origin(request, session_key),
            )
            conclusion.save(update_fields=["state", "deferred_because", "decided_at", "updated_at"])
            _publish(call, "conclusions.call_closed", label)
            return call
        guard = objection_guard(call, now)
        if call.guard.get("waited"):
            guard["waited"] = call.guard["waited"]
        call.guard = guard
        if guard["absent"] or guard["dropped"]:
            call.status = ObjectionCall.Status.HELD
            call.save(update_fields=["status", "guard"])
            log_action(
                "vev.decisions.conclusion.call_held",
                actor=by,
                event=call.meeting.event_id,
                target=conclusion,
                data=guard,
                request=request,
                session_key=session_key,
            )
            _publish(call, "conclusions.call_held", label)
            return call
        _agree(call, conclusion, by, now, ObjectionCall.Outcome.AGREED, request, session_key)
        _publish(call, "conclusions.call_closed", label)
    return call


def resolve_hold(
    call_id: int,
    by,
    *,
    decision: str,
    seconds: int = 60,
    request: HttpRequest | None = None,
    session_key: str = "",
) -> ObjectionCall:
    """The chair's decision on a held call: ``wait``, ``recall`` or ``record``.

    ``wait``: the call runs ``seconds`` more and the guard watches afresh from now: when it ends
    without objection it is agreed if every Council Member registered has an active participant
    connected and none lost a connection during the wait; the States the chair waited for are
    kept with the call (``guard["waited"]``) and noted when the conclusion is agreed.
    """
    with transaction.atomic():
        call = _open_call(call_id)
        _require_chair(by, call.meeting.event)
        if call.status != ObjectionCall.Status.HELD:
            raise DecisionsError(_("The call is not held."))
        label = _label(by, call.meeting)
        now = timezone.now()
        if decision == "wait":
            _check_seconds(seconds)
            held = {
                "absent": call.guard.get("absent", []),
                "dropped": call.guard.get("dropped", []),
            }
            call.status = ObjectionCall.Status.OPEN
            call.closes_at = now + timedelta(seconds=seconds)
            call.watched_from = now
            call.guard = {**call.guard, "waited": [*call.guard.get("waited", []), held]}
            call.save(update_fields=["status", "closes_at", "watched_from", "guard"])
            log_action(
                "vev.decisions.conclusion.call_extended",
                actor=by,
                event=call.meeting.event_id,
                target=call.conclusion,
                data={"seconds": seconds, **held},
                request=request,
                session_key=session_key,
            )
            _publish(call, "conclusions.call_extended", label, due=call.closes_at)
            return call
        conclusion = _locked(call.conclusion_id)
        if decision == "record":
            absent = sorted(set(call.guard.get("absent", [])) | set(call.guard.get("dropped", [])))
            conclusion.absence_noted = absent
            _agree(
                call,
                conclusion,
                by,
                now,
                ObjectionCall.Outcome.AGREED_ABSENCE_NOTED,
                request,
                session_key,
            )
            _publish(call, "conclusions.call_closed", label)
            return call
        if decision == "recall":
            _close(call, ObjectionCall.Outcome.RECALLED, now)
            _publish(call, "conclusions.call_closed", label)
            new = ObjectionCall.objects.create(
                conclusion=conclusion,
                meeting=call.meeting,
                opened_at=now,
                closes_at=now + timedelta(seconds=conclusion.call_seconds),
                opened_by=by,
                watched_from=now,
            )
            log_action(
                "vev.decisions.conclusion.recalled",
                actor=by,
                event=call.meeting.event_id,
                target=conclusion,
                data=call.guard,
                request=request,
                session_key=session_key,
            )
            _publish(new, "conclusions.call_opened", label, due=new.closes_at)
            return new
        raise DecisionsError(_("Choose to wait, call again or record the conclusion."))


def waited_for(guard: dict) -> list[str]:
    """The States the chair waited for on a call (``resolve_hold(decision="wait")``)."""
    names: set[str] = set()
    for hold in guard.get("waited", []):
        names |= set(hold.get("absent", [])) | set(hold.get("dropped", []))
    return sorted(names)


def _agree(call, conclusion, by, now, outcome, request=None, session_key="") -> None:
    Event.objects.select_for_update().get(pk=conclusion.event_id)  # numbers in agreed order
    last = ProposedConclusion.objects.filter(event_id=conclusion.event_id).aggregate(
        n=Max("number")
    )["n"]
    conclusion.number = (last or 0) + 1
    conclusion.decided_at = now
    notes = []
    if conclusion.absence_noted:
        notes.append(
            _("Recorded with the absence of: %(s)s") % {"s": ", ".join(conclusion.absence_noted)}
        )
    elif outcome == ObjectionCall.Outcome.AGREED and waited_for(call.guard):
        notes.append(
            _(
                "The chair waited for %(s)s (not connected, or the connection was lost during "
                "the call); when the call ended every Council Member was connected."
            )
            % {"s": ", ".join(waited_for(call.guard))}
        )
    _transition(conclusion, State.AGREED, by, " ".join(notes), **origin(request, session_key))
    conclusion.save(update_fields=["state", "number", "decided_at", "absence_noted", "updated_at"])
    _close(call, outcome, now)


def _close(call: ObjectionCall, outcome: str, now=None) -> None:
    call.status = ObjectionCall.Status.CLOSED
    call.outcome = outcome
    call.closed_at = now or timezone.now()
    call.save(update_fields=["status", "outcome", "closed_at", "guard"])


def close_due_calls(meeting_id: int | None = None) -> list[int]:
    """Close every open call whose time is up (idempotent; run by each process and a task)."""
    due = ObjectionCall.objects.filter(
        status=ObjectionCall.Status.OPEN, closes_at__lte=timezone.now()
    )
    if meeting_id is not None:
        due = due.filter(meeting_id=meeting_id)
    closed = []
    for call_id in list(due.values_list("pk", flat=True)):
        try:
            close_call(call_id)
            closed.append(call_id)
        except DecisionsError:
            pass  # closed meanwhile by another process, or held
    return closed


def forward_agreed(
    event: Event, by, *, request: HttpRequest | None = None, session_key: str = ""
) -> int:
    """Forward every agreed conclusion to the next physical meeting (for final decision)."""
    if not has_perm(by, Perm.DECISIONS_MANAGE, event):
        raise DecisionsError(_("Only the secretariat may do this."))
    with transaction.atomic():
        agreed = list(
            ProposedConclusion.objects.select_for_update().filter(event=event, state=State.AGREED)
        )
        for conclusion in agreed:
            _transition(
                conclusion,
                State.FORWARDED,
                by,
                _("Forwarded to the next physical meeting"),
                **origin(request, session_key),
            )
            conclusion.save(update_fields=["state", "updated_at"])
    return len(agreed)


# -- the wire --------------------------------------------------------------------------------
def conclusion_info(conclusion: ProposedConclusion) -> ConclusionInfo:
    item = conclusion.agenda_item
    return ConclusionInfo(
        id=conclusion.pk,
        kind=conclusion.kind,
        state=conclusion.state,
        number=conclusion.number,
        text=conclusion.text,
        item=f"{item.code} {item.title}".strip() if item else "",
        deferred_because=conclusion.deferred_because,
        absence_noted=list(conclusion.absence_noted),
    )


def call_info(call: ObjectionCall) -> CallInfo:
    objections = call.objections.filter(withdrawn_at__isnull=True).select_related("entity")
    return CallInfo(
        id=call.pk,
        status=call.status,
        outcome=call.outcome,
        opened_at=call.opened_at,
        closes_at=call.closes_at,
        objections=[
            ObjectionInfo(
                entity_id=o.entity_id,
                entity=o.entity.display_name,
                reason=o.reason,
                raised_at=o.raised_at,
            )
            for o in objections
        ],
        absent=list(call.guard.get("absent", [])),
        dropped=list(call.guard.get("dropped", [])),
    )


def _publish(call: ObjectionCall, kind: str, by: str, *, due=None) -> None:
    conclusion = ProposedConclusion.objects.select_related("agenda_item").get(pk=call.conclusion_id)
    record_room_event(
        call.meeting_id,
        ConclusionChanged(
            type=kind, call=call_info(call), conclusion=conclusion_info(conclusion), by=by
        ),
        due=due,
    )


def room_state(meeting: Meeting, user) -> dict:
    """The snapshot section for ``user``: the call under way and the conclusions of this
    meeting's items that they may read (drafts only for those who draft them)."""
    call = (
        ObjectionCall.objects.filter(meeting=meeting, status__in=["open", "held"])
        .select_related("conclusion__agenda_item")
        .first()
    )
    items = meeting.allocations.values_list("item_id", flat=True)
    conclusions = visible_to(
        user,
        meeting.event,
        ProposedConclusion.objects.filter(event_id=meeting.event_id, agenda_item_id__in=items)
        .exclude(state=State.WITHDRAWN)
        .select_related("agenda_item")
        .order_by("created_at"),
    )
    return {
        "call": call_info(call).model_dump(mode="json") if call else None,
        "call_conclusion": conclusion_info(call.conclusion).model_dump(mode="json")
        if call
        else None,
        "conclusions": [conclusion_info(c).model_dump(mode="json") for c in conclusions],
    }
