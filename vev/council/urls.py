from django.urls import path

from .views import delegates, public, registrations, staff

app_name = "council"

urlpatterns = [
    path("<slug:event>/", public.EventDetailView.as_view(), name="event_detail"),
    path("<slug:event>/register/", registrations.RegisterView.as_view(), name="register"),
    path(
        "<slug:event>/register/withdraw/",
        registrations.WithdrawRegistrationView.as_view(),
        name="registration_withdraw",
    ),
    path(
        "<slug:event>/registrations/",
        registrations.RegistrationReviewView.as_view(),
        name="registration_review",
    ),
    path(
        "<slug:event>/registrations/<int:pk>/decide/",
        registrations.DecideRegistrationView.as_view(),
        name="registration_decide",
    ),
    path("<slug:event>/delegates/", delegates.DelegateAreaView.as_view(), name="delegate_area"),
    path("<slug:event>/participants/", delegates.ParticipantsView.as_view(), name="participants"),
    path("<slug:event>/staff/", staff.StaffView.as_view(), name="staff"),
    path(
        "<slug:event>/staff/<int:pk>/remove/", staff.RemoveStaffView.as_view(), name="staff_remove"
    ),
    path(
        "<slug:event>/meetings/<slug:meeting>/",
        public.MeetingDetailView.as_view(),
        name="meeting_detail",
    ),
]
