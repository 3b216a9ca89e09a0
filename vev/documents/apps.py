from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "vev.documents"
    label = "documents"
    verbose_name = _("Documents and consultation")

    def ready(self) -> None:
        from . import signal_handlers, stream, tasks  # noqa: F401  (register receivers and commands)
