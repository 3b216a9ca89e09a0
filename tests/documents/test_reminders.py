from datetime import timedelta

from django.core import mail
from django.utils import timezone, translation

from tests.documents.conftest import set_deadline
from vev.documents.models import Deadline, DeadlineReminder
from vev.documents.services import deadlines
from vev.documents.services.reminders import send_due_reminders
from vev.documents.tasks import remind_deadlines
from vev.notifications.models import Notification


def test_reminders_go_to_council_members_at_72_and_24_hours_once(
    event, users, secretariat, django_capture_on_commit_callbacks
):
    deadline = set_deadline(event, Deadline.Kind.CONSULTATION, hours=100)
    now = timezone.now()
    assert send_due_reminders(now) == 0  # more than 72 h ahead
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_due_reminders(now + timedelta(hours=30))  # 70 h before
    recipients = {n.user for n in Notification.objects.filter(kind="documents.deadline_reminder")}
    # Heads and councillors of Council Members (also one who has not enrolled a second factor
    # yet: they need the reminder to act); not advisers, observers or staff.
    assert recipients == {
        users["head_of_delegation"],
        users["councillor"],
        users["focal_point"],
        users["no_mfa_councillor"],
    }
    assert sent == 4 and len(mail.outbox) == 4
    assert "Deadline approaching" in mail.outbox[0].subject
    assert send_due_reminders(now + timedelta(hours=31)) == 0  # idempotent
    assert send_due_reminders(now + timedelta(hours=80)) == 4  # 20 h before: the 24 h reminder
    assert send_due_reminders(now + timedelta(hours=101)) == 0  # passed
    assert list(
        deadline.reminders.order_by("-lead_hours").values_list("lead_hours", flat=True)
    ) == [72, 24]


def test_secretariat_deadline_reminds_the_secretariat(event, users):
    set_deadline(event, Deadline.Kind.SECRETARIAT_DOCUMENTS, hours=10)
    send_due_reminders()
    recipients = {n.user for n in Notification.objects.filter(kind="documents.deadline_reminder")}
    assert recipients == {users["secretariat"]}
    # The 72 h reminder is not sent after the 24 h one.
    assert list(DeadlineReminder.objects.values_list("lead_hours", flat=True)) == [24]


def test_a_moved_deadline_is_reminded_again(event, users, secretariat):
    deadline = set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=10)
    assert send_due_reminders() == 4
    deadlines.set_deadline(
        event, deadline.kind, timezone.now() + timedelta(hours=5), by=secretariat
    )
    assert send_due_reminders() == 4


def test_the_periodic_task_runs_the_sweep(event, users):
    set_deadline(event, Deadline.Kind.SUBMISSIONS, hours=10)
    remind_deadlines.call_local()
    assert Notification.objects.filter(kind="documents.deadline_reminder").count() == 4


def test_reminders_are_written_in_each_recipients_language(event, users):
    """The deadline's kind and date are rendered per recipient, not in the sender's language."""
    councillor = users["councillor"]
    councillor.preferred_language = "fr"
    councillor.save(update_fields=["preferred_language"])
    deadline = set_deadline(event, Deadline.Kind.CONSULTATION, hours=10)
    send_due_reminders()
    french = Notification.objects.get(kind="documents.deadline_reminder", user=councillor)
    assert french.title == "Date limite proche\u00a0: Réponses à la consultation"
    with translation.override("fr"):
        when = deadlines.format_in_zone(deadline.due_at, event.time_zone)
    assert french.body == f"Réponses à la consultation\u00a0: la date limite est le {when}."
    english = Notification.objects.get(
        kind="documents.deadline_reminder", user=users["head_of_delegation"]
    )
    assert english.title == "Deadline approaching: Replies to the consultation"
    assert english.body.startswith("Replies to the consultation: the deadline is ")
