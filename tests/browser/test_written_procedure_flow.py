"""Issue 6 (written procedure, Rule 3.2) in a browser: the secretariat circulates a proposal, a
head of delegation objects with a statement, the deadline passes and the delegate sees the
result; a deadline passing while a delegate types keeps the text."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from vev.decisions.models import WrittenProcedure, WrittenReply
from vev.decisions.services import closing
from vev.notifications.models import Notification


def sweep() -> list[int]:
    """Run the periodic sweeper as the task worker would: in its own thread and connection
    (a thread without the test's event loop, so its events reach the channel layer)."""
    result: list[int] = []

    def work():
        try:
            result.extend(closing.close_overdue())
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    return result


def test_secretariat_launches_a_head_objects_and_the_result_reaches_the_delegate(
    new_page, event, role_users
):
    document = factories.create_document(event, symbol="C20/37", group=3)
    secretariat = new_page()
    sign_in(secretariat, role_users["secretariat"])
    secretariat.goto(f"/events/{event.slug}/written-procedures/")
    secretariat.get_by_role("link", name="Draft a written procedure").click()
    secretariat.get_by_label("Title").fill("Dates of the next physical session")
    secretariat.get_by_label("Text of the proposal").fill(
        "Council is invited to hold its next physical session on the proposed dates."
    )
    secretariat.get_by_label("Related documents").select_option(label=f"{document}")
    secretariat.get_by_label("Silence procedure", exact=False).check()
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(event.tz)
    secretariat.get_by_label("Deadline for replies").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    secretariat.get_by_label("Instructed by").select_option(
        label=f"{role_users['chair'].display_name} (Chair)"
    )
    secretariat.get_by_role("button", name="Circulate now").click()
    expect(secretariat.get_by_text("WP 1 was circulated to the Council Members")).to_be_visible()
    expect(secretariat.locator("#replies-live")).to_have_text("Live: updated as replies arrive.")
    procedure = WrittenProcedure.objects.get()
    assert procedure.status == "open" and procedure.instructed_by == role_users["chair"]

    # The head of delegation of France, in Tokyo, learns of it from the notification.
    head = new_page(timezone_id="Asia/Tokyo")
    sign_in(head, role_users["head_of_delegation"])
    assert Notification.objects.filter(
        user=role_users["head_of_delegation"], kind="decisions.launched"
    ).exists()
    head.goto("/me/notifications/")
    head.get_by_role("button", name="Open").first.click()
    expect(head.get_by_role("heading", name="Reply of France")).to_be_visible()
    expect(head.locator("#deadline .vev-local-time")).to_contain_text("your time")
    head.get_by_label("Object").check()
    head.get_by_label("Statement (optional)").fill("France cannot agree before consulting.")
    head.get_by_role("button", name="Send the reply").click()
    expect(head.get_by_text("The reply of France to WP 1 is recorded: Object.")).to_be_visible()

    # The secretariat's table updated without reloading.
    france = WrittenReply.objects.get().entity
    row = secretariat.locator(f'#replies-table tr[data-entity="{france.pk}"]')
    expect(row.locator("[data-choice]")).to_have_text("Object")
    expect(row.locator("[data-statement]")).to_have_text("France cannot agree before consulting.")
    expect(secretariat.locator("[data-live-counts]")).to_contain_text("Object: 1")

    # The deadline passes and the task runner closes the procedure.
    WrittenProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    assert sweep() == [procedure.pk]
    expect(head.locator("#live-result")).to_be_visible()
    expect(head.locator("#live-result [data-result]")).to_have_text("Not adopted")
    expect(head.locator("#procedure-live")).to_contain_text("Result: Not adopted")
    expect(head.get_by_role("button", name="Change the reply")).to_be_disabled()
    head.get_by_role("link", name="Show the full result with every reply").click()
    expect(head.get_by_role("heading", name="Result: Not adopted")).to_be_visible()
    expect(head.get_by_text("1 Council Member objected by the deadline.")).to_be_visible()
    expect(head.locator("#replies-table")).to_contain_text("France cannot agree before consulting.")
    with head.expect_download() as download:
        head.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_deadline_passing_while_a_delegate_types_keeps_the_text(new_page, event, role_users):
    procedure = factories.create_written_procedure(
        event,
        secretariat=role_users["secretariat"],
        chair=role_users["chair"],
        hours=20 / 3600,  # closes in 20 seconds
    )
    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto(procedure.get_absolute_url())
    page.get_by_label("Agree").check()
    page.get_by_label("Statement (optional)").fill("Typed as the clock runs out.")
    expect(page.locator("#procedure-live")).to_contain_text(
        "The deadline has passed: replies are no longer accepted.", timeout=25_000
    )
    expect(page.get_by_role("button", name="Send the reply")).to_be_disabled()
    expect(page.get_by_label("Statement (optional)")).to_have_value("Typed as the clock runs out.")
    assert not WrittenReply.objects.exists()
    assert sweep() == [procedure.pk]
    expect(page.locator("#live-result [data-result]")).to_have_text("Adopted")  # silence
