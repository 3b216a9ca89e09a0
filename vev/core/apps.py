from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vev.core"
    label = "core"
    verbose_name = "vev core"
