"""The caption providers' endpoint, outside the event tree: ``/captions/ingest`` and ``…/seq``.

Mounted at ``/captions/`` by ``vev/urls.py`` (exempt from the MFA redirect: no session).
"""

from django.urls import path

from .views import captions

app_name = "captions"

urlpatterns = [
    path("ingest", captions.ingest, name="ingest"),
    path("ingest/seq", captions.seq, name="seq"),
]
