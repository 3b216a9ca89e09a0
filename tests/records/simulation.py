"""A meeting run through the real services of the room, the captions and the decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests import factories
from tests.live.services import enter
from vev.council.models import Meeting, Registration
from vev.decisions.services import conclusions
from vev.documents.services import comments
from vev.live.models import Connection
from vev.live.services import captions, flow, presence, speakers


@dataclass
class Simulated:
    event: object
    meeting: Meeting
    users: dict
    conclusion_deferred: object
    conclusion_agreed: object
    election: object


def simulate_meeting(event, users) -> Simulated:
    """PL 1: the chair opens it, France and Kenya join (Japan, registered, never does), France
    asks for the floor and speaks (captioned), Kenya raises a point of order and the chair
    rules on it, France's connection drops and comes back, the chair puts two proposed
    conclusions: Kenya objects to the first (deferred); the guard holds the second for Japan
    and the chair records it with the absence noted; an election; the meeting closes."""
    now = timezone.now()
    meeting = event.meetings.get(slug="pl-1")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=3),
        status=Meeting.Status.SCHEDULED,
    )
    meeting.refresh_from_db()
    france, kenya, japan = (factories.member_entity(event, i) for i in range(3))
    users["ke"] = factories.create_user("ke.head@example.org", full_name="Ms Wanjiru")
    factories.register(users["ke"], event, kenya, Registration.Role.HEAD_OF_DELEGATION)
    users["jp"] = factories.create_user("jp.head@example.org", full_name="Mr Sato")
    factories.register(users["jp"], event, japan, Registration.Role.HEAD_OF_DELEGATION)
    Registration.objects.filter(
        user__in=[users["no_mfa_councillor"], users["focal_point"]]
    ).delete()
    item = meeting.allocations.get().item
    document = factories.create_document(event, symbol="C20/37", group=2, item=item)
    comments.file_comment(users["councillor"], document, "France asks that its support be noted.")

    flow.open_meeting(meeting, users["chair"])
    for key in ("chair", "secretariat", "councillor", "ke", "observer"):
        enter(users[key], meeting)
    flow.take_up_item(meeting, users["chair"], meeting.allocations.get().pk)
    feed = captions.create_feed(users["secretariat"], meeting)

    request = speakers.raise_hand(meeting, users["councillor"], note="On the report")
    speakers.give_floor(meeting, users["chair"], request)
    captions.ingest(feed, language="en", seq=1, text="France supports the report.\n")
    captions.ingest(feed, language="en", seq=2, text="We thank the secretariat.\n")
    point = speakers.raise_nameplate(meeting, users["ke"], kind="point_of_order")
    speakers.give_floor(meeting, users["chair"], point)
    captions.ingest(feed, language="en", seq=3, text="Kenya asks for interpretation.\n")
    speakers.end_floor(meeting, users["chair"], ruling="The point is well taken.")

    connection = Connection.objects.filter(
        participant__user=users["councillor"], closed_at__isnull=True
    ).get()
    presence.disconnect(connection.pk, reason=Connection.Reason.DROPPED)
    enter(users["councillor"], meeting, channel="test.back")

    deferred = conclusions.draft(
        event, users["secretariat"], text="The Council approved Document C20/37.", agenda_item=item
    )
    call = conclusions.open_call(deferred.pk, meeting, users["chair"], seconds=30)
    conclusions.raise_objection(call.pk, users["ke"], reason="The annex is missing.")
    conclusions.close_call(call.pk, users["chair"])

    agreed = conclusions.draft(
        event, users["secretariat"], text="The Council noted the report.", agenda_item=item
    )
    call = conclusions.open_call(agreed.pk, meeting, users["chair"], seconds=30)
    conclusions.close_call(call.pk, users["chair"], now=call.closes_at + timedelta(seconds=1))
    conclusions.resolve_hold(call.pk, users["chair"], decision="record")

    election = conclusions.draft_election(
        event, users["secretariat"], office="chair", candidate="Ms Kamau", entity=kenya
    )
    call = conclusions.open_call(election.pk, meeting, users["chair"], seconds=30)
    conclusions.close_call(call.pk, users["chair"], now=call.closes_at + timedelta(seconds=1))
    conclusions.resolve_hold(call.pk, users["chair"], decision="record")

    flow.close_meeting(meeting, users["chair"])
    meeting.refresh_from_db()
    for c in (deferred, agreed, election):
        c.refresh_from_db()
    return Simulated(event, meeting, users, deferred, agreed, election)
