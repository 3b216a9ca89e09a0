"""The unread count in the header is shown only when something is unread."""

from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import sign_in
from vev.notifications.services import notify


def test_unread_badge_is_hidden_at_zero_and_shown_with_a_count(new_page, transactional_db):
    user = factories.create_user("reader@example.org")
    page = new_page()
    sign_in(page, user)
    page.goto("/me/notifications/")
    badge = page.locator("[data-vev-unread]")
    expect(badge).to_be_hidden()  # the hidden attribute wins over .badge's display
    expect(page.locator("[data-vev-unread-label]")).to_have_text("(unread: 0)")
    notify([user], kind="test.note", title="A new document", email=False)
    page.reload()
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    expect(page.locator("[data-vev-unread-label]")).to_have_text("(unread: 1)")
