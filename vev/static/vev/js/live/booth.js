// The interpreter's booth console (vev.media): the source (the floor, or a relay language with
// the floor off), the booth microphone, the cough key (off while held), the on-air indicator,
// the handover to the booth partner (who is unmuted first, so the channel never falls silent)
// and a warning while both partners are on air.
//
// Booth state comes from the replies of "media.booth_mic" / "media.handover" ({language,
// members, live, both_live}) and from Janus's "media.mute_changed" events of the booth room.
// When the socket drops, the server closes the booth connection with it (the channel goes off
// air if we were on it); once the room is up to date again the console re-enters the booth,
// microphone off.
import { ask, closePeer, publish, receive, listenForCandidates } from "../media/peer.js";
import { Mixer } from "../media/mixer.js";

export function init(room) {
  const panel = room.el("[data-booth]");
  if (!panel) return;
  const q = (selector) => panel.querySelector(selector);
  const controls = q("[data-booth-controls]");
  const joinButton = q("[data-booth-join]");
  const micButton = q("[data-booth-mic]");
  const coughButton = q("[data-booth-cough]");
  const onAir = q("[data-booth-on-air]");
  const bothLive = q("[data-booth-both-live]");
  const statusEl = q("[data-booth-status]");
  const partnersEl = q("[data-booth-partners]");
  const noPartner = q("[data-booth-no-partner]");
  const sourceStatus = q("[data-booth-source-status]");
  const mixer = new Mixer(q("[data-booth-audio-sink]"));
  listenForCandidates(room);

  const state = {
    section: null,
    language: null,
    joined: false,
    members: new Set(),
    live: new Set(),
    coughing: false,
    micWanted: false,
    source: "",
    listening: false,
    microphone: null,
    rejoin: false, // the socket dropped while we were in the booth
  };
  window.vevBooth = { mixer, state }; // for the browser console and end-to-end tests
  const me = () => room.state?.me?.user_id;
  const channelName = (code) => (code ? room.t(`captions_lang_${code}`) : room.t("media_floor"));
  function personName(userId) {
    const p = (room.state?.presence?.participants || []).find((x) => x.user_id === userId);
    return p ? p.name : String(userId);
  }

  function apply(booth) {
    state.members = new Set(booth.members);
    state.live = new Set(booth.live);
    render();
  }

  function render() {
    const mine = state.live.has(me());
    onAir.dataset.onAir = String(mine);
    onAir.textContent = mine ? room.t("booth_on_air") : room.t("booth_off_air");
    bothLive.hidden = state.live.size < 2;
    panel.dataset.bothLive = String(state.live.size > 1);
    joinButton.hidden = state.joined;
    micButton.disabled = !state.joined || state.coughing;
    coughButton.disabled = !state.joined;
    micButton.setAttribute("aria-pressed", String(mine || state.coughing && state.micWanted));
    micButton.textContent = mine ? room.t("booth_mic_off") : room.t("booth_mic_on");
    const partners = [...state.members].filter((uid) => uid !== me());
    noPartner.hidden = partners.length > 0;
    partnersEl.replaceChildren(...partners.map((uid) => {
      const li = document.createElement("li");
      li.dataset.partner = String(uid);
      const live = state.live.has(uid);
      const name = document.createElement("span");
      name.textContent = live ? room.t("booth_partner_live", { name: personName(uid) }) : personName(uid);
      li.append(name, " ");
      if (state.joined && mine) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = room.t("booth_handover_to", { name: personName(uid) });
        button.addEventListener("click", () => handover(uid));
        li.append(button);
      } else if (state.joined && live) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = room.t("booth_take_over");
        button.addEventListener("click", () => handover(me()));
        li.append(button);
      }
      return li;
    }));
    q("[data-booth-silent]").hidden = !(state.joined && !state.live.size);
  }

  async function mic(on) {
    try {
      apply(await ask(room, "media.booth_mic", { on }));
    } catch (error) {
      statusEl.textContent = error.message;
    }
  }

  async function handover(toUser) {
    try {
      apply(await ask(room, "media.handover", { to_user: toUser }));
      statusEl.textContent = toUser === me()
        ? room.t("booth_took_over")
        : room.t("booth_handed_over", { name: personName(toUser) });
    } catch (error) {
      statusEl.textContent = error.message;
    }
  }

  async function join() {
    statusEl.textContent = room.t("media_connecting");
    let microphone;
    try {
      await ask(room, "media.join_booth");
    } catch (error) {
      statusEl.textContent = error.message;
      return;
    }
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      await publish(room, "booth", microphone.getAudioTracks(), {
        onTrack: (track) => mixer.attach("partner", track),
      });
    } catch (error) {
      if (microphone) microphone.getTracks().forEach((t) => t.stop());
      await room.command("media.leave", { handle: "booth" }, { quiet: true });
      closePeer("booth");
      statusEl.textContent = room.t("media_failed", { reason: error.message });
      return;
    }
    state.joined = true;
    state.microphone = microphone;
    statusEl.textContent = room.t("booth_joined", { language: channelName(state.language) });
    await mic(false); // reads who is in the booth and on air; we joined muted
    await listen();
  }

  // -- the source --------------------------------------------------------------------------
  async function listen() {
    const relay = state.source || null;
    try {
      if (!state.listening) {
        await receive(room, "stream", "media.watch", { floor: !relay, language: relay }, {
          onTrack: (track, transceiver) => mixer.attach(transceiver?.mid === "floor" ? "floor" : "channel", track),
        });
        state.listening = true;
      } else {
        await ask(room, "media.select_channels", { floor: !relay, language: relay });
      }
      sourceStatus.textContent = room.t("booth_source", {
        source: relay ? room.t("booth_relay", { channel: channelName(relay) }) : channelName(""),
      });
    } catch (error) {
      sourceStatus.textContent = room.t("media_failed", { reason: error.message });
    }
  }
  for (const row of panel.querySelectorAll("[data-source-row]")) {
    row.querySelector("[data-source-name]").textContent = room.t("booth_relay", { channel: channelName(row.dataset.sourceRow) });
  }
  q("[data-booth-source]").addEventListener("change", (event) => {
    if (!event.target.matches("[data-booth-source-choice]")) return;
    state.source = event.target.value;
    if (state.joined) listen();
  });
  function renderSources() {
    const live = state.section?.live || {};
    for (const row of panel.querySelectorAll("[data-source-row]")) {
      const code = row.dataset.sourceRow;
      row.hidden = code === state.language; // one's own booth is no relay
      const on = Boolean(live[code]);
      row.dataset.live = String(on);
      row.querySelector("[data-source-live]").textContent = on ? room.t("media_live") : room.t("media_not_live");
      row.querySelector("[data-source-live]").classList.toggle("ok", on);
    }
  }

  // -- controls ----------------------------------------------------------------------------
  joinButton.addEventListener("click", join);
  micButton.addEventListener("click", () => mic(!state.live.has(me())));
  async function coughStart() {
    if (state.coughing || !state.live.has(me())) return;
    state.coughing = true;
    state.micWanted = true;
    statusEl.textContent = room.t("booth_coughing");
    coughButton.setAttribute("aria-pressed", "true");
    await mic(false);
  }
  async function coughEnd() {
    if (!state.coughing) return;
    state.coughing = false;
    coughButton.setAttribute("aria-pressed", "false");
    statusEl.textContent = "";
    if (state.micWanted) await mic(true);
    state.micWanted = false;
  }
  coughButton.addEventListener("pointerdown", coughStart);
  coughButton.addEventListener("pointerup", coughEnd);
  coughButton.addEventListener("pointerleave", coughEnd);
  coughButton.addEventListener("keydown", (event) => {
    if ((event.key === " " || event.key === "Enter") && !event.repeat) { event.preventDefault(); coughStart(); }
  });
  coughButton.addEventListener("keyup", (event) => {
    if (event.key === " " || event.key === "Enter") { event.preventDefault(); coughEnd(); }
  });

  // -- booth chat -------------------------------------------------------------------------
  const chatList = q("[data-booth-chat]");
  const chatForm = q("[data-booth-chat-form]");
  room.on("media.booth_chat", (frame) => {
    const li = document.createElement("li");
    const time = new Date(frame.at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
    const who = document.createElement("strong");
    who.textContent = `${frame.user === me() ? room.t("media_you") : frame.name} (${time}): `;
    li.append(who, frame.text);
    chatList.append(li);
    while (chatList.children.length > 100) chatList.firstElementChild.remove();
  });
  chatForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = chatForm.elements.text;
    const reply = await room.command("media.booth_chat", { text: input.value }, { quiet: true });
    if (reply.ok) {
      input.value = "";
      q("[data-booth-chat-status]").textContent = "";
    } else {
      q("[data-booth-chat-status]").textContent = reply.error.message;
    }
  });

  room.on("media.mute_changed", (frame) => {
    if (frame.handle !== "booth") return;
    state.members.add(frame.user);
    if (frame.muted) state.live.delete(frame.user);
    else state.live.add(frame.user);
    render();
  });
  room.on("media.channel_state", (frame) => {
    if (!state.section) return;
    state.section.live = { ...state.section.live, [frame.language]: frame.live };
    renderSources();
    // Our own booth: who is on air may have changed without a mute event for us (a handover).
    if (frame.language === state.language && state.joined && !frame.live) {
      state.live.clear();
      render();
    }
  });
  room.on("media.closed", (frame) => {
    if (frame.handle === "booth") { state.joined = false; render(); }
  });
  room.on("media.unavailable", (frame) => {
    state.joined = false;
    state.listening = false;
    q("[data-booth-unavailable]").hidden = false;
    q("[data-booth-unavailable-message]").textContent = frame.message;
    render();
  });

  // -- after a reconnection ----------------------------------------------------------------
  room.on("socket.state", ({ state: socketState }) => {
    if (socketState !== "reconnecting" || !state.joined) return;
    state.rejoin = true;
    closePeer("booth");
    closePeer("stream");
    if (state.microphone) state.microphone.getTracks().forEach((t) => t.stop());
    state.microphone = null;
    Object.assign(state, { joined: false, listening: false, coughing: false, micWanted: false });
    state.live.clear();
    state.members.clear();
    render();
  });
  function reenter() {
    if (!state.rejoin || !state.section?.status?.available || !state.section.booth) return;
    state.rejoin = false;
    join();
  }
  room.on("media.state", (frame) => {
    if (!state.section) return;
    state.section.live = frame.live;
    renderSources();
    reenter();
  });

  room.on("room.snapshot", (frame) => {
    state.section = frame.media;
    const section = frame.media;
    if (!section) return;
    state.language = section.booth;
    const available = section.status.available;
    panel.dataset.state = !available ? "unavailable" : section.booth ? "available" : "no_booth";
    q("[data-booth-unavailable]").hidden = available;
    q("[data-booth-unavailable-message]").textContent = available ? "" : section.status.message;
    q("[data-booth-no-booth]").hidden = !available || Boolean(section.booth);
    controls.hidden = !available || !section.booth;
    q("[data-booth-language]").textContent = section.booth ? `– ${channelName(section.booth)}` : "";
    renderSources();
    render();
    reenter();
  });
}
