from django.urls import path

from .views import calendar, fairness, manage, plan, running_order

app_name = "planning"

E = "events/<slug:event>/"

urlpatterns = [
    path(f"{E}plan/", plan.PlanView.as_view(), name="plan"),
    path(f"{E}plan.pdf", plan.PlanPdfView.as_view(), name="plan_pdf"),
    path(f"{E}plan.ics", plan.EventCalendarView.as_view(), name="event_calendar"),
    path(f"{E}plan/history/", plan.HistoryView.as_view(), name="history"),
    path(f"{E}plan/manage/", manage.ManageView.as_view(), name="manage"),
    path(f"{E}plan/compute/", manage.ComputeView.as_view(), name="compute"),
    path(f"{E}plan/settings/", manage.SettingsView.as_view(), name="settings"),
    path(f"{E}plan/versions/<int:number>/", manage.VersionView.as_view(), name="version"),
    path(
        f"{E}plan/versions/<int:number>/publish/",
        manage.PublishView.as_view(),
        name="publish",
    ),
    path(
        f"{E}plan/versions/<int:number>/approve/",
        manage.ApproveView.as_view(),
        name="approve",
    ),
    path(f"{E}plan/items/new/", manage.ItemFormView.as_view(), name="item_add"),
    path(f"{E}plan/items/<int:pk>/", manage.ItemFormView.as_view(), name="item_edit"),
    path(f"{E}plan/fairness/", fairness.FairnessView.as_view(), name="fairness"),
    path(
        f"{E}meetings/<slug:meeting>/running-order/",
        running_order.RunningOrderView.as_view(),
        name="running_order",
    ),
    path(
        f"{E}meetings/<slug:meeting>/running-order/<int:pk>/move/",
        running_order.MoveView.as_view(),
        name="running_order_move",
    ),
    path("calendar/", calendar.CalendarSettingsView.as_view(), name="calendar_settings"),
    path("calendar/reset/", calendar.CalendarResetView.as_view(), name="calendar_reset"),
    path("calendar/<str:token>/all.ics", calendar.UserCalendarView.as_view(), name="user_calendar"),
    path(
        "calendar/<str:token>/<slug:event>.ics",
        calendar.UserEventCalendarView.as_view(),
        name="user_event_calendar",
    ),
]
