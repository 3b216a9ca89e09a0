from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vev.core.audit import log_action, verify_chain
from vev.core.models import AuditEntry


@pytest.fixture
def chain(db):
    for index in range(5):
        log_action("vev.test.act", data={"n": index})
    return list(AuditEntry.objects.order_by("position"))


def test_entries_are_chained(chain):
    assert [e.position for e in chain] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.entry_hash for a, b in pairwise(chain))
    assert verify_chain() == []
    call_command("audit_verify")


def test_changed_content_is_detected(chain):
    AuditEntry.objects.filter(position=3).update(data={"n": 99})
    problems = verify_chain()
    assert [p.position for p in problems] == [3]
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit_verify")


def test_deleted_entry_is_detected(chain):
    AuditEntry.objects.filter(position=3).delete()  # bypasses the model's guard, as an attacker
    positions = {p.position for p in verify_chain()}
    assert 4 in positions


def test_truncated_log_is_detected(chain):
    AuditEntry.objects.filter(position=5).delete()
    assert verify_chain()


def test_entries_cannot_be_changed_through_the_model(chain):
    entry = chain[0]
    entry.action = "other"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
