"""Every action the code logs has words on the audit page."""

import re
from pathlib import Path

from vev.records.services.audit_labels import action_label, has_label

SOURCE = Path(__file__).resolve().parents[2] / "vev"
#: Action names written in the code: whole ("vev.x.y.z") or the start of a composed one.
ACTION = re.compile(
    r'"(vev\.(?:council|planning|media|documents|decisions|records|chat|support)\.[a-z_]+\.[a-z_.]*)"'
)


def test_every_logged_action_has_a_label():
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "audit_labels.py":
            continue
        found |= set(ACTION.findall(path.read_text()))
    assert len(found) > 40  # the pattern still finds the names
    missing = sorted(name for name in found if not has_label(name.rstrip(".")))
    assert not missing, f"actions without a label in records/services/audit_labels.py: {missing}"


def test_labels_fall_back_to_prefixes_and_to_the_dotted_name():
    assert action_label("vev.documents.consultation.replied") == "Consultation reply"
    assert action_label("vev.documents.request.escalated") == "Request on a document: escalated"
    assert action_label("vev.live.floor.given") == "vev.live.floor.given"
