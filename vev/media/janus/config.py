"""Write Janus's configuration files (libconfig ``.jcfg``) from :class:`JanusSettings`.

The written instance has no TCP listener at all: the Janus API and the Admin API are
WebSockets on two Unix sockets in a 0700 directory of the data dir, so vev is their only client.
Only the three plugins vev uses are loaded (AudioBridge, Streaming, VideoRoom); each requires
the generated ``admin_key`` to create rooms and (``lock_rtp_forward``) to forward RTP.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..conf import JanusSettings

PLUGINS = ("audiobridge", "streaming", "videoroom")
TRANSPORTS = ("websockets",)
#: Janus refuses to write recordings below these; Debian's default list also has /var, which
#: would forbid recordings in /var/lib/vev.
PROTECTED_FOLDERS = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc",
                     "/sbin", "/sys", "/usr"]  # fmt: skip


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value))  # libconfig strings use the same escapes as JSON


def render(sections: Mapping[str, Mapping[str, object]]) -> str:
    """Render ``{section: {key: value}}`` as a libconfig document."""
    lines = ["# Written by vev (vev/media/janus/config.py); edits are overwritten.", ""]
    for name, items in sections.items():
        lines.append(f"{name}: {{")
        lines.extend(f"\t{key} = {_value(value)}" for key, value in items.items())
        lines.append("}")
    return "\n".join(lines) + "\n"


def _disabled(folder: Path, keep: tuple[str, ...]) -> str:
    wanted = {f"libjanus_{name}.so" for name in keep}
    found = sorted(p.name for p in folder.glob("libjanus_*.so")) if folder.is_dir() else []
    return ",".join(name for name in found if name not in wanted)


def files(janus: JanusSettings) -> dict[str, str]:
    """File name → content of every configuration file of the instance."""
    lib = janus.plugins_dir.parent
    general: dict[str, object] = {
        "configs_folder": str(janus.config_dir),
        "plugins_folder": str(janus.plugins_dir),
        "transports_folder": str(janus.transports_dir),
        "events_folder": str(lib / "events"),
        "loggers_folder": str(lib / "loggers"),
        "debug_level": janus.debug_level,
        "server_name": "vev",
        "api_secret": janus.secrets.api_secret,
        "admin_secret": janus.secrets.admin_secret,
        "session_timeout": 60,
        "event_loops": janus.event_loops,
        "hide_dependencies": True,
        "protected_folders": PROTECTED_FOLDERS,
    }
    nat: dict[str, object] = {"nice_debug": False, "full_trickle": False}
    if janus.ice_interfaces:
        nat["ice_enforce_list"] = janus.ice_interfaces
    if janus.nat_1_1:
        nat["nat_1_1_mapping"] = janus.nat_1_1
    if janus.stun:
        host, _, port = janus.stun.partition(":")
        nat["stun_server"] = host
        nat["stun_port"] = int(port or 3478)
    low, high = janus.rtp_ports
    main = {
        "general": general,
        "certificates": {},
        "media": {"rtp_port_range": f"{low}-{high}"},
        "nat": nat,
        "plugins": {"disable": _disabled(janus.plugins_dir, PLUGINS)},
        "transports": {"disable": _disabled(janus.transports_dir, TRANSPORTS)},
        "loggers": {"disable": _disabled(lib / "loggers", ())},
        "events": {"broadcast": False},
    }
    key = janus.secrets.admin_key
    stream_low, stream_high = janus.stream_ports
    return {
        "janus.jcfg": render(main),
        "janus.transport.websockets.jcfg": render(
            {
                "general": {
                    "json": "compact",
                    "ws": True,
                    "ws_unix": str(janus.api_socket),
                    "wss": False,
                },
                "admin": {
                    "admin_ws": True,
                    "admin_ws_unix": str(janus.admin_socket),
                    "admin_wss": False,
                },
            }
        ),
        "janus.plugin.audiobridge.jcfg": render(
            {
                "general": {
                    "admin_key": key,
                    "lock_rtp_forward": True,
                    "lock_play_file": True,
                    "record_tmp_ext": "part",
                    "events": False,
                }
            }
        ),
        "janus.plugin.streaming.jcfg": render(
            {
                "general": {
                    "admin_key": key,
                    "rtp_port_range": f"{stream_low}-{stream_high}",
                    "events": False,
                }
            }
        ),
        "janus.plugin.videoroom.jcfg": render(
            {"general": {"admin_key": key, "lock_rtp_forward": True, "events": False}}
        ),
    }


def write(janus: JanusSettings) -> Path:
    """Write the configuration; returns the path of ``janus.jcfg``. Creates the directories."""
    janus.config_dir.mkdir(parents=True, exist_ok=True)
    janus.config_dir.chmod(0o700)  # holds the secrets
    janus.run_dir.mkdir(parents=True, exist_ok=True)
    janus.run_dir.chmod(0o700)
    janus.recordings_dir.mkdir(parents=True, exist_ok=True)
    for stale in janus.config_dir.glob("*.jcfg"):
        stale.unlink()
    for name, content in files(janus).items():
        path = janus.config_dir / name
        path.write_text(content)
        path.chmod(0o600)
    return janus.config_dir / "janus.jcfg"
