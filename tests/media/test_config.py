"""Janus's configuration as vev writes it, and its secrets."""

from __future__ import annotations

import stat

from vev.media import conf
from vev.media.janus import config


def _settings(tmp_path, **overrides):
    return conf.janus_settings(DIR=str(tmp_path / "janus"), **overrides)


def test_secrets_are_generated_once_into_the_data_dir_and_kept_private(tmp_path):
    first = _settings(tmp_path).secrets
    again = _settings(tmp_path).secrets
    assert first == again
    assert len({first.api_secret, first.admin_secret, first.admin_key}) == 3
    path = tmp_path / "janus" / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_secret_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("VEV_JANUS_API_SECRET", "from-the-environment")
    assert _settings(tmp_path).secrets.api_secret == "from-the-environment"


def test_written_configuration_has_no_tcp_listener_and_locks_the_plugins(tmp_path):
    janus = _settings(tmp_path, RTP_PORTS="17200-17799", STREAM_PORTS="17800-17899")
    main = config.write(janus)
    text = main.read_text()
    assert f'api_secret = "{janus.secrets.api_secret}"' in text
    assert f'admin_secret = "{janus.secrets.admin_secret}"' in text
    assert 'rtp_port_range = "17200-17799"' in text
    assert "libjanus_http.so" in text  # disabled: no HTTP port
    assert "libjanus_audiobridge.so" not in text.split("plugins:")[1].split("}")[0]
    ws = (janus.config_dir / "janus.transport.websockets.jcfg").read_text()
    assert f'ws_unix = "{janus.api_socket}"' in ws
    assert f'admin_ws_unix = "{janus.admin_socket}"' in ws
    assert "ws_port" not in ws
    for plugin in ("audiobridge", "streaming", "videoroom"):
        text = (janus.config_dir / f"janus.plugin.{plugin}.jcfg").read_text()
        assert f'admin_key = "{janus.secrets.admin_key}"' in text
    assert (
        "lock_rtp_forward = true"
        in (janus.config_dir / "janus.plugin.audiobridge.jcfg").read_text()
    )
    streaming = (janus.config_dir / "janus.plugin.streaming.jcfg").read_text()
    assert 'rtp_port_range = "17800-17899"' in streaming
    assert stat.S_IMODE(janus.config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(janus.run_dir.stat().st_mode) == 0o700


def test_public_address_and_stun_reach_the_nat_section(tmp_path):
    janus = _settings(tmp_path, NAT_1_1="203.0.113.7", STUN="stun.example.org:3479")
    text = config.files(janus)["janus.jcfg"]
    assert 'nat_1_1_mapping = "203.0.113.7"' in text
    assert 'stun_server = "stun.example.org"' in text and "stun_port = 3479" in text


def test_strings_are_escaped():
    assert config.render({"general": {"name": 'a "quoted" \\ value'}}).count('\\"') == 2
