"""WebSocket routes of every app, collected for vev.asgi."""

from django.urls import path

from vev.council.consumers import EventStreamConsumer
from vev.live.consumers import RoomConsumer
from vev.live.webcast import WebcastConsumer
from vev.venue.consumers import VenueConsumer

websocket_urlpatterns: list = [
    path("ws/events/<slug:event>/", EventStreamConsumer.as_asgi()),
    path("ws/events/<slug:event>/meetings/<slug:meeting>/room/", RoomConsumer.as_asgi()),
    path("ws/events/<slug:event>/meetings/<slug:meeting>/webcast/", WebcastConsumer.as_asgi()),
    path("ws/venue/<slug:event>/<slug:space>/", VenueConsumer.as_asgi()),
]
