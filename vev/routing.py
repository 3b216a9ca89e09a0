"""WebSocket routes of every app, collected for vev.asgi."""

from django.urls import path

from vev.council.consumers import EventStreamConsumer

websocket_urlpatterns: list = [
    path("ws/events/<slug:event>/", EventStreamConsumer.as_asgi()),
]
