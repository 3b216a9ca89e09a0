// Audio, interpretation, video and the recording indicator in the meeting room (vev.media).
//
// * Listening (everyone who may see the meeting): the webcast stream ("media.watch"), a channel
//   picker showing which interpretation channels are on air (snapshot section "media",
//   "media.channel_state" events), the floor underneath at a chosen volume, mixed in the browser
//   (two tracks, two gains). The choice is remembered in localStorage.
// * Speaking (participants with an active seat): join the floor audio muted ("media.join_floor"),
//   a microphone button whose unmute the server may refuse, with the reason shown; who is
//   speaking now ("media.talking"). Microphones the chair opened ("floor.mic_opened" /
//   "floor.mic_closed") are shown to everyone in the list of who is in the room; in the chair's
//   console each person gets "Open microphone" / "Close microphone".
// * Video: the floor holder shows a camera or a screen ("media.publish_video"); everyone sees
//   the publishers ("media.subscribe_video").
// * Recording: the indicator for everyone ("media.recording"); start/stop for the secretariat.
// * After a reconnection: the server closed this page's media connections with the socket, and
//   sends the state that is not on the numbered stream ("media.state" after a resume, or a new
//   snapshot); the page reconnects what was on (listening, the floor audio, video tiles).
//
// Without a media server the panel says why audio is unavailable (media_status().message).
import { ask, closePeer, publish, receive, listenForCandidates, peerOf } from "../media/peer.js";
import { Mixer } from "../media/mixer.js";

const CHANNEL_KEY = "vev.media.channel";
const VOLUME_KEY = "vev.media.floor_volume";

function stored(key, fallback) {
  try { return window.localStorage.getItem(key) ?? fallback; } catch { return fallback; }
}
function store(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* private mode: not remembered */ }
}

