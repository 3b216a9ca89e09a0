from django.urls import path

from .views import contact

app_name = "support"

urlpatterns = [
    path("<slug:event>/support/contact/", contact.SupportContactView.as_view(), name="contact"),
]
