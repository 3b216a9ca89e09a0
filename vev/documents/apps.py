from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vev.documents"
    label = "documents"
    verbose_name = "Documents and consultation"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the periodic reminder task)
