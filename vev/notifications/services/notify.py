"""Create notifications for users, publish them live and e-mail them after commit.

Other apps call :func:`notify`: documents (published, deadline reminders, clarifications
answered), written procedures, invitations. Texts are translated per recipient: pass lazy
strings (``gettext_lazy``) and ``params`` that are substituted after translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit

from ..events import NotificationCreated
from ..models import Notification


def _render(text: Any, params: Mapping[str, Any] | None) -> str:
    rendered = str(text)
    if params:
        rendered = rendered % {key: str(value) for key, value in params.items()}
    return rendered


@transaction.atomic
def notify(
    users: Iterable,
    *,
    kind: str,
    title: Any,
    body: Any = "",
    url: str = "",
    event=None,
    params: Mapping[str, Any] | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify each distinct active user once; returns the notifications created.

    ``kind`` is a dotted name (``documents.published``). ``title`` and ``body`` are rendered in
    each user's preferred language. E-mails go through a huey task after the commit.
    """
    from ..tasks import send_notification_email

    seen: set[int] = set()
    created: list[Notification] = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or "en"):
            notification = Notification.objects.create(
                user=user,
                event=event,
                kind=kind,
                title=_render(title, params)[:300],
                body=_render(body, params) if body else "",
                url=url,
                email=email,
            )
        created.append(notification)
    unread = dict(_unread_counts([n.user_id for n in created]))
    for notification in created:
        publish_on_commit(
            groups.user(notification.user_id),
            NotificationCreated(
                id=notification.pk,
                title=notification.title,
                url=notification.url,
                unread=unread.get(notification.user_id, 1),
            ),
        )
        if email:
            transaction.on_commit(
                lambda pk=notification.pk: send_notification_email(pk)  # type: ignore[misc]
            )
    return created


def _unread_counts(user_ids: list[int]):
    from django.db.models import Count

    return (
        Notification.objects.filter(user_id__in=user_ids, read_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(user, notification_ids: Iterable[int]) -> int:
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
