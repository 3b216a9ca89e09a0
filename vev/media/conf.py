"""Where Janus lives for this vev installation: paths, ports and secrets.

Everything comes from ``settings.VEV_JANUS`` (read from the environment in ``vev/settings.py``).
Secrets are generated once into the Janus directory inside the data directory (mode 0600),
like Django's secret key, and never appear in the repository.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings

DEBIAN_LIB_DIR = Path("/usr/lib/x86_64-linux-gnu/janus")
LANGUAGE_MIDS = ("ar", "zh", "en", "fr", "ru", "es")


def _port_range(value: str) -> tuple[int, int]:
    low, _, high = value.partition("-")
    first, last = int(low), int(high or low)
    if not 1024 <= first < last <= 65535:
        raise ValueError(f"invalid port range {value!r}")
    return first, last


@dataclass(frozen=True)
class JanusSecrets:
    api_secret: str
    admin_secret: str
    admin_key: str  # plugin admin_key: needed to create rooms and (lock_rtp_forward) to forward

    @classmethod
    def load_or_create(cls, directory: Path) -> JanusSecrets:
        """Read the secrets from ``directory/secrets.json``; generate them the first time."""
        path = directory / "secrets.json"
        env = {
            "api_secret": os.environ.get("VEV_JANUS_API_SECRET"),
            "admin_secret": os.environ.get("VEV_JANUS_ADMIN_SECRET"),
            "admin_key": os.environ.get("VEV_JANUS_ADMIN_KEY"),
        }
        stored: dict[str, str] = {}
        if path.exists():
            stored = json.loads(path.read_text())
        missing = [k for k in env if not env[k] and not stored.get(k)]
        if missing:
            directory.mkdir(parents=True, exist_ok=True)
            for key in missing:
                stored[key] = secrets.token_urlsafe(32)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(stored, indent=1))
            tmp.chmod(0o600)
            tmp.replace(path)
        return cls(**{k: env[k] or stored[k] for k in env})


@dataclass(frozen=True)
class JanusSettings:
    """Resolved configuration of the Janus instance vev writes, starts and talks to."""

    mode: str
    binary: str | None
    plugins_dir: Path
    transports_dir: Path
    directory: Path
    rtp_ports: tuple[int, int]
    stream_ports: tuple[int, int]
    event_loops: int
    nat_1_1: str
    stun: str
    ice_interfaces: str
    debug_level: int
    max_video_publishers: int
    secrets: JanusSecrets = field(repr=False)

    @property
    def config_dir(self) -> Path:
        return self.directory / "conf"

    @property
    def run_dir(self) -> Path:
        """Holds the Unix sockets; mode 0700 so only vev's user can reach Janus."""
        return self.directory / "run"

    @property
    def api_socket(self) -> Path:
        return self.run_dir / "api.sock"

    @property
    def admin_socket(self) -> Path:
        return self.run_dir / "admin.sock"

    @property
    def recordings_dir(self) -> Path:
        return self.directory / "recordings"

    @property
    def log_file(self) -> Path:
        return self.directory / "janus.log"

    @property
    def installed(self) -> bool:
        return bool(self.binary) and (self.plugins_dir / "libjanus_audiobridge.so").exists()

    def with_directory(self, directory: Path) -> JanusSettings:
        """The same settings for another instance directory (tests, benchmarks)."""
        return replace(self, directory=directory, secrets=JanusSecrets.load_or_create(directory))


def janus_settings(**overrides) -> JanusSettings:
    raw = {**settings.VEV_JANUS, **{k.upper(): v for k, v in overrides.items()}}
    binary = raw.get("BINARY") or shutil.which("janus")
    lib_dir = Path(raw["PLUGINS_DIR"]).parent if raw.get("PLUGINS_DIR") else DEBIAN_LIB_DIR
    plugins_dir = Path(raw["PLUGINS_DIR"]) if raw.get("PLUGINS_DIR") else lib_dir / "plugins"
    directory = Path(raw["DIR"]).resolve()
    return JanusSettings(
        mode=raw.get("MODE", "auto"),
        binary=binary,
        plugins_dir=plugins_dir,
        transports_dir=lib_dir / "transports",
        directory=directory,
        rtp_ports=_port_range(raw["RTP_PORTS"]),
        stream_ports=_port_range(raw["STREAM_PORTS"]),
        event_loops=int(raw.get("EVENT_LOOPS") or os.cpu_count() or 1),
        nat_1_1=raw.get("NAT_1_1", ""),
        stun=raw.get("STUN", ""),
        ice_interfaces=raw.get("ICE_INTERFACES", ""),
        debug_level=int(raw.get("DEBUG_LEVEL", 4)),
        max_video_publishers=int(raw.get("MAX_VIDEO_PUBLISHERS", 4)),
        secrets=JanusSecrets.load_or_create(directory),
    )


_current: JanusSettings | None = None


def current() -> JanusSettings:
    """The settings of the Janus instance this process talks to (cached)."""
    global _current
    if _current is None:
        _current = janus_settings()
    return _current


def use(janus: JanusSettings | None) -> None:
    """Point this process at another Janus instance (tests and benchmarks); None resets."""
    global _current
    _current = janus
