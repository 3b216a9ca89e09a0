"""Services of the media layer. The live room calls these, never ``vev.media.janus``.

* ``rooms`` — lifecycle of a meeting's Janus rooms (ensure / destroy / restore).
* ``moderation`` — mute all, unmute all, mute one, unmute one, kick, apply a floor policy.
* ``interpretation`` — booth state, booth microphone, handover without a gap.
* ``recording`` — start / stop recording a meeting (floor, booths, video).
* ``signalling`` — :class:`MediaSession`: one participant's WebRTC signalling, checked against
  their role and the live room's :class:`~vev.media.services.types.FloorPolicy`.
* ``access`` — what a user may do with a meeting's media.
* ``types`` — the typed requests, replies, events and the floor policy.
"""
