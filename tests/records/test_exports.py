"""Exports of the audit log: every field and hash, re-verifiable offline."""

import csv
import hashlib
import io
import itertools
import json

from django.urls import reverse

from tests.records.conftest import tamper


def export(client, user, event, fmt, **params):
    client.force_login(user)
    response = client.get(
        reverse("records:audit_export", kwargs={"event": event.slug, "format": fmt}), params
    )
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


def offline_verify(line: dict) -> bool:
    """The check of docs/subsystems/audit-log.md (“Canonical form”), written independently."""
    payload = {key: value for key, value in line.items() if key != "hash"}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest() == line["hash"]


def test_json_lines_carry_every_field_and_verify_offline(client, event, users, acts):
    body = export(client, users["secretariat"], event, "jsonl")
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["position"] for line in lines] == [2, 3, 4, 5, 6]  # this event, oldest first
    assert set(lines[0]) == {
        "position",
        "at",
        "action",
        "actor",
        "actor_label",
        "event",
        "target_type",
        "target_id",
        "data",
        "session",
        "ip",
        "prev",
        "hash",
    }
    assert lines[1]["data"]["entity"] == "Côte d'Ivoire"  # readable, not escaped
    assert all(offline_verify(line) for line in lines)
    # Consecutive entries link up: each one's prev is the hash of the one before.
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(lines))


def test_a_tampered_entry_fails_the_offline_check(client, event, users, acts):
    tamper("UPDATE core_auditentry SET actor_label = %s WHERE position = %s", ["Someone", 2])
    lines = [
        json.loads(line)
        for line in export(client, users["secretariat"], event, "jsonl").splitlines()
    ]
    assert [offline_verify(line) for line in lines] == [False, True, True, True, True]


def test_csv_has_hashes_readable_columns_and_follows_the_filters(client, event, users, acts):
    body = export(client, users["secretariat"], event, "csv", action="vev.decisions.")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["position"] for row in rows] == ["4", "5"]
    reply = rows[1]
    assert reply["action_label"] == "Written procedure reply"
    assert reply["actor_entity"] == "Kenya"
    assert json.loads(reply["data"])["statement"] == "Kenya objects."
    assert len(reply["hash"]) == 64 and len(reply["prev"]) == 64
    assert reply["at"].endswith("+00:00") and reply["at_event_zone"][-6:] in ("+01:00", "+02:00")
    assert rows[0]["actor"] == "" and rows[0]["actor_label"] == ""  # the system closed it
