from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vev.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core.signals import request_finished

        from .db import close_request_connections

        request_finished.connect(close_request_connections, dispatch_uid="vev.core.db")
