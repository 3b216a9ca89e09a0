"""Issue 3 in a browser: a comment over the limit, a consultation where one State defers, a
clarification answered by the secretariat, and a deadline passing while a comment is typed."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from vev.council.models import AgendaItem
from vev.documents.models import (
    CommentDraft,
    ConsultationReply,
    Deadline,
    Document,
    SummaryComment,
)
from vev.documents.services import comments


def test_comment_over_the_limit_is_refused_and_the_text_kept(new_page, event, role_users):
    document = factories.create_document(event, symbol="C20/20", group=2)
    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto(f"/events/{event.slug}/documents/{document.pk}/")
    page.get_by_role("link", name="Write a comment for the summary record").click()
    box = page.get_by_label("Comment for the summary record")
    long_text = " ".join(["France"] * (comments.MAX_WORDS + 5))
    box.fill(long_text)
    meter = page.locator("#comment-meter")
    expect(meter).to_contain_text(f"Words: {comments.MAX_WORDS + 5} of {comments.MAX_WORDS}")
    expect(meter).to_contain_text("Over the limit")
    page.get_by_role("button", name="File the comment").click()
    expect(page.get_by_text("255 words (at most 250)")).to_be_visible()
    expect(page.get_by_label("Comment for the summary record")).to_have_value(long_text)
    assert not SummaryComment.objects.exists()
    assert CommentDraft.objects.get(document=document).text == long_text

    short = "France supports the approval of this report."
    page.get_by_label("Comment for the summary record").fill(short)
    expect(meter).not_to_contain_text("Over the limit")
    page.get_by_role("button", name="File the comment").click()
    expect(page.get_by_text("was filed for the summary record")).to_be_visible()
    expect(page.get_by_text(short)).to_be_visible()
    assert SummaryComment.objects.get(document=document).text == short


def test_deadline_passing_while_typing_keeps_the_draft_and_tells_the_user(
    new_page, event, role_users
):
    document = factories.create_document(event, symbol="C20/21", group=2)
    Deadline.objects.create(
        event=event, kind=Deadline.Kind.SUBMISSIONS, due_at=timezone.now() + timedelta(seconds=6)
    )
    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto(f"/events/{event.slug}/documents/{document.pk}/comment/")
    page.get_by_label("Comment for the summary record").fill("Words typed as time runs out.")
    expect(page.get_by_role("alert")).to_contain_text(
        "The deadline has passed while you were writing", timeout=15_000
    )
    expect(page.get_by_role("button", name="File the comment")).to_be_disabled()
    page.wait_for_timeout(500)
    assert CommentDraft.objects.get(document=document).text == "Words typed as time runs out."
    page.reload()
    expect(page.get_by_label("Comment for the summary record")).to_have_value(
        "Words typed as time runs out."
    )


def test_consultation_where_one_state_defers(new_page, event, role_users):
    item = event.agenda_items.order_by("position").first()
    document = factories.create_document(event, symbol="C20/30", group=3, item=item)
    other = factories.create_document(event, symbol="C20/31", group=1, item=item)

    secretariat = new_page()
    sign_in(secretariat, role_users["secretariat"])
    secretariat.goto(f"/events/{event.slug}/consultation/matrix/")
    expect(secretariat.locator("#live-status")).to_have_text("Live: updated as replies arrive.")
    replied = secretariat.locator("[data-replied-count]")
    expect(replied).to_have_text("Council Members that replied: 0 of 3")

    kenya = new_page(timezone_id="Africa/Nairobi")
    sign_in(kenya, role_users["focal_point"])  # head of delegation of Kenya
    kenya.goto(f"/events/{event.slug}/consultation/")
    kenya.locator(f"#doc-{document.pk}").get_by_label("Keep").check()
    kenya.locator(f"#doc-{other.pk}").get_by_label("Keep").check()
    kenya.get_by_role("button", name="Save the replies").click()
    expect(kenya.get_by_text("The replies of Kenya were saved")).to_be_visible()
    expect(replied).to_have_text("Council Members that replied: 1 of 3")  # live, no reload

    france = new_page()
    sign_in(france, role_users["councillor"])
    france.goto(f"/events/{event.slug}/consultation/")
    france.locator(f"#doc-{document.pk}").get_by_label("Move").check()
    france.locator(f"#doc-{other.pk}").get_by_label("Move").check()
    france.get_by_role("button", name="Save the replies").click()
    expect(france.get_by_text("to move: 2")).to_be_visible()

    # The matrix updated without reloading: France's cells say M, the documents moved.
    row = secretariat.locator(f'tr[data-document="{document.pk}"]')
    expect(row.locator("td.cell.move")).to_have_text("M")
    expect(row.locator("td.cell.keep")).to_have_text("K")
    expect(row.locator("[data-status]")).to_have_text("Moved")
    expect(secretariat.locator("[data-moved-count]")).to_have_text("Documents moved: 2")
    expect(replied).to_have_text("Council Members that replied: 2 of 3")
    assert Document.objects.get(pk=document.pk).status == "moved"
    assert ConsultationReply.objects.filter(choice="move").count() == 2
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED
    # Without JavaScript the page shows the same table after a reload, and exports it.
    secretariat.reload()
    expect(secretariat.locator(f'tr[data-document="{other.pk}"] td.cell.move')).to_have_text("M")
    with secretariat.expect_download() as download:
        secretariat.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    france.goto(f"/events/{event.slug}/documents/")
    expect(france.get_by_text("Moved to the next physical session").first).to_be_visible()


def test_secretariat_answers_a_clarification(new_page, event, role_users):
    document = factories.create_document(event, symbol="C20/40", group=1)
    delegate = new_page()
    sign_in(delegate, role_users["councillor"])
    delegate.goto(f"/events/{event.slug}/documents/{document.pk}/")
    delegate.get_by_label("Your question for clarification").fill(
        "Which budget line finances these activities?"
    )
    delegate.get_by_role("button", name="Send the question").click()
    expect(delegate.get_by_text("Your question was sent")).to_be_visible()
    expect(delegate.get_by_text("Awaiting the secretariat's answer.")).to_be_visible()

    staff = new_page()
    sign_in(staff, role_users["secretariat"])
    staff.goto(f"/events/{event.slug}/clarifications/")
    staff.get_by_label("Answer to France on C20/40").fill("Budget line 2.3, regular budget.")
    staff.get_by_role("button", name="Publish the answer").click()
    expect(staff.get_by_text("Answer published on C20/40; France was notified.")).to_be_visible()

    # The delegate's header counts the notification live; the answer is on the public page.
    expect(delegate.locator("[data-vev-unread]")).to_have_text("1")
    delegate.get_by_role("link", name=re.compile("Notifications")).click()
    expect(delegate.get_by_text("Your question on C20/40 was answered")).to_be_visible()
    delegate.get_by_role("button", name="Open").click()
    expect(delegate.get_by_text("Budget line 2.3, regular budget.")).to_be_visible()
    visitor = new_page()
    visitor.goto(f"/events/{event.slug}/documents/{document.pk}/")
    expect(visitor.get_by_text("Which budget line finances these activities?")).to_be_visible()
    expect(visitor.get_by_text("Budget line 2.3, regular budget.")).to_be_visible()


def test_a_question_refused_at_the_deadline_stays_in_its_box(new_page, event, role_users):
    document = factories.create_document(event, symbol="C20/41", group=2)
    deadline = Deadline.objects.create(
        event=event, kind=Deadline.Kind.SUBMISSIONS, due_at=timezone.now() + timedelta(hours=1)
    )
    page = new_page()
    sign_in(page, role_users["councillor"])
    page.goto(f"/events/{event.slug}/documents/{document.pk}/")
    question = "Is the evaluation in Annex 3 complete?"
    page.get_by_label("Your question for clarification").fill(question)
    deadline.due_at = timezone.now() - timedelta(minutes=1)  # passes while the delegate types
    deadline.save()
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_text("Your question was not sent")).to_be_visible()
    expect(page.get_by_text("the deadline passed on")).to_be_visible()
    expect(page.get_by_label("Your question for clarification")).to_have_value(question)
    assert not document.clarifications.exists()
