"""`.venv/bin/vev audit-verify`, the installed command, on a database of its own."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

VEV = Path(sys.executable).with_name("vev")


@pytest.mark.skipif(not VEV.exists(), reason="the vev command is not installed in this venv")
def test_vev_audit_verify_exits_non_zero_on_tampering(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(VEV_DATA_DIR=str(tmp_path), VEV_TESTING="0", PYTHONDONTWRITEBYTECODE="1")

    def vev(*args):
        return subprocess.run(
            [str(VEV), *args], env=env, capture_output=True, text=True, timeout=240, check=False
        )

    assert vev("setup").returncode == 0
    script = (
        "from vev.core.audit import log_action\n"
        "for n in range(4): log_action('vev.test.act', data={'n': n})\n"
    )
    assert vev("manage", "shell", "-c", script).returncode == 0
    intact = vev("audit-verify")
    assert intact.returncode == 0 and "intact (4 entries)" in intact.stdout
    with sqlite3.connect(tmp_path / "vev.sqlite3") as db:
        db.execute("UPDATE core_auditentry SET action = 'vev.test.other' WHERE position = 2")
    broken = vev("audit-verify")
    assert broken.returncode == 1
    assert "entry #2: content does not match its hash" in broken.stderr
    assert "NOT intact" in broken.stderr and "Traceback" not in broken.stderr
