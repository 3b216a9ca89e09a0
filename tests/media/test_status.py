"""Without Janus vev still runs and says clearly why audio is unavailable."""

from __future__ import annotations

import io

from django.core.management import call_command

from vev.media import conf
from vev.media.status import MediaState, media_status


def test_not_installed(tmp_path):
    janus = conf.janus_settings(
        DIR=str(tmp_path), BINARY="/nonexistent/janus", PLUGINS_DIR="/nonexistent/plugins"
    )
    janus = conf.JanusSettings(**{**janus.__dict__, "binary": None})
    status = media_status(janus)
    assert status.state == MediaState.NOT_INSTALLED and not status.available
    assert "not installed" in status.message
    assert "apt-get install janus" in status.detail


def test_switched_off(tmp_path):
    status = media_status(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    assert status.state == MediaState.DISABLED
    assert status.to_wire() == {
        "state": "disabled",
        "available": False,
        "message": status.message,
    }


def test_installed_but_not_running(tmp_path):
    janus = conf.janus_settings(DIR=str(tmp_path), MODE="external")
    status = media_status(janus)
    assert status.state == MediaState.NOT_RUNNING
    assert "not running" in status.message


def test_vev_check_reports_the_media_state(db, tmp_path):
    conf.use(conf.janus_settings(DIR=str(tmp_path), MODE="off"))
    try:
        out = io.StringIO()
        call_command("vev_check", stdout=out)
    finally:
        conf.use(None)
    assert "media (Janus): disabled" in out.getvalue()


def test_vev_serve_starts_janus_only_when_managed_and_installed(tmp_path):
    from vev.media.supervision import managed_supervisor

    for mode, expected in [("off", False), ("external", False), ("auto", None)]:
        conf.use(conf.janus_settings(DIR=str(tmp_path), MODE=mode))
        try:
            supervisor = managed_supervisor()
            installed = conf.current().installed
        finally:
            conf.use(None)
        assert (supervisor is not None) == (installed if expected is None else expected)
