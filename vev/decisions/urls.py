from django.urls import path

from .views import conclusions, exports, procedures, replies

app_name = "decisions"

E = "<slug:event>/written-procedures/"
P = E + "<int:number>/"

urlpatterns = [
    path("<slug:event>/conclusions/", conclusions.ConclusionsView.as_view(), name="conclusions"),
    path(E, procedures.ProcedureListView.as_view(), name="list"),
    path(E + "new/", procedures.ProcedureCreateView.as_view(), name="create"),
    path(P, procedures.ProcedureDetailView.as_view(), name="detail"),
    path(P + "edit/", procedures.ProcedureEditView.as_view(), name="edit"),
    path(P + "reply/", replies.ReplyView.as_view(), name="reply"),
    path(P + "withdraw/", procedures.WithdrawView.as_view(), name="withdraw"),
    path(P + "extend/", procedures.ExtendView.as_view(), name="extend"),
    path(
        P + "attachments/<int:attachment>/",
        procedures.AttachmentView.as_view(),
        name="attachment",
    ),
    path(P + "result.<str:format>", exports.ResultExportView.as_view(), name="export"),
]
