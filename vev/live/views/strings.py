"""Every text the room's JavaScript shows, translated on the server (one JSON per page).

Keys are the modules' names for their texts; placeholders are ``%(name)s`` and are filled in the
browser. Feature modules add their texts to ``ROOM_STRINGS``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ROOM_STRINGS: dict[str, object] = {
    # connection (room.js)
    "connection_connecting": _("Connecting…"),
    "connection_open": _("Connected"),
    "connection_reconnecting": _("Connection lost: reconnecting…"),
    "connection_refused": _("Not connected"),
    "connection_left": _("You left the meeting."),
    "connection_back": _("Connected again: you are up to date."),
    "connection_reset_by_technician": _(
        "A technician reset your connection: reconnecting, you will miss nothing."
    ),
    "disconnected_retry": _("You are not connected right now. Try again in a moment."),
    "command_failed": _("That did not work. Try again."),
    # presence (presence.js)
    "group_presiding_staff": _("Presiding officers and staff"),
    "group_members": _("Council Members"),
    "group_observers": _("Observers"),
    "status_away": _("connection lost"),
    "status_muted": _("muted by the chair"),
    # Label style: the browser fills in the numbers, so no plural form depends on them.
    "counts": _("Active participants: %(active)s; following the webcast: %(passive)s"),
    "passive_entity": _("%(entity)s: %(count)s"),
    "passive_no_entity": _("Without a delegation"),
    "passive_other_entity": _("Another delegation"),
    "you_are_active": _("You have an active seat: you may ask for the floor."),
    "you_are_passive": _("You follow the meeting on the webcast."),
    "mode_active": _("active seat"),
    "mode_passive": _("on the webcast"),
    "reason_room_full": _("The room has reached its number of active participants."),
    "reason_delegation_full": _(
        "Your delegation already has its number of active participants; a member can hand "
        "you a seat."
    ),
    "reason_gave_seat": _("You gave your seat to a member of your delegation."),
    "reason_seat_taken": _("Your seat went to a member of your delegation while you were away."),
    "announce_dropped": _("%(name)s lost the connection."),
    "seat_handed": _("The seat was handed over."),
    "roster_entry": _("%(name)s – %(role)s"),
    "roster_no_role": _("no function given"),
    # the floor and the list of speakers (speakers.js)
    "floor_nobody": _("Nobody has the floor."),
    "kind_point_of_order": _("Point of order"),
    "kind_reply": _("Right of reply"),
    "motion_suspension": _("Motion: suspension of the meeting"),
    "motion_adjournment": _("Motion: adjournment of the meeting"),
    "motion_adjourn_debate": _("Motion: adjournment of the debate"),
    "motion_closure": _("Motion: closure of the debate"),
    "motion_limit_time": _("Motion: limitation of speaking time"),
    "motion_close_list": _("Motion: closure of the list of speakers"),
    "motion_other": _("Other procedural motion"),
    "rule_members_first": _("(Council Members first, then observers)"),
    "rule_in_order": _("(in the order requests were made)"),
    "give_floor": _("Give the floor"),
    "move_up": _("Up"),
    "move_down": _("Down"),
    "move_up_named": _("Move %(name)s up"),
    "move_down_named": _("Move %(name)s down"),
    "dismiss": _("Not taken"),
    "dismiss_reason_prompt": _("Why is this request not taken? (shown in the record)"),
    "hint_not_open": _("The chair has not opened the meeting yet."),
    "hint_passive": _("You follow the webcast: a member of your delegation can hand you a seat."),
    "your_position": _("You are number %(n)s on the list."),
    "time_left": _("%(time)s left"),
    "time_over": _("%(time)s over time"),
    "time_up": _("The speaking time is up."),
    "hand_raised": _("You are on the list of speakers."),
    "nameplate_raised": _("Your nameplate is raised: the chair sees it above the list."),
    "announce_floor": _("%(name)s has the floor."),
    "announce_nameplate": _("%(name)s raises the nameplate: %(what)s."),
    "announce_floor_ended": _("The floor is free."),
    "you_have_the_floor": _("You have the floor."),
    "clear_confirm": _("Close the list of speakers? Every waiting request is taken off."),
    "choose_participant": _("Choose a participant"),
    # the meeting's flow (flow.js)
    "status_scheduled": _("Not yet opened"),
    "status_live": _("In session"),
    "status_suspended": _("Suspended"),
    "status_ended": _("Closed"),
    "status_cancelled": _("Cancelled"),
    "no_current_item": _("No item under discussion."),
    "time_used": _("%(used)s of %(planned)s minutes"),
    "time_planned": _("%(planned)s minutes planned"),
    "take_up_item": _("Take up"),
    "close_item": _("Close the item"),
    "missed_item": _("%(entity)s was not connected for %(minutes)s min during %(item)s."),
    "return_to_item": _("Return to this item"),
    "absent_members": _(
        "Registered Council Members that did not connect to the previous meeting: %(names)s."
    ),
    "close_confirm": _("Close the meeting? The floor and the current item close."),
    "summary_shown": _("The summary is shown to the room."),
    "announce_item": _("The meeting takes up %(item)s."),
    # moderation (moderation.js)
    "muted_all_notice": _("The chair has muted all participants."),
    "locked_notice": _("The room is locked: nobody new may enter."),
    "you_are_muted": _("The chair muted your microphone."),
    "you_are_unmuted": _("The chair lifted your mute."),
    "announce_muted_all": _("%(by)s muted all participants."),
    "announce_unmuted_all": _("%(by)s lifted the mute."),
    "announce_locked": _("%(by)s locked the room."),
    "announce_unlocked": _("%(by)s unlocked the room."),
    "announce_removed": _("%(name)s was removed from the meeting."),
    "mute": _("Mute"),
    "unmute": _("Unmute"),
    "mute_named": _("Mute %(name)s"),
    "unmute_named": _("Unmute %(name)s"),
    "remove": _("Remove"),
    "remove_named": _("Remove %(name)s from the meeting"),
    "remove_reason_prompt": _("Why is %(name)s removed? (required, shown to them)"),
    "removed_entry": _("%(name)s – removed: %(reason)s"),
    "readmit": _("Readmit"),
    "readmit_named": _("Readmit %(name)s"),
    "announce_readmitted": _("%(name)s may come back to the meeting."),
    # captions (captions.js)
    "captions_off": _("Captions are not available in this meeting yet."),
    "captions_waiting": _("No captions yet in %(language)s."),
    "captions_live": _("Captions in %(language)s"),
    "captions_size": _("Text size: %(size)s"),
    "captions_feed_none": _("This meeting has no caption address yet."),
    "captions_feed_ready": _("Caption address ready: copy it into the captioning software."),
    "captions_feed_rotated": _(
        "A new caption address replaces the old one, which no longer works: give it to the "
        "provider."
    ),
    "captions_feed_revoked": _("The caption address was withdrawn: captions stop."),
    "captions_feed_expired": _("This address has expired: issue a new one."),
    "captions_feed_valid": _("Valid until %(when)s (UTC)."),
    "captions_feed_copied": _("Address copied."),
    "captions_feed_copy_failed": _("Select the address and copy it."),
    "captions_stream": _(
        "%(language)s: last post no. %(seq)s at %(when)s; %(posts)s applied, %(repeats)s "
        "repeats ignored, %(missing)s missing."
    ),
    "captions_stream_none": _("Nothing received yet."),
    "captions_confirm_rotate": _(
        "Issue a new address? The current one stops working at once; the provider must paste "
        "the new one."
    ),
    "captions_confirm_revoke": _("Withdraw the address? Captions stop until a new one is issued."),
    "captions_sequence_reset": _("Numbering restarted: the provider's next post may start at 1."),
    "captions_address_seq": _(
        "Last sequence number accepted on this address (all languages): %(seq)s."
    ),
}

#: The session languages (``Event.languages`` codes) by name, for pickers and transcripts.
LANGUAGE_NAMES = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
}
ROOM_STRINGS.update({f"captions_lang_{code}": name for code, name in LANGUAGE_NAMES.items()})


def room_strings() -> dict[str, str]:
    return {key: str(value) for key, value in ROOM_STRINGS.items()}


# audio, interpretation, video and recording (media.js, booth.js; vev.media)
ROOM_STRINGS.update(
    {
        "media_floor": _("Floor (original)"),
        "media_live": _("on air"),
        "media_not_live": _("no interpreter on air"),
        "media_listen": _("Listen"),
        "media_stop_listening": _("Stop listening"),
        "media_listening": _("You are listening to %(channel)s."),
        "media_listening_floor_under": _(
            "You are listening to %(channel)s, the floor underneath at %(volume)s."
        ),
        "media_connecting": _("Connecting the audio…"),
        "media_not_listening": _("You are not listening."),
        "media_failed": _("The audio could not be connected: %(reason)s"),
        "media_lost": _("The audio connection was lost."),
        "media_channel_live": _("%(channel)s is on air."),
        "media_channel_off": _("%(channel)s: no interpreter on air."),
        "media_floor_volume": _("Floor underneath: %(volume)s"),
        "media_join": _("Join the audio"),
        "media_leave": _("Leave the audio"),
        "media_joined": _("You are in the meeting's audio, muted."),
        "media_left": _("You left the meeting's audio."),
        "media_mic_on": _("Your microphone is on: you are heard."),
        "media_mic_off": _("Your microphone is off."),
        "media_unmute": _("Turn my microphone on"),
        "media_mute": _("Turn my microphone off"),
        "media_muted_by_moderator": _("A moderator turned your microphone off."),
        "media_room_muted": _("The chair has muted all participants."),
        "media_room_unmuted": _("The chair lifted the mute for all."),
        "media_talking": _("Speaking now: %(names)s"),
        "media_nobody_talking": _("Nobody is speaking."),
        "media_you": _("you"),
        "media_no_microphone": _("Your browser gave no microphone: %(reason)s"),
        "media_recording": _("This meeting is being recorded."),
        "media_not_recording": _("This meeting is not being recorded."),
        "media_record_start": _("Start recording"),
        "media_record_stop": _("Stop recording"),
        "media_recording_started": _("The recording has started."),
        "media_recording_stopped": _("The recording has stopped."),
        "media_camera": _("Show my camera"),
        "media_screen": _("Share my screen"),
        "media_stop_video": _("Stop my video"),
        "media_video_on": _("Your video is shown to the room."),
        "media_video_off": _("Your video is not shown."),
        "media_no_video": _("Nobody is showing video."),
        "media_video_of": _("Video of %(name)s"),
        "media_screen_of": _("Screen shared by %(name)s"),
        "media_watch_video": _("Watch the video"),
        "media_kicked": _("The media server closed your connection (%(handle)s)."),
        "media_video": _("Video"),
        # microphones the chair opens (heard without the floor)
        "media_open_mics": _("Microphones opened by the chair: %(names)s"),
        "media_mic_open_flag": _("microphone open"),
        "media_open_mic": _("Open microphone"),
        "media_close_mic": _("Close microphone"),
        "media_open_mic_named": _("Open the microphone of %(name)s"),
        "media_close_mic_named": _("Close the microphone of %(name)s"),
        "media_your_mic_opened": _("The chair opened your microphone: you are heard."),
        "media_your_mic_opened_join": _(
            "The chair opened your microphone: join the audio to be heard."
        ),
        "media_your_mic_closed": _("The chair closed your microphone."),
        # the booth console (booth.js)
        "booth_join": _("Enter the booth"),
        "booth_joined": _("You are in the %(language)s booth, microphone off."),
        "booth_mic_on": _("Microphone on"),
        "booth_mic_off": _("Microphone off"),
        "booth_on_air": _("ON AIR"),
        "booth_off_air": _("Off air"),
        "booth_both_live": _("Warning: both partners are on air."),
        "booth_partner_live": _("%(name)s is on air."),
        "booth_nobody_live": _("Nobody is on air in this booth: the channel is silent."),
        "booth_handover_to": _("Hand over to %(name)s"),
        "booth_take_over": _("Take over"),
        "booth_no_partner": _("Your partner is not in the booth."),
        "booth_handed_over": _("You handed over to %(name)s."),
        "booth_took_over": _("You are on air."),
        "booth_source": _("You hear: %(source)s"),
        "booth_relay": _("Relay from %(channel)s"),
        "booth_cough": _("Cough (hold)"),
        "booth_coughing": _("Cough key held: your microphone is off."),
    }
)
