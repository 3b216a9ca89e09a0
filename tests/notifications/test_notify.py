from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tests import factories
from vev.notifications.models import Notification
from vev.notifications.services import mark_all_read, mark_read, notify, unread_count


def test_notify_creates_one_per_user_in_their_language_and_emails(
    db, django_capture_on_commit_callbacks
):
    english = factories.create_user("en@example.org")
    french = factories.create_user("fr@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            [english, french, english],
            kind="test.hello",
            title=gettext_lazy("Notifications"),
            body="Body %(x)s",
            params={"x": 1},
            url="/somewhere/",
        )
    assert len(created) == 2
    assert Notification.objects.get(user=english).body == "Body 1"
    assert {m.to[0] for m in mail.outbox} == {"en@example.org", "fr@example.org"}
    assert "http://localhost:8000/somewhere/" in mail.outbox[0].body
    assert all(n.emailed_at for n in Notification.objects.all())
    assert unread_count(english) == 1


def test_mark_read(db):
    user = factories.create_user()
    first, second = notify([user], kind="a", title="A") + notify([user], kind="b", title="B")
    assert mark_read(user, [first.pk]) == 1
    assert unread_count(user) == 1
    other = factories.create_user()
    assert mark_read(other, [second.pk]) == 0  # not theirs
    mark_all_read(user)
    assert unread_count(user) == 0


def test_list_and_header_count(client, db):
    user = factories.create_user(mfa=False)
    notify([user], kind="a", title="Your question was answered", url="/events/")
    client.force_login(user)
    page = client.get(reverse("notifications:list"))
    assert "Your question was answered" in page.content.decode()
    assert page.context["notifications_unread"] == 1
    response = client.post(
        reverse("notifications:mark_read"),
        {"id": Notification.objects.get().pk, "next": "/events/"},
    )
    assert response["Location"] == "/events/"
    assert unread_count(user) == 0
    # An address elsewhere is not followed.
    response = client.post(reverse("notifications:mark_read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_error_pages_do_not_query_the_unread_count(client, event, role_users):
    """Django renders error pages in a worker thread that never closes a connection opened
    there; the unread count stays out of them (vev.core.views)."""
    client.force_login(role_users["authenticated"])
    notify([role_users["authenticated"]], kind="a", title="A")
    response = client.get(reverse("council:delegate_area", kwargs={"event": event.slug}))
    assert response.status_code == 403
    assert "notifications_unread" not in response.context
    assert client.get(reverse("notifications:list")).context["notifications_unread"] == 1
