from vev.council.services.demo import load_demo
from vev.decisions.models import WrittenProcedure
from vev.notifications.models import Notification


def test_demo_has_an_open_written_procedure_left_for_france(db):
    demo = load_demo()
    procedure = WrittenProcedure.objects.get(event=demo.event)
    assert procedure.is_open and procedure.rule == "silence"
    assert procedure.instructed_by == demo.users["chair"]
    assert list(procedure.documents.values_list("symbol", flat=True)) == ["C20/37"]
    replied = set(procedure.replies.values_list("entity__iso_code", flat=True))
    assert replied == {"KE", "CA", "JP"}
    assert "demonstrat" in procedure.text  # not presented as a decision of 2020
    assert not Notification.objects.filter(kind="decisions.launched").exists()
    load_demo(reset=True)  # reloading replaces it
    assert WrittenProcedure.objects.count() == 1
