"""The 24-hour reminder to Council Member States that have not replied (services.reminders)."""

from datetime import timedelta

from django.utils import timezone

from vev.decisions.services import procedures, replies
from vev.decisions.services.reminders import send_due_reminders
from vev.decisions.tasks import remind_written_procedures
from vev.notifications.models import Notification


def reminded():
    return {n.user for n in Notification.objects.filter(kind="decisions.reminder")}


def test_reminder_24_hours_before_to_states_without_a_reply_once(
    make_procedure, users, japan_head, committed, mailoutbox
):
    procedure = make_procedure(hours=72)
    replies.reply(users["councillor"], procedure, "agree")  # France replied
    now = timezone.now()
    assert send_due_reminders(now) == 0  # 72 h ahead: not yet
    mailoutbox.clear()
    with committed():
        sent = send_due_reminders(now + timedelta(hours=49))  # 23 h before
    # Kenya (both its head and its councillor) and Japan; not France, which replied.
    assert reminded() == {users["focal_point"], users["no_mfa_councillor"], japan_head}
    assert sent == 3 and len(mailoutbox) == 3
    body = Notification.objects.get(kind="decisions.reminder", user=japan_head).body
    assert "Japan has not replied" in body and "(your time: " in body
    assert send_due_reminders(now + timedelta(hours=50)) == 0  # idempotent
    assert remind_written_procedures.call_local() == 0  # the periodic task: nothing more
    procedure.refresh_from_db()
    assert procedure.reminded_for == procedure.deadline


def test_an_extended_deadline_is_reminded_again(make_procedure, users, secretariat):
    procedure = make_procedure(hours=20)  # launched less than a day ahead: the notice reminds
    assert send_due_reminders() == 0
    procedures.extend(
        procedure, by=secretariat, deadline=procedure.deadline + timedelta(days=3), reason="More"
    )
    procedure.refresh_from_db()
    assert send_due_reminders() == 0  # the new deadline is days away
    assert send_due_reminders(procedure.deadline - timedelta(hours=23)) == 4


def test_no_reminder_for_closed_or_withdrawn_procedures(make_procedure, secretariat):
    procedure = make_procedure(hours=30)
    procedures.withdraw(procedure, by=secretariat, reason="Settled otherwise")
    assert send_due_reminders(timezone.now() + timedelta(hours=10)) == 0
    assert not reminded()
