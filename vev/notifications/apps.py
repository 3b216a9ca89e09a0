from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "vev.notifications"
    label = "notifications"
    verbose_name = "Notifications"
