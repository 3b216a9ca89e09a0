"""The audit page of an event: entries in words, filters, pagination, the chain check."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.records.conftest import json_param, tamper
from vev.cli import main as vev_cli
from vev.core.audit import log_action
from vev.core.models import AuditEntry


def url(event, **params):
    from urllib.parse import urlencode

    base = reverse("records:audit", kwargs={"event": event.slug})
    return f"{base}?{urlencode(params)}" if params else base


def page_of(client, user, event, **params):
    client.force_login(user)
    response = client.get(url(event, **params))
    assert response.status_code == 200
    return response.content.decode()


def test_entries_in_words_with_who_for_whom_and_the_chain(client, event, users, acts):
    page = page_of(client, users["secretariat"], event)
    # This event's entries only, newest first, each with its position.
    assert 'id="entry-2"' in page and 'id="entry-1"' not in page  # #1 is another event's
    assert page.index('id="entry-6"') < page.index('id="entry-2"')
    assert "Consultation reply" in page and "vev.documents.consultation.replied" in page
    assert "Written procedure closed: result" in page and "the system" in page
    # An action without a label falls back to its dotted name.
    assert "vev.somewhere.new_act</code>" in page
    # Who acted, and the entity they represent.
    assert f'{users["focal_point"].display_name} <span class="entity">(Kenya)</span>' in page
    assert "Côte d&#x27;Ivoire" in page and "Kenya objects." in page
    assert "The chain verifies" in page and 'class="badge ok">verifies' in page
    assert "data-vev-local" in page  # times in the event's zone with the local time


def table_of(client, user, event, **params):
    """Only the table of entries (the filter's list of actions names every kind)."""
    page = page_of(client, user, event, **params)
    return page[page.index('<table id="audit-entries"') : page.index("</table>")]


def test_filters_by_action_actor_dates_and_text(client, event, users, acts):
    secretariat = users["secretariat"]
    page = table_of(client, secretariat, event, action="vev.decisions.")
    assert "Written procedure reply" in page and "Consultation reply" not in page
    page = table_of(client, secretariat, event, actor=str(users["councillor"].pk))
    assert "Consultation reply" in page and "Written procedure reply" not in page
    page = table_of(client, secretariat, event, actor="none")
    assert "Written procedure closed" in page and "Consultation reply" not in page
    page = table_of(client, secretariat, event, q="côte d'ivoire")  # not ASCII, any case
    assert "Deadline extended" in page and "Consultation reply" not in page
    page = table_of(client, secretariat, event, q="Kenya objects")
    assert "Written procedure reply" in page and "Deadline extended" not in page
    # Dates are days in the event's zone: an entry at 23:30 Geneva belongs to that day.
    first = acts[0]
    local = first.at.astimezone(event.tz)
    late_evening = local.replace(hour=23, minute=30)
    AuditEntry.objects.filter(pk=first.pk).update(at=late_evening)  # (breaks the hash: fine)
    day = late_evening.date()
    page = table_of(client, secretariat, event, date_from=day, date_to=day)
    assert 'id="entry-2"' in page
    page = table_of(client, secretariat, event, date_from=day + timedelta(days=1))
    assert 'id="entry-2"' not in page
    page = page_of(client, secretariat, event, date_from=day, date_to=day - timedelta(days=1))
    assert "The end of the period is before its start." in page


def test_pagination_keeps_the_filters(client, event, users):
    for index in range(55):
        log_action("vev.documents.document.created", event=event, data={"n": index})
    log_action("vev.council.staff.assigned", event=event)
    page = page_of(client, users["secretariat"], event, action="vev.documents.")
    assert "Page 1 of 2" in page and "action=vev.documents.&amp;page=2" in page
    page = table_of(client, users["secretariat"], event, action="vev.documents.", page=2)
    assert page.count('class="badge ok">verifies') == 5 and "Staff function" not in page


@pytest.fixture
def chain(event, users):
    return [
        log_action("vev.documents.consultation.replied", event=event, data={"n": n})
        for n in range(6)
    ]


def assert_command_fails(match: str) -> None:
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit_verify")
    with pytest.raises(SystemExit) as exit_:
        vev_cli(["audit-verify"])  # the `vev audit-verify` command line
    assert exit_.value.code == 1


def test_an_entry_changed_with_sql_is_detected(client, event, users, chain, capsys):
    call_command("audit_verify")
    vev_cli(["audit-verify"])  # intact: returns normally, exit code 0
    assert "intact (6 entries)" in capsys.readouterr().out
    tamper(
        f"UPDATE core_auditentry SET data = {json_param()} WHERE position = %s",  # noqa: S608
        ['{"n": 99}', 3],
    )
    assert_command_fails("entry #3")
    assert "entry #3: content does not match its hash" in capsys.readouterr().err
    page = page_of(client, users["secretariat"], event)
    assert "The audit log does NOT verify" in page and 'role="alert"' in page
    assert '<a href="#entry-3">Entry #3</a>: its content was changed' in page
    assert '<tr id="entry-3" class="broken">' in page
    assert page.count('class="badge danger">broken') == 1


def test_a_deleted_middle_entry_is_detected(client, event, users, chain):
    tamper("DELETE FROM core_auditentry WHERE position = %s", [3])
    assert_command_fails("entry #4")
    page = page_of(client, users["secretariat"], event)
    assert "an entry is missing before it or the order was changed (it should be #3)" in page
    assert "its link to the previous entry is broken" in page
    assert '<tr id="entry-4" class="broken">' in page


def test_deleted_last_entries_are_detected(client, event, users, chain):
    tamper("DELETE FROM core_auditentry WHERE position >= %s", [5])
    assert_command_fails("missing at the end")
    page = page_of(client, users["secretariat"], event)
    assert "entries are missing at the end of the log (the log had 6 entries)" in page
    assert "4 entries present, 6 written" in page
    # The entry named (#6) is gone: it is named without a link.
    assert "Entry #6</a>" not in page and "Entry #6:" in page
