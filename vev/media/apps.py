from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "vev.media"
    label = "media"
    verbose_name = "Media"
