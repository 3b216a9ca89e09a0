"""Whether audio and video work on this installation, and if not, why (for the room page)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from . import conf
from .errors import MediaError
from .janus.client import AdminClient


class MediaState(StrEnum):
    AVAILABLE = "available"
    DISABLED = "disabled"  # VEV_JANUS=off
    NOT_INSTALLED = "not_installed"
    NOT_RUNNING = "not_running"


@dataclass(frozen=True)
class MediaStatus:
    state: MediaState
    message: str  # translated, for participants
    detail: str = ""  # for the secretariat and technicians (paths, versions)
    version: str = ""

    @property
    def available(self) -> bool:
        return self.state == MediaState.AVAILABLE

    def to_wire(self) -> dict:
        return {"state": str(self.state), "available": self.available, "message": self.message}


def media_status(janus: conf.JanusSettings | None = None) -> MediaStatus:
    """Check the installation and ask Janus (one Admin API round trip when it is installed)."""
    janus = janus or conf.current()
    if janus.mode == "off":
        return MediaStatus(
            MediaState.DISABLED,
            _("Audio and video are switched off on this server: follow the meeting here."),
            "VEV_JANUS=off",
        )
    if janus.mode != "external" and not janus.installed:
        return MediaStatus(
            MediaState.NOT_INSTALLED,
            _(
                "Audio and video are unavailable: the media server (Janus) is not installed "
                "on this server."
            ),
            _("Install Debian's janus package (apt-get install janus), then restart vev.")
            + f" ({janus.binary or 'janus: not on PATH'}, {janus.plugins_dir})",
        )
    client = AdminClient(janus.admin_socket, janus.secrets.admin_secret, timeout=2)
    try:
        info = client.server_info()
    except MediaError as error:
        return MediaStatus(
            MediaState.NOT_RUNNING,
            _("Audio and video are unavailable: the media server is not running."),
            _("Start it with “vev media” or “vev serve”.") + f" ({error.detail})",
        )
    finally:
        client.close()
    return MediaStatus(
        MediaState.AVAILABLE,
        _("Audio and video are available."),
        str(janus.admin_socket),
        str(info.get("version_string", "")),
    )
