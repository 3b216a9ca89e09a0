"""The language selector in the header, used with the keyboard only: French, then Arabic (RTL)."""

from playwright.sync_api import expect

from tests import factories


def _tab_to(page, element_id: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_switch_to_french_then_arabic_with_the_keyboard(new_page, transactional_db):
    event = factories.create_event()
    page = new_page(locale="en-GB")
    page.goto(event.get_absolute_url())
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Your participation")).to_be_visible()

    _tab_to(page, "language-select")
    selector = page.locator("#language-select")
    expect(selector).to_be_focused()
    page.keyboard.type("fr")  # type-ahead on the focused list: "français"
    expect(selector).to_have_value("fr")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change")).to_be_focused()
    page.keyboard.press("Enter")

    # Back on the same page (the form's "next"), now in French.
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    assert page.url.endswith(event.get_absolute_url())
    expect(page.get_by_role("heading", name="Votre participation")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    _tab_to(page, "language-select")
    page.keyboard.press("End")  # Arabic is the last of the six languages
    expect(page.locator("#language-select")).to_have_value("ar")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Changer")).to_be_focused()
    page.keyboard.press("Space")

    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    # The page mirrors: the header's language selector sits at the left edge, the brand right.
    brand = page.locator(".brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert switcher["x"] < brand["x"]
    expect(page.locator("#language-select")).to_have_value("ar")
    # The choice sticks (cookie): the next page is in Arabic too.
    page.goto("/")
    expect(html).to_have_attribute("dir", "rtl")
