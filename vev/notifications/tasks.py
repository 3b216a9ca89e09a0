"""E-mail delivery of notifications (huey; arguments are ids, the task is idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey.contrib.djhuey import db_task

from .models import Notification


@db_task(retries=3, retry_delay=30)
def send_notification_email(notification_id: int) -> None:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user", "event")
            .filter(pk=notification_id, emailed_at__isnull=True, email=True)
            .first()
        )
        if notification is None:
            return
        user = notification.user
        with translation.override(user.preferred_language or "en"):
            context = {
                "notification": notification,
                "user": user,
                "site_url": settings.SITE_URL,
                "link": f"{settings.SITE_URL}{notification.url}" if notification.url else "",
            }
            body = render_to_string("notifications/email/notification.txt", context)
            subject = render_to_string("notifications/email/notification_subject.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
