"""Public pages of the council app."""

from tests import factories


def test_event_page_lists_each_related_meeting_once(client, event):
    """A public rehearsal with several registrations is listed once (not once per registration)."""
    rehearsal = factories.create_event(
        "rehearsal", kind="rehearsal", title="Rehearsal of the session", parent=event
    )
    for index in range(3):
        user = factories.create_user(f"delegate{index}@example.org")
        factories.register(user, rehearsal, factories.member_entity(rehearsal, 0))
    client.force_login(factories.create_user("viewer@example.org"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count("Rehearsal of the session") == 1
