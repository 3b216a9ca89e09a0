from django.urls import path

from .views import audit, report, summary

app_name = "records"

E = "<slug:event>/"
R = E + "meetings/<slug:meeting>/record/"

urlpatterns = [
    path(E + "audit/", audit.AuditLogView.as_view(), name="audit"),
    path(E + "audit/export.<str:format>", audit.AuditExportView.as_view(), name="audit_export"),
    path(R, summary.SummaryRecordView.as_view(), name="summary"),
    path(R + "edit/", summary.SummaryEditView.as_view(), name="summary_edit"),
    path(R + "publish/", summary.SummaryPublishView.as_view(), name="summary_publish"),
    path(R + "versions/", summary.SummaryVersionsView.as_view(), name="summary_versions"),
    path(
        E + "conclusions/report.<str:format>",
        report.ConclusionsReportView.as_view(),
        name="report",
    ),
]
