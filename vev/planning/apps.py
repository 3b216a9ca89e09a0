from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "vev.planning"
    label = "planning"
    verbose_name = "Planning"
