from django.urls import path

from .views import consultation, deadlines, manage, public, submissions

app_name = "documents"

E = "<slug:event>/"
D = E + "documents/<int:document>/"

urlpatterns = [
    # the Council website: documents by agenda item and group, packages
    path(E + "documents/", public.DocumentListView.as_view(), name="list"),
    path(E + "documents/packages/", public.PackagesView.as_view(), name="packages"),
    path(D, public.DocumentDetailView.as_view(), name="detail"),
    path(D + "files/<int:file>/", public.DocumentFileView.as_view(), name="file"),
    # secretariat
    path(E + "documents/manage/", manage.ManageDocumentsView.as_view(), name="manage"),
    path(D + "edit/", manage.EditDocumentView.as_view(), name="edit"),
    path(D + "revisions/", manage.AddRevisionView.as_view(), name="revision_add"),
    path(D + "publish/", manage.PublishView.as_view(), name="publish"),
    path(D + "group/", manage.SetGroupView.as_view(), name="set_group"),
    path(D + "withdraw/", manage.WithdrawDocumentView.as_view(), name="withdraw"),
    # deadlines
    path(E + "deadlines/", deadlines.DeadlinesView.as_view(), name="deadlines"),
    path(E + "deadlines/set/", deadlines.SetDeadlineView.as_view(), name="deadline_set"),
    path(E + "deadlines/extend/", deadlines.GrantExtensionView.as_view(), name="extension_grant"),
    # consultation
    path(E + "consultation/", consultation.ConsultationView.as_view(), name="consultation"),
    path(E + "consultation/matrix/", consultation.MatrixView.as_view(), name="matrix"),
    path(
        E + "consultation/matrix.<str:format>",
        consultation.MatrixExportView.as_view(),
        name="matrix_export",
    ),
    # clarifications
    path(
        D + "clarifications/",
        submissions.AskClarificationView.as_view(),
        name="clarification_ask",
    ),
    path(E + "clarifications/", submissions.ClarificationListView.as_view(), name="clarifications"),
    path(
        E + "clarifications/<int:pk>/answer/",
        submissions.AnswerClarificationView.as_view(),
        name="clarification_answer",
    ),
    # comments for the summary record
    path(D + "comment/", submissions.CommentView.as_view(), name="comment"),
    path(D + "comment/draft/", submissions.CommentDraftView.as_view(), name="comment_draft"),
    path(E + "summary-record/", submissions.SummaryRecordView.as_view(), name="summary_record"),
    # contributions
    path(D + "contribute/", submissions.ContributionView.as_view(), name="contribute"),
    path(
        D + "contributions/<int:contribution>/",
        public.ContributionFileView.as_view(),
        name="contribution_file",
    ),
    path(
        E + "contribution-template.docx",
        submissions.ContributionTemplateView.as_view(),
        name="contribution_template",
    ),
    # requests
    path(D + "requests/", submissions.MakeRequestView.as_view(), name="request_make"),
    path(E + "requests/", submissions.RequestListView.as_view(), name="requests"),
    path(
        E + "requests/<int:pk>/decide/",
        submissions.DecideRequestView.as_view(),
        name="request_decide",
    ),
    path(
        E + "requests/<int:pk>/withdraw/",
        submissions.WithdrawRequestView.as_view(),
        name="request_withdraw",
    ),
]