export function init(room) {
  const panel = room.el("[data-media]");
  if (!panel) return;
  const q = (selector) => panel.querySelector(selector);
  const unavailable = q("[data-media-unavailable]");
  const controls = q("[data-media-controls]");
  const listenButton = q("[data-media-listen]");
  const listenStatus = q("[data-media-listen-status]");
  const volume = q("[data-media-floor-volume]");
  const volumeValue = q("[data-media-floor-volume-value]");
  const floorRow = q("[data-media-floor-row]");
  const micPanel = q("[data-media-mic-panel]");
  const joinButton = q("[data-media-join]");
  const micButton = q("[data-media-mic]");
  const micStatus = q("[data-media-mic-status]");
  const meTalking = q("[data-media-me-talking]");
  const talkingEl = q("[data-media-talking]");
  const recordingEl = q("[data-media-recording]");
  const recordPanel = q("[data-media-record-panel]");
  const recordButton = q("[data-media-record]");
  const recordStatus = q("[data-media-record-status]");
  const videoPublish = q("[data-media-video-publish]");
  const videoStatus = q("[data-media-video-status]");
  const tiles = q("[data-media-tiles]");
  const sink = q("[data-media-audio-sink]");
  const openMicsEl = q("[data-media-open-mics]");
  const isConsole = room.root.dataset.view === "console";
  const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });

  const mixer = new Mixer(sink);
  const state = {
    section: null,
    language: stored(CHANNEL_KEY, ""),
    volume: Number(stored(VOLUME_KEY, "20")),
    listening: false,
    joined: false,
    muted: true,
    talking: new Set(),
    video: null, // {kind, stream}
    publishers: [],
    openMics: [], // [{participant_id, user_id, name}]: microphones the chair opened
    lost: null, // what was on when the socket dropped: {listening, joined}
  };
  window.vevMedia = { mixer, state }; // for the browser console and end-to-end tests
  if (!Number.isFinite(state.volume) || state.volume < 0 || state.volume > 100) state.volume = 20;
  volume.value = String(state.volume);
  listenForCandidates(room);

  const channelName = (code) => (code ? room.t(`captions_lang_${code}`) : room.t("media_floor"));
  const me = () => room.state?.me?.user_id;
  function personName(userId) {
    if (userId === me()) return room.t("media_you");
    const p = (room.state?.presence?.participants || []).find((x) => x.user_id === userId);
    return p ? room.person(p) : String(userId);
  }

  // -- the channel picker ----------------------------------------------------------------------
  for (const row of panel.querySelectorAll("[data-channel-row]")) {
    row.querySelector("[data-channel-name]").textContent = channelName(row.dataset.channelRow);
  }
  function renderChannels() {
    const live = state.section?.live || {};
    for (const row of panel.querySelectorAll("[data-channel-row]")) {
      const on = Boolean(live[row.dataset.channelRow]);
      row.dataset.live = String(on);
      row.querySelector("[data-channel-live]").textContent = on ? room.t("media_live") : room.t("media_not_live");
      row.querySelector("[data-channel-live]").classList.toggle("ok", on);
    }
    const languages = state.section?.languages || [];
    if (state.language && !languages.includes(state.language)) state.language = "";
    for (const input of panel.querySelectorAll("[data-media-channel]")) input.checked = input.value === state.language;
    floorRow.hidden = !state.language;
    volumeValue.textContent = percent.format(state.volume / 100);
  }

  function wantFloorFromStream() {
    if (state.joined) return false; // the floor room's own mix is our floor
    return !state.language || state.volume > 0;
  }
  function applyLevels() {
    mixer.setLevel("floor", state.language ? state.volume / 100 : 1);
    mixer.setLevel("channel", 1);
  }
  function renderListening() {
    listenButton.setAttribute("aria-pressed", String(state.listening));
    listenButton.textContent = state.listening ? room.t("media_stop_listening") : room.t("media_listen");
    if (!state.listening) {
      listenStatus.textContent = room.t("media_not_listening");
    } else if (state.language && state.volume > 0) {
      listenStatus.textContent = room.t("media_listening_floor_under", {
        channel: channelName(state.language), volume: percent.format(state.volume / 100),
      });
    } else {
      listenStatus.textContent = room.t("media_listening", { channel: channelName(state.language) });
    }
    panel.dataset.listening = String(state.listening);
  }

  async function selectChannels() {
    applyLevels();
    renderListening();
    if (!state.listening) return;
    try {
      await ask(room, "media.select_channels", { floor: wantFloorFromStream(), language: state.language || null });
    } catch (error) {
      room.announce(room.t("media_failed", { reason: error.message }), { urgent: true });
    }
  }

  panel.querySelector("[data-media-channel-list]").addEventListener("change", (event) => {
    if (!event.target.matches("[data-media-channel]")) return;
    state.language = event.target.value;
    store(CHANNEL_KEY, state.language);
    renderChannels();
    selectChannels();
  });
  let volumeTimer = null;
  volume.addEventListener("input", () => {
    const before = state.volume;
    state.volume = Number(volume.value);
    store(VOLUME_KEY, String(state.volume));
    volumeValue.textContent = percent.format(state.volume / 100);
    applyLevels();
    // Off at 0 (the server stops sending the floor), on again above: no renegotiation.
    if ((before === 0) !== (state.volume === 0)) {
      window.clearTimeout(volumeTimer);
      volumeTimer = window.setTimeout(selectChannels, 150);
    } else {
      renderListening();
    }
  });

  async function startListening() {
    mixer.start();
    listenStatus.textContent = room.t("media_connecting");
    panel.dataset.listening = "connecting";
    try {
      await receive(room, "stream", "media.watch", { floor: wantFloorFromStream(), language: state.language || null }, {
        onTrack: (track, transceiver) => {
          mixer.attach(transceiver?.mid === "floor" ? "floor" : "channel", track);
        },
      });
      state.listening = true;
      applyLevels();
    } catch (error) {
      state.listening = false;
      listenStatus.textContent = room.t("media_failed", { reason: error.message });
      panel.dataset.listening = "false";
      return;
    }
    renderListening();
  }
  async function stopListening() {
    state.listening = false;
    closePeer("stream");
    await room.command("media.leave", { handle: "stream" }, { quiet: true });
    renderListening();
  }
  listenButton.addEventListener("click", () => (state.listening ? stopListening() : startListening()));

  // -- the microphone ----------------------------------------------------------------------
  let microphone = null;
  function renderMic() {
    joinButton.textContent = state.joined ? room.t("media_leave") : room.t("media_join");
    micButton.disabled = !state.joined;
    micButton.setAttribute("aria-pressed", String(state.joined && !state.muted));
    micButton.textContent = state.muted ? room.t("media_unmute") : room.t("media_mute");
    panel.dataset.mic = !state.joined ? "out" : state.muted ? "muted" : "on";
    meTalking.hidden = !(state.joined && !state.muted && state.talking.has(me()));
  }
  async function join() {
    micStatus.textContent = room.t("media_connecting");
    try {
      await ask(room, "media.join_floor");
    } catch (error) {
      micStatus.textContent = error.message;
      return;
    }
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      await room.command("media.leave", { handle: "floor" }, { quiet: true });
      micStatus.textContent = room.t("media_no_microphone", { reason: error.message });
      return;
    }
    const [track] = microphone.getAudioTracks();
    try {
      await publish(room, "floor", [track], { onTrack: (remote) => mixer.attach("floor", remote) });
    } catch (error) {
      microphone.getTracks().forEach((t) => t.stop());
      microphone = null;
      await room.command("media.leave", { handle: "floor" }, { quiet: true });
      micStatus.textContent = room.t("media_failed", { reason: error.message });
      return;
    }
    state.joined = true;
    state.muted = true;
    micStatus.textContent = room.t("media_joined");
    renderMic();
    if (state.listening) selectChannels(); // the floor now comes from the floor room
    else startListening();
  }
  async function leave() {
    state.joined = false;
    closePeer("floor");
    if (microphone) microphone.getTracks().forEach((t) => t.stop());
    microphone = null;
    await room.command("media.leave", { handle: "floor" }, { quiet: true });
    micStatus.textContent = room.t("media_left");
    renderMic();
    selectChannels();
  }
  joinButton.addEventListener("click", () => (state.joined ? leave() : join()));
  micButton.addEventListener("click", async () => {
    const muted = !state.muted;
    try {
      const result = await ask(room, "media.set_muted", { muted });
      state.muted = result.muted;
      micStatus.textContent = state.muted ? room.t("media_mic_off") : room.t("media_mic_on");
    } catch (error) {
      // The server refused (no floor, muted by a moderator, mute all): say why.
      micStatus.textContent = error.message;
      panel.dataset.refused = error.code;
    }
    renderMic();
  });
  room.on("media.mute_changed", (frame) => {
    if (frame.handle !== "floor" || frame.user !== me() || !state.joined) return;
    if (frame.muted && !state.muted) {
      state.muted = true;
      micStatus.textContent = room.t("media_muted_by_moderator");
      room.announce(room.t("media_muted_by_moderator"), { urgent: true });
    } else if (!frame.muted && state.muted) {
      // The chair opened our microphone: Janus unmuted us.
      state.muted = false;
      micStatus.textContent = room.t("media_your_mic_opened");
    }
    renderMic();
  });

  // -- microphones the chair opened --------------------------------------------------------
  let people = new Map(); // participant id -> person, as the list of who is in the room shows
  function renderOpenMics() {
    const names = state.openMics.map((m) => (m.user_id === me() ? room.t("media_you") : m.name));
    openMicsEl.hidden = !names.length;
    openMicsEl.textContent = names.length ? room.t("media_open_mics", { names: names.join(", ") }) : "";
    const moderating = isConsole && Boolean(room.state?.me?.may_moderate);
    for (const li of room.root.querySelectorAll("[data-presence-list] [data-participant]")) {
      const id = Number(li.dataset.participant);
      const open = state.openMics.some((m) => m.participant_id === id);
      li.dataset.micOpen = String(open);
      let flag = li.querySelector("[data-mic-open-flag]");
      if (open && !flag) {
        flag = document.createElement("span");
        flag.className = "badge ok";
        flag.dataset.micOpenFlag = "";
        flag.textContent = room.t("media_mic_open_flag");
        li.querySelector("[data-flags]").after(" ", flag);
      } else if (!open && flag) {
        flag.remove();
      }
      const p = people.get(id);
      let button = li.querySelector("[data-mic-toggle]");
      if (!moderating || !p || p.kind === "staff") {
        button?.remove();
        continue;
      }
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.dataset.micToggle = "";
        button.addEventListener("click", () => {
          const opened = li.dataset.micOpen === "true";
          room.command(opened ? "floor.close_mic" : "floor.open_mic", { participant_id: id });
        });
        const box = document.createElement("span");
        box.className = "actions";
        box.append(button);
        li.append(box);
      }
      button.textContent = open ? room.t("media_close_mic") : room.t("media_open_mic");
      button.setAttribute("aria-pressed", String(open));
      button.setAttribute("aria-label", room.t(open ? "media_close_mic_named" : "media_open_mic_named", { name: p.name }));
    }
  }
  room.root.addEventListener("vev:presence", ({ detail }) => {
    people = detail.people;
    renderOpenMics();
  });
  for (const type of ["floor.mic_opened", "floor.mic_closed"]) {
    room.on(type, (frame) => {
      state.openMics = frame.open || [];
      renderOpenMics();
      if (frame.participant?.user_id !== me()) return;
      const opened = type === "floor.mic_opened";
      const text = opened
        ? room.t(state.joined ? "media_your_mic_opened" : "media_your_mic_opened_join")
        : room.t("media_your_mic_closed");
      micStatus.textContent = text;
      room.announce(text, { urgent: true });
    });
  }
  room.on("media.room_muted", (frame) => {
    if (frame.muted && state.joined) {
      micStatus.textContent = room.t("media_room_muted");
      if (!room.state?.me?.may_preside) state.muted = true;
    } else if (!frame.muted) {
      micStatus.textContent = room.t("media_room_unmuted");
    }
    renderMic();
  });
  room.on("media.talking", (frame) => {
    if (frame.handle !== "floor") return;
    if (frame.talking) state.talking.add(frame.user);
    else state.talking.delete(frame.user);
    const names = [...state.talking].map(personName);
    talkingEl.textContent = names.length ? room.t("media_talking", { names: names.join(", ") }) : room.t("media_nobody_talking");
    renderMic();
  });
  room.on("media.kicked", (frame) => {
    closePeer(frame.handle);
    if (frame.handle === "floor") { state.joined = false; renderMic(); }
    micStatus.textContent = room.t("media_kicked", { handle: frame.handle });
  });
  room.on("media.unavailable", (frame) => {
    state.listening = false;
    state.joined = false;
    mixer.stop();
    unavailable.hidden = false;
    q("[data-media-unavailable-message]").textContent = frame.message;
    renderListening();
    renderMic();
  });

  // -- video -------------------------------------------------------------------------------
  // A tile says whose stream it shows: the server names the publisher of each m-line of its
  // offer (mid -> feed), whatever order the tracks arrive in.
  function tileLabel(stream) {
    if (!stream) return room.t("media_video");
    const name = stream.display || personName(stream.user);
    return room.t(stream.description === "screen" ? "media_screen_of" : "media_video_of", { name });
  }
  async function showVideo(kind) {
    let stream;
    try {
      stream = kind === "screen"
        ? await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })
        : await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    } catch (error) {
      videoStatus.textContent = room.t("media_failed", { reason: error.message });
      return;
    }
    try {
      await ask(room, "media.publish_video");
      const tracks = stream.getVideoTracks();
      const descriptions = Object.fromEntries(tracks.map((_, i) => [String(i), kind]));
      await publish(room, "video", tracks, { descriptions });
    } catch (error) {
      stream.getTracks().forEach((t) => t.stop());
      await room.command("media.leave", { handle: "video" }, { quiet: true });
      videoStatus.textContent = error.message;
      return;
    }
    state.video = { kind, stream };
    videoStatus.textContent = room.t("media_video_on");
    q("[data-media-stop-video]").hidden = false;
    for (const track of stream.getVideoTracks()) track.addEventListener("ended", stopVideo);
  }
  async function stopVideo() {
    if (!state.video) return;
    state.video.stream.getTracks().forEach((t) => t.stop());
    state.video = null;
    closePeer("video");
    await room.command("media.leave", { handle: "video" }, { quiet: true });
    videoStatus.textContent = room.t("media_video_off");
    q("[data-media-stop-video]").hidden = true;
  }
  q("[data-media-camera]").addEventListener("click", () => showVideo("camera"));
  q("[data-media-screen]").addEventListener("click", () => showVideo("screen"));
  q("[data-media-stop-video]").addEventListener("click", stopVideo);

  let watchedFeeds = "";
  async function watchVideo(publishers) {
    const others = publishers.filter((p) => p.user !== me()).slice(0, 8);
    const key = others.map((p) => p.feed).sort().join(",");
    if (key === watchedFeeds) return;
    watchedFeeds = key;
    tiles.replaceChildren();
    if (!others.length) {
      if (peerOf("video_sub")) {
        closePeer("video_sub");
        await room.command("media.leave", { handle: "video_sub" }, { quiet: true });
      }
      if (!state.video) videoStatus.textContent = room.t("media_no_video");
      return;
    }
    videoStatus.textContent = "";
    try {
      await receive(room, "video_sub", "media.subscribe_video", { feeds: others.map((p) => p.feed) }, {
        onTrack: (track, transceiver, offer) => {
          if (track.kind !== "video") return;
          const stream = (offer.streams || []).find((s) => s.mid === transceiver?.mid);
          const figure = document.createElement("figure");
          figure.dataset.feed = String(stream?.feed ?? "");
          figure.dataset.user = String(stream?.user ?? "");
          const video = document.createElement("video");
          video.autoplay = true;
          video.muted = true;
          video.playsInline = true;
          video.srcObject = new MediaStream([track]);
          const caption = document.createElement("figcaption");
          caption.textContent = tileLabel(stream);
          video.setAttribute("aria-label", caption.textContent);
          figure.append(video, caption);
          tiles.append(figure);
        },
      });
    } catch (error) {
      watchedFeeds = "";
      videoStatus.textContent = error.message;
    }
  }
  room.on("media.video", (frame) => {
    state.publishers = frame.publishers || [];
    if (state.section?.status?.available) watchVideo(state.publishers);
  });

  // -- recording ---------------------------------------------------------------------------
  function renderRecording() {
    const on = Boolean(state.section?.recording);
    recordingEl.hidden = !on;
    room.root.dataset.recording = String(on);
    recordButton.setAttribute("aria-pressed", String(on));
    recordButton.textContent = on ? room.t("media_record_stop") : room.t("media_record_start");
    recordStatus.textContent = on ? room.t("media_recording") : room.t("media_not_recording");
  }
  recordButton.addEventListener("click", async () => {
    const name = state.section?.recording ? "media.record_stop" : "media.record_start";
    const reply = await room.command(name, {}, { quiet: true });
    if (!reply.ok) recordStatus.textContent = reply.error.message;
  });
  room.on("media.recording", (frame) => {
    if (!state.section) return;
    state.section.recording = frame.recording;
    renderRecording();
    room.announce(room.t(frame.recording ? "media_recording_started" : "media_recording_stopped"));
  });

  room.on("media.channel_state", (frame) => {
    if (!state.section) return;
    state.section.live = { ...state.section.live, [frame.language]: frame.live };
    renderChannels();
    if (frame.language === state.language && state.listening) {
      room.announce(room.t(frame.live ? "media_channel_live" : "media_channel_off", { channel: channelName(frame.language) }));
    }
  });

  // -- after a reconnection ----------------------------------------------------------------
  // The server closed our media connections with the socket: note what was on, drop the dead
  // connections, and connect again once the room is up to date.
  room.on("socket.state", ({ state: socketState }) => {
    if (socketState !== "reconnecting" || state.lost) return;
    state.lost = { listening: state.listening, joined: state.joined };
    for (const handle of ["stream", "floor", "video", "video_sub"]) closePeer(handle);
    if (microphone) microphone.getTracks().forEach((t) => t.stop());
    microphone = null;
    if (state.video) {
      state.video.stream.getTracks().forEach((t) => t.stop());
      state.video = null;
      q("[data-media-stop-video]").hidden = true;
      videoStatus.textContent = room.t("media_video_off");
    }
    state.listening = false;
    state.joined = false;
    state.muted = true;
    watchedFeeds = "";
    renderListening();
    renderMic();
  });
  async function reconnectMedia() {
    const lost = state.lost;
    state.lost = null;
    if (!lost || !state.section?.status?.available) return;
    if (lost.joined) await join(); // muted again; it listens too
    else if (lost.listening) await startListening();
  }

  room.on("media.state", (frame) => {
    if (!state.section) return;
    Object.assign(state.section, { live: frame.live, recording: frame.recording, video: frame.video });
    renderChannels();
    renderRecording();
    state.publishers = frame.video || [];
    watchedFeeds = "";
    if (state.section.status?.available) watchVideo(state.publishers);
    reconnectMedia();
  });

  // -- snapshot ----------------------------------------------------------------------------
  room.on("room.snapshot", (frame) => {
    state.section = frame.media;
    const section = state.section;
    if (!section) return;
    const available = section.status.available;
    panel.dataset.state = available ? "available" : "unavailable";
    unavailable.hidden = available;
    q("[data-media-unavailable-message]").textContent = available ? "" : section.status.message;
    controls.hidden = !available;
    const active = frame.me?.mode === "active";
    micPanel.hidden = !(section.may_attend && active);
    videoPublish.hidden = !(section.may_attend && active);
    recordPanel.hidden = !section.may_record;
    renderChannels();
    renderListening();
    renderMic();
    renderRecording();
    state.openMics = section.open_mics || [];
    renderOpenMics();
    state.publishers = section.video || [];
    watchedFeeds = "";
    if (available) watchVideo(state.publishers);
    reconnectMedia();
  });
}
