from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import create_user
from vev.core.audit import compute_hash, log_action, verify_chain
from vev.core.models import AuditEntry
from vev.council.services.demo import load_demo


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


def test_deleting_the_actor_keeps_the_chain_intact(db):
    user = create_user("leaving@example.org", full_name="Leaving Delegate")
    log_action("vev.test.before")
    entry = log_action("vev.test.act", actor=user, data={"n": 1})
    log_action("vev.test.after")
    user_id = user.pk
    user.delete()

    assert verify_chain() == []
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor_id == user_id and kept.actor_label == "Leaving Delegate"
    # still tamper-evident: changing who acted breaks the entry's hash
    AuditEntry.objects.filter(pk=entry.pk).update(actor_id=user_id + 1)
    assert [(p.position, p.kind) for p in verify_chain()] == [(kept.position, "hash")]


def test_resetting_the_demo_keeps_the_chain_intact(db):
    first = load_demo()
    demo_actors = {user.pk for user in first.users.values()}
    acted = AuditEntry.objects.filter(actor_id__in=demo_actors)
    assert acted.exists()
    load_demo(reset=True)  # deletes the demo users who acted above

    assert acted.exists()  # their entries keep who acted
    assert verify_chain() == []
    call_command("audit_verify")
    AuditEntry.objects.filter(pk=acted.first().pk).update(actor_label="Someone else")
    assert verify_chain()


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_a_plain_actor_id_keeps_entries_and_hashes():
    """core.0002 drops the foreign key but keeps the column: entries written before it still
    verify, and deleting their actor afterwards changes nothing."""
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0001_initial")])
    old_apps = executor.loader.project_state([("core", "0001_initial")]).apps
    OldUser = old_apps.get_model("accounts", "User")
    OldEntry = old_apps.get_model("core", "AuditEntry")
    OldHead = old_apps.get_model("core", "AuditChainHead")
    user = OldUser.objects.create(email="old@example.org", full_name="Old Actor")
    entry = AuditEntry(
        position=1,
        at=timezone.now(),
        action="vev.test.old",
        actor_id=user.pk,
        actor_label="Old Actor",
        data={"n": 1},
        prev_hash="0" * 64,
    )
    entry_hash = compute_hash(entry)
    OldEntry.objects.create(
        position=1,
        at=entry.at,
        action=entry.action,
        actor_id=user.pk,
        actor_label="Old Actor",
        data={"n": 1},
        prev_hash="0" * 64,
        entry_hash=entry_hash,
    )
    OldHead.objects.create(pk=1, count=1, last_hash=entry_hash)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert AuditEntry.objects.get(position=1).actor_id == user.pk
    assert verify_chain() == []
    get_user_model().objects.filter(pk=user.pk).delete()
    assert verify_chain() == []
    assert AuditEntry.objects.get(position=1).actor_id == user.pk
