"""Background work of the council app (run by huey; arguments are ids)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey.contrib.djhuey import db_task

from .models import Registration


@db_task(retries=3, retry_delay=30)
def send_registration_decision(registration_id: int) -> None:
    registration = (
        Registration.objects.select_related("event", "user", "entity")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status == Registration.Status.PENDING:
        return
    with translation.override(registration.user.preferred_language):
        context = {"registration": registration, "site_url": settings.SITE_URL}
        subject = render_to_string("council/email/registration_decided_subject.txt", context)
        body = render_to_string("council/email/registration_decided.txt", context)
    send_mail(" ".join(subject.split()), body, None, [registration.user.email])
