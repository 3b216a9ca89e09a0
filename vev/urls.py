from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from vev.council.views.public import HomeView


def healthz(request):
    """Liveness for process supervisors; no data, no permission needed."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("vev.accounts.urls")),
    path("me/notifications/", include("vev.notifications.urls")),
    path("events/", include("vev.council.urls")),
    path("", include("vev.planning.urls")),
    path("events/", include("vev.documents.urls")),
    path("", include("vev.venue.urls")),
    path("events/", include("vev.live.urls")),
    path("captions/", include("vev.live.ingest_urls")),
    path("events/", include("vev.decisions.urls")),
    path("events/", include("vev.records.urls")),
    path("events/", include("vev.support.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "vev.core.views.bad_request"
handler403 = "vev.core.views.permission_denied"
handler404 = "vev.core.views.page_not_found"
handler500 = "vev.core.views.server_error"
