from django.urls import path

from .views import manage, privacy, robots, schedule, side_meetings, venue

app_name = "venue"

E = "events/<slug:event>/"
V = f"{E}venue/"

urlpatterns = [
    path("schedule/", schedule.ScheduleView.as_view(), name="schedule"),
    path(f"{E}meetings/<slug:meeting>/join/", schedule.JoinView.as_view(), name="join"),
    path(
        f"{E}meetings/<slug:meeting>/join-links/",
        manage.JoinLinksView.as_view(),
        name="join_links",
    ),
    path(V, venue.VenueHomeView.as_view(), name="home"),
    # privacy and people
    path(f"{V}privacy/", privacy.PrivacyView.as_view(), name="privacy"),
    path(f"{V}privacy/export/", privacy.ExportView.as_view(), name="export"),
    path(f"{V}privacy/erase/", privacy.DeleteDataView.as_view(), name="delete_data"),
    path(f"{V}people/", privacy.PeopleView.as_view(), name="people"),
    path(f"{V}people/<int:user>/block/", privacy.BlockView.as_view(), name="block"),
    path(f"{V}people/<int:user>/unblock/", privacy.UnblockView.as_view(), name="unblock"),
    path(f"{V}people/<int:user>/report/", privacy.ReportView.as_view(), name="report"),
    path(f"{V}reports/", privacy.ReportsView.as_view(), name="reports"),
    path(f"{V}reports/<int:pk>/handle/", privacy.HandleReportView.as_view(), name="report_handle"),
    # side meetings
    path(f"{V}side-meetings/", side_meetings.SideMeetingsView.as_view(), name="side_meetings"),
    path(f"{V}side-meetings/new/", side_meetings.BookView.as_view(), name="side_meeting_new"),
    path(
        f"{V}side-meetings/<int:pk>/", side_meetings.SideMeetingView.as_view(), name="side_meeting"
    ),
    path(
        f"{V}side-meetings/<int:pk>/answer/",
        side_meetings.RespondView.as_view(),
        name="side_meeting_respond",
    ),
    path(
        f"{V}side-meetings/<int:pk>/cancel/",
        side_meetings.CancelView.as_view(),
        name="side_meeting_cancel",
    ),
    path(
        f"{V}side-meetings/<int:pk>/invite.ics",
        side_meetings.InviteIcsView.as_view(),
        name="side_meeting_ics",
    ),
    path(
        f"{V}side-meetings/<int:pk>/call/",
        side_meetings.CallView.as_view(),
        name="side_meeting_call",
    ),
    # robots
    path(f"{V}robots/", robots.RobotsView.as_view(), name="robots"),
    path(f"{V}robots/<int:pk>/", robots.RobotView.as_view(), name="robot"),
    path(f"{V}robots/<int:pk>/book/", robots.BookRobotView.as_view(), name="robot_book"),
    path(
        f"{V}robots/<int:pk>/bookings/<int:booking>/<slug:action>/",
        robots.BookingActionView.as_view(),
        name="robot_booking_act",
    ),
    path(f"{V}robots/<int:pk>/queue/", robots.QueueView.as_view(), name="robot_queue"),
    path(f"{V}robots/<int:pk>/control/", robots.ControlView.as_view(), name="robot_control"),
    # exhibits and files
    path(f"{V}exhibits/<int:pk>/", venue.ExhibitView.as_view(), name="exhibit"),
    path(f"{V}files/<slug:kind>/<int:pk>/", venue.FileView.as_view(), name="file"),
    # the secretariat
    path(f"{V}manage/", manage.ManageView.as_view(), name="manage"),
    path(f"{V}manage/<slug:kind>/new/", manage.EditView.as_view(), name="manage_new"),
    path(f"{V}manage/<slug:kind>/<int:pk>/", manage.EditView.as_view(), name="manage_edit"),
    path(
        f"{V}manage/<slug:kind>/<int:pk>/delete/",
        manage.DeleteView.as_view(),
        name="manage_delete",
    ),
    path(f"{V}counts/", manage.AnalyticsView.as_view(), name="analytics"),
    path(f"{V}counts.csv", manage.AnalyticsCsvView.as_view(), name="analytics_csv"),
    # spaces (last: their slug is free text)
    path(f"{V}<slug:space>/", venue.SpaceView.as_view(), name="space"),
    path(f"{V}<slug:space>/list/", venue.SpaceListView.as_view(), name="space_list"),
    path(f"{V}<slug:space>/360/", venue.PanoramaView.as_view(), name="space_360"),
]
