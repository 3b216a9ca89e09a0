"""WebSocket routes of every app, collected for vev.asgi."""

websocket_urlpatterns: list = []
