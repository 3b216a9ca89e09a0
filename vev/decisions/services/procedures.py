"""Drafting, launching, extending and withdrawing a written procedure (Rule 3.2).

The secretariat drafts the proposal on the instruction of the chair (or a vice-chair), whose
name and the time of the instruction are recorded; launching circulates it to every head of
delegation and councillor of the Council Member States with the deadline, and freezes the text
(its SHA-256 is kept with the procedure and in the audit log). Before the deadline the
secretariat may extend it (recorded, with the reason) or withdraw the procedure (with the
reason). Replies: ``services.replies``; the result at the deadline: ``services.closing``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import CouncilMembership, Event
from vev.documents.models import Document
from vev.documents.services.files import CheckedFile, atomic_storage, save_to

from ..errors import DecisionsError
from ..events import WrittenProcedureExtended, WrittenProcedureLaunched, WrittenProcedureWithdrawn
from ..models import WrittenDeadlineChange, WrittenProcedure, WrittenProcedureAttachment
from .access import presiding_assignment, presiding_capacity, require_manage
from .notices import (
    council_member_actors,
    format_in_zone,
    notify_recipients,
    secretariat_and_chairs,
)

TITLE_MAX = 300
TEXT_MAX = 50_000
REASON_MAX = 500
MAX_ATTACHMENTS = 10
#: The reminder goes this long before the deadline to States that have not replied.
REMINDER_LEAD = timedelta(hours=24)


def _locked(procedure: WrittenProcedure) -> WrittenProcedure:
    return WrittenProcedure.objects.select_for_update().get(pk=procedure.pk)


def content_digest(procedure: WrittenProcedure) -> str:
    """SHA-256 of what was circulated: title, text, rule, documents and attachments."""
    payload = {
        "title": procedure.title,
        "text": procedure.text,
        "rule": procedure.rule,
        "documents": sorted(procedure.documents.values_list("symbol", flat=True)),
        "attachments": sorted(procedure.attachments.values_list("sha256", flat=True)),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_deadline(event: Event, deadline: datetime | None, now: datetime) -> None:
    if deadline is None:
        return
    if timezone.is_naive(deadline):
        raise DecisionsError(_("Give the deadline with its time zone."))
    if deadline <= now:
        raise DecisionsError(
            _("The deadline must be in the future (it is now %(now)s).")
            % {"now": format_in_zone(now, event.time_zone)}
        )


def _check_instruction(event: Event, instructed_by, instructed_at, now: datetime) -> None:
    if instructed_by is not None and presiding_capacity(event, instructed_by) is None:
        raise DecisionsError(
            _("%(name)s is not the chair or a vice-chair of this event.")
            % {"name": instructed_by.display_name}
        )
    if instructed_at is not None and instructed_at > now + timedelta(minutes=1):
        raise DecisionsError(_("The chair's instruction cannot be in the future."))


def _documents_of(event: Event, documents: Iterable[Document]) -> list[Document]:
    documents = list(documents)
    for document in documents:
        if document.event_id != event.pk:
            raise DecisionsError(_("A related document belongs to another event."))
        if document.status == Document.Status.DRAFT:
            raise DecisionsError(
                _("%(symbol)s is not published yet: Council Members could not read it.")
                % {"symbol": document.symbol}
            )
    return documents


@transaction.atomic
def save_draft(
    event: Event,
    *,
    by,
    title: str,
    text: str,
    rule: str = WrittenProcedure.Rule.SILENCE,
    deadline: datetime | None = None,
    documents: Iterable[Document] = (),
    instructed_by=None,
    instructed_at: datetime | None = None,
    attachments: Sequence[CheckedFile] = (),
    remove_attachments: Iterable[int] = (),
    procedure: WrittenProcedure | None = None,
    request=None,
) -> WrittenProcedure:
    """Create a draft (``procedure`` None) or change one. Nothing is circulated yet."""
    require_manage(by, event)
    now = timezone.now()
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise DecisionsError(_("A written procedure needs a title and the text of the proposal."))
    if len(title) > TITLE_MAX or len(text) > TEXT_MAX:
        raise DecisionsError(
            _("The title is limited to %(title)s characters and the text to %(text)s.")
            % {"title": TITLE_MAX, "text": f"{TEXT_MAX:,}"}
        )
    if rule not in WrittenProcedure.Rule.values:
        raise DecisionsError(_("Choose the outcome rule of the procedure."))
    _check_deadline(event, deadline, now)
    _check_instruction(event, instructed_by, instructed_at, now)
    documents = _documents_of(event, documents)
    if procedure is None:
        Event.objects.select_for_update().filter(pk=event.pk).first()  # numbers without gaps
        number = (
            WrittenProcedure.objects.filter(event=event).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        procedure = WrittenProcedure(event=event, number=number, drafted_by=by)
        created = True
    else:
        procedure = _locked(procedure)
        if procedure.event_id != event.pk:
            raise DecisionsError(_("This written procedure belongs to another event."))
        if not procedure.is_draft:
            raise DecisionsError(
                _("%(ref)s was circulated already: its text can no longer change.")
                % {"ref": procedure.reference}
            )
        created = False
    procedure.title = title
    procedure.text = text
    procedure.rule = rule
    procedure.deadline = deadline
    procedure.instructed_by = instructed_by
    procedure.instructed_at = instructed_at
    procedure.save()
    procedure.documents.set(documents)
    removed = list(procedure.attachments.filter(pk__in=list(remove_attachments)))
    for attachment in removed:
        name = attachment.file.name
        attachment.delete()
        # The file goes only once the removal is committed.
        transaction.on_commit(lambda name=name: default_storage.delete(name))
    kept = procedure.attachments.count()
    if kept + len(attachments) > MAX_ATTACHMENTS:
        raise DecisionsError(
            _("At most %(n)s attachments per written procedure.") % {"n": MAX_ATTACHMENTS}
        )
    with atomic_storage() as stored:
        for checked in attachments:
            record = WrittenProcedureAttachment(
                procedure=procedure,
                format=checked.format,
                original_name=checked.original_name,
                size=checked.size,
                sha256=checked.sha256,
                page_count=checked.page_count,
                uploaded_by=by,
            )
            save_to(record.file, checked, stored)
            record.save()
        log_action(
            "vev.decisions.procedure." + ("drafted" if created else "draft_changed"),
            actor=by,
            event=event,
            target=procedure,
            data={
                "reference": procedure.reference,
                "title": title,
                "rule": rule,
                "deadline": deadline.isoformat() if deadline else None,
                "documents": [d.symbol for d in documents],
                "attachments_added": [
                    {"name": c.original_name, "sha256": c.sha256} for c in attachments
                ],
                "attachments_removed": [a.original_name for a in removed],
            },
            request=request,
        )
    return procedure


def _member_count(event: Event) -> int:
    return CouncilMembership.objects.filter(
        event=event, status=CouncilMembership.Status.MEMBER
    ).count()


@transaction.atomic
def launch(
    procedure: WrittenProcedure, *, by, request=None, announce: bool = True
) -> WrittenProcedure:
    """Circulate a draft to every Council Member: the procedure is open until its deadline.

    ``announce=False`` (the demo loader only) records the launch without notifying anyone.
    """
    event = procedure.event
    require_manage(by, event)
    procedure = _locked(procedure)
    if not procedure.is_draft:
        raise DecisionsError(_("%(ref)s was circulated already.") % {"ref": procedure.reference})
    now = timezone.now()
    if procedure.deadline is None:
        raise DecisionsError(_("Set the deadline for replies before circulating the proposal."))
    _check_deadline(event, procedure.deadline, now)
    if procedure.instructed_by is None or procedure.instructed_at is None:
        raise DecisionsError(
            _("Record which presiding officer instructed the procedure, and when.")
        )
    _check_instruction(event, procedure.instructed_by, procedure.instructed_at, now)
    if _member_count(event) == 0:
        raise DecisionsError(_("This event has no Council Members to circulate the proposal to."))
    procedure.status = WrittenProcedure.Status.OPEN
    procedure.launched_by = by
    procedure.launched_at = now
    procedure.content_sha256 = content_digest(procedure)
    # Less than a day to reply: the notice of the launch is the reminder.
    procedure.reminded_for = (
        procedure.deadline if procedure.deadline - now < REMINDER_LEAD else None
    )
    procedure.save(
        update_fields=[
            "status",
            "launched_by",
            "launched_at",
            "content_sha256",
            "reminded_for",
            "updated_at",
        ]
    )
    assignment = presiding_assignment(event, procedure.instructed_by)
    capacity = assignment.function if assignment else None
    log_action(
        "vev.decisions.procedure.launched",
        actor=by,
        event=event,
        target=procedure,
        data={
            "reference": procedure.reference,
            "title": procedure.title,
            "rule": procedure.rule,
            "deadline": procedure.deadline.isoformat(),
            "instructed_by": procedure.instructed_by.display_name,
            "instructed_by_id": procedure.instructed_by_id,
            "instructed_as": capacity,
            "instructed_at": procedure.instructed_at.isoformat(),
            "documents": sorted(procedure.documents.values_list("symbol", flat=True)),
            "attachments": [
                {"name": a.original_name, "sha256": a.sha256} for a in procedure.attachments.all()
            ],
            "content_sha256": procedure.content_sha256,
        },
        request=request,
    )
    if announce:
        _announce_launch(procedure, assignment)
    return procedure


def _announce_launch(procedure: WrittenProcedure, assignment) -> None:
    event = procedure.event
    rule_label = procedure.get_rule_display
    notify_recipients(
        council_member_actors(event),
        event=event,
        kind="decisions.launched",
        title=gettext_lazy("Written procedure %(ref)s: %(title)s"),
        body=gettext_lazy(
            "On the instruction of the %(capacity)s, %(chair)s, the secretariat circulates "
            "this proposal to the Council Members under the written procedure (Rule 3.2 of the "
            "Council Rules of Procedure).\n\n%(text)s\n\nOutcome rule: %(rule)s\n"
            "Deadline for replies: %(deadline)s%(deadline_local)s\n\n"
            "The head of delegation or a councillor replies for each Council Member State "
            "(agree, object or abstain, with a statement if you wish) on the procedure's page, "
            "and may change the reply until the deadline."
        ),
        url=procedure.get_absolute_url(),
        params={
            "ref": procedure.reference,
            "title": procedure.title,
            "text": procedure.text,
            "chair": procedure.instructed_by.display_name,
            "capacity": lambda user, entity: assignment.get_function_display(),
            "rule": lambda user, entity: rule_label(),
        },
        times={"deadline": procedure.deadline},
    )
    publish_on_commit(
        groups.event(event.pk, "participants"),
        WrittenProcedureLaunched(
            procedure_id=procedure.pk,
            number=procedure.number,
            title=procedure.title,
            deadline=procedure.deadline.isoformat(),
            url=procedure.get_absolute_url(),
        ),
    )


def _refuse_after_deadline(procedure: WrittenProcedure, now: datetime) -> None:
    if procedure.is_open and procedure.deadline <= now:
        raise DecisionsError(
            _(
                "The deadline of %(ref)s passed on %(when)s: the result is being computed and "
                "the procedure can no longer change."
            )
            % {
                "ref": procedure.reference,
                "when": format_in_zone(procedure.deadline, procedure.event.time_zone),
            }
        )


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DecisionsError(what)
    if len(reason) > REASON_MAX:
        raise DecisionsError(_("The reason is limited to %(n)s characters.") % {"n": REASON_MAX})
    return reason


@transaction.atomic
def withdraw(procedure: WrittenProcedure, *, by, reason: str, request=None) -> WrittenProcedure:
    """Withdraw a draft, or an open procedure before its deadline; nothing is decided."""
    event = procedure.event
    require_manage(by, event)
    reason = _reason(reason, _("Give the reason for the withdrawal; it is recorded."))
    procedure = _locked(procedure)
    if procedure.status not in (WrittenProcedure.Status.DRAFT, WrittenProcedure.Status.OPEN):
        raise DecisionsError(
            _("%(ref)s is %(status)s: it can no longer be withdrawn.")
            % {"ref": procedure.reference, "status": procedure.get_status_display().lower()}
        )
    now = timezone.now()
    _refuse_after_deadline(procedure, now)
    was_open = procedure.is_open
    procedure.status = WrittenProcedure.Status.WITHDRAWN
    procedure.withdrawn_by = by
    procedure.withdrawn_at = now
    procedure.withdrawal_reason = reason
    procedure.save(
        update_fields=[
            "status",
            "withdrawn_by",
            "withdrawn_at",
            "withdrawal_reason",
            "updated_at",
        ]
    )
    log_action(
        "vev.decisions.procedure.withdrawn",
        actor=by,
        event=event,
        target=procedure,
        data={"reference": procedure.reference, "reason": reason, "was_open": was_open},
        request=request,
    )
    if was_open:
        notify_recipients(
            [*council_member_actors(event), *secretariat_and_chairs(event)],
            event=event,
            kind="decisions.withdrawn",
            title=gettext_lazy("Written procedure %(ref)s was withdrawn"),
            body=gettext_lazy(
                "The secretariat withdrew written procedure %(ref)s “%(title)s” before its "
                "deadline; nothing was decided.\n\nReason: %(reason)s"
            ),
            url=procedure.get_absolute_url(),
            params={"ref": procedure.reference, "title": procedure.title, "reason": reason},
        )
        publish_on_commit(
            groups.event(event.pk, "participants"),
            WrittenProcedureWithdrawn(procedure_id=procedure.pk, reason=reason),
        )
    return procedure


@transaction.atomic
def extend(
    procedure: WrittenProcedure, *, by, deadline: datetime, reason: str, request=None
) -> WrittenDeadlineChange:
    """Move the deadline of an open procedure later, before it passes (recorded)."""
    event = procedure.event
    require_manage(by, event)
    reason = _reason(reason, _("Give the reason for the extension; it is recorded."))
    procedure = _locked(procedure)
    if not procedure.is_open:
        raise DecisionsError(
            _("Only an open written procedure can be extended; %(ref)s is %(status)s.")
            % {"ref": procedure.reference, "status": procedure.get_status_display().lower()}
        )
    now = timezone.now()
    _refuse_after_deadline(procedure, now)
    if timezone.is_naive(deadline):
        raise DecisionsError(_("Give the deadline with its time zone."))
    previous = procedure.deadline
    if deadline <= previous:
        raise DecisionsError(
            _("An extension must end after the current deadline (%(when)s).")
            % {"when": format_in_zone(previous, event.time_zone)}
        )
    change = WrittenDeadlineChange.objects.create(
        procedure=procedure, previous=previous, new=deadline, reason=reason, by=by, at=now
    )
    procedure.deadline = deadline
    procedure.reminded_for = deadline if deadline - now < REMINDER_LEAD else None
    procedure.save(update_fields=["deadline", "reminded_for", "updated_at"])
    log_action(
        "vev.decisions.procedure.extended",
        actor=by,
        event=event,
        target=procedure,
        data={
            "reference": procedure.reference,
            "previous": previous.isoformat(),
            "deadline": deadline.isoformat(),
            "reason": reason,
        },
        request=request,
    )
    notify_recipients(
        [*council_member_actors(event), *secretariat_and_chairs(event)],
        event=event,
        kind="decisions.extended",
        title=gettext_lazy("Written procedure %(ref)s: the deadline is extended"),
        body=gettext_lazy(
            "The deadline for replies to written procedure %(ref)s “%(title)s” is extended.\n\n"
            "New deadline: %(deadline)s%(deadline_local)s\n"
            "Previous deadline: %(previous)s\nReason: %(reason)s"
        ),
        url=procedure.get_absolute_url(),
        params={"ref": procedure.reference, "title": procedure.title, "reason": reason},
        times={"deadline": deadline, "previous": previous},
    )
    publish_on_commit(
        groups.event(event.pk, "participants"),
        WrittenProcedureExtended(
            procedure_id=procedure.pk,
            deadline=deadline.isoformat(),
            previous_deadline=previous.isoformat(),
        ),
    )
    return change
