from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vev.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        # the chair's summary at the next meeting starts from this meeting's summary record
        from vev.live.services.flow import register_summary_source

        from .services.summary import chair_summary_draft

        register_summary_source(chair_summary_draft)
