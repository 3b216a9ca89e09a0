from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vev.documents"
    label = "documents"
    verbose_name = "Documents and consultation"

    def ready(self) -> None:
        from . import signal_handlers, stream, tasks  # noqa: F401  (register receivers and commands)
