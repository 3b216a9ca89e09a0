"""Recording a meeting: the floor mix and every booth mix (.wav), video publishers (.mjr).

Started and stopped by the secretariat; never in a closed meeting. The live room shows the
indicator from :class:`~vev.media.services.types.RecordingChanged` (published to the room).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vev.core.audit import log_action
from vev.core.realtime import groups
from vev.core.realtime.publish import publish_on_commit
from vev.council.models import Meeting
from vev.council.permissions import Perm, has_perm

from .. import conf
from ..errors import MediaConflict, MediaDenied
from ..janus.interface import AUDIOBRIDGE, VIDEOROOM
from ..models import Recording
from .rooms import RoomIds, admin, ensure_media
from .types import FLOOR_MID, RecordingChanged


def _set_recording(ids: RoomIds, recording: Recording | None) -> None:
    janus = admin()
    on = recording is not None
    rooms = {FLOOR_MID: ids.floor, **ids.booths}
    for channel, room in rooms.items():
        request = {"request": "enable_recording", "room": room, "secret": ids.secret, "record": on}
        if recording is not None:
            request["record_dir"] = recording.directory
            request["record_file"] = recording.files[channel]
        janus.message_plugin(AUDIOBRIDGE, request)
    janus.message_plugin(
        VIDEOROOM,
        {"request": "enable_recording", "room": ids.video, "secret": ids.secret, "record": on},
    )


def running_recording(meeting: Meeting) -> Recording | None:
    return Recording.objects.filter(meeting=meeting, stopped_at__isnull=True).first()


@transaction.atomic
def start_recording(meeting: Meeting, *, by) -> Recording:
    if not has_perm(by, Perm.MEDIA_RECORD, meeting.event):
        raise MediaDenied(_("Only the secretariat starts and stops the recording."))
    if meeting.is_closed:
        raise MediaConflict(_("Closed meetings are never recorded."))
    if Recording.objects.select_for_update().filter(meeting=meeting, stopped_at__isnull=True):
        raise MediaConflict(_("This meeting is already being recorded."))
    ids = ensure_media(meeting)
    now = timezone.now()
    directory = conf.current().recordings_dir / f"meeting-{meeting.pk}" / f"{now:%Y%m%dT%H%M%SZ}"
    directory.mkdir(parents=True, exist_ok=True)
    files = {channel: f"{channel}.wav" for channel in (FLOOR_MID, *ids.languages)}
    recording = Recording.objects.create(
        meeting=meeting, started_at=now, started_by=by, directory=str(directory), files=files
    )
    _set_recording(ids, recording)
    log_action(
        "vev.media.recording.started",
        actor=by,
        event=meeting.event,
        target=recording,
        data={"meeting": meeting.code, "channels": sorted(files)},
    )
    publish_on_commit(
        groups.meeting(meeting.pk), RecordingChanged(meeting=meeting.pk, recording=True)
    )
    return recording


@transaction.atomic
def stop_recording(meeting: Meeting, *, by) -> Recording:
    if not has_perm(by, Perm.MEDIA_RECORD, meeting.event):
        raise MediaDenied(_("Only the secretariat starts and stops the recording."))
    recording = (
        Recording.objects.select_for_update()
        .filter(meeting=meeting, stopped_at__isnull=True)
        .first()
    )
    if recording is None:
        raise MediaConflict(_("This meeting is not being recorded."))
    _finish(meeting, recording, by)
    return recording


def _finish(meeting: Meeting, recording: Recording, by) -> None:
    ids = ensure_media(meeting)
    _set_recording(ids, None)
    recording.stopped_at = timezone.now()
    recording.stopped_by = by
    recording.save(update_fields=["stopped_at", "stopped_by", "updated_at"])
    log_action(
        "vev.media.recording.stopped",
        actor=by,
        event=meeting.event,
        target=recording,
        data={"meeting": meeting.code},
    )
    publish_on_commit(
        groups.meeting(meeting.pk), RecordingChanged(meeting=meeting.pk, recording=False)
    )


@transaction.atomic
def stop_running_recording(meeting: Meeting) -> None:
    """When the meeting's rooms are destroyed (meeting ended): close its recording if any."""
    recording = (
        Recording.objects.select_for_update()
        .filter(meeting=meeting, stopped_at__isnull=True)
        .first()
    )
    if recording is not None:
        _finish(meeting, recording, None)
