from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "VEV_SUPPORT_CONTACT": settings.VEV_SUPPORT_CONTACT,
        "VEV_DEMO_MODE": settings.DEMO_MODE,
    }
