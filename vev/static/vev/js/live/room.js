// The meeting room page: one RoomSocket, the latest state, and the feature modules the page
// lists in data-features (presence, speakers, chat, captions…). Each module exports
// init(room) and subscribes to the frames it renders. Strings come translated from the
// page (<script id="room-strings" type="application/json">), never from this file.
import { RoomSocket } from "./socket.js";

const root = document.querySelector("[data-room]");
const strings = JSON.parse(document.getElementById("room-strings").textContent);
const announcer = document.getElementById("room-announcer");
const alerts = document.getElementById("room-alert");
const statusEl = document.querySelector("[data-room-connection]");

function format(text, vars = {}) {
  return String(text ?? "").replace(/%\((\w+)\)[sd]/g, (_, name) => (name in vars ? vars[name] : ""));
}

export const room = {
  root,
  strings,
  state: null,
  clockOffset: 0, // server time minus browser time, ms
  socket: new RoomSocket(root.dataset.wsPath),
  t(key, vars) { return format(strings[key] ?? key, vars); },
  announce(text, { urgent = false } = {}) {
    const region = urgent ? alerts : announcer;
    if (!region) return;
    region.textContent = "";
    // A fresh text node makes screen readers speak a repeated message again.
    window.setTimeout(() => { region.textContent = text; }, 30);
  },
  // Participants whose page is about to reconnect because this page asked for it (a
  // technician's reset): their drop is expected, so it is not announced as a lost connection.
  expectedDrops: new Map(),
  expectDrop(participantId, ms = 15000) { this.expectedDrops.set(participantId, Date.now() + ms); },
  dropExpected(participantId) {
    const until = this.expectedDrops.get(participantId);
    if (until === undefined) return false;
    if (until < Date.now()) { this.expectedDrops.delete(participantId); return false; }
    return true;
  },
  on(type, callback) { return this.socket.on(type, callback); },
  now() { return Date.now() + this.clockOffset; },
  async command(name, payload = {}, { quiet = false } = {}) {
    const reply = await this.socket.command(name, payload);
    if (!reply.ok && !quiet) {
      const message = reply.error?.code === "disconnected"
        ? this.t("disconnected_retry")
        : (reply.error?.message || this.t("command_failed"));
      this.announce(message, { urgent: true });
    }
    return reply;
  },
  el(selector) { return root.querySelector(selector); },
  clone(templateId) {
    const template = document.getElementById(templateId);
    return template.content.firstElementChild.cloneNode(true);
  },
  entityLabel(entity) { return entity ? entity.name : ""; },
  person(p) {
    return p.entity ? `${p.name} (${p.entity.name})` : p.name;
  },
};
window.vevRoom = room; // for the browser console and end-to-end tests

room.on("room.snapshot", (frame) => {
  room.state = frame;
  room.clockOffset = Date.parse(frame.server_time) - Date.now();
  root.dataset.mode = frame.me.mode;
  root.dataset.ready = "true";
});
room.on("room.resumed", (frame) => {
  room.clockOffset = Date.parse(frame.server_time) - Date.now();
  root.dataset.ready = "true";
});
room.on("room.refused", (frame) => {
  root.dataset.refused = frame.code;
  const box = document.querySelector("[data-room-refused]");
  if (box) {
    box.hidden = false;
    box.querySelector("[data-message]").textContent = frame.message;
    box.focus();
  }
});
room.on("socket.state", ({ state, code }) => {
  root.dataset.connection = state;
  if (statusEl) statusEl.textContent = room.t(`connection_${state}`);
  if (state === "reconnecting") {
    // 4000: a technician reset the connection (the socket reconnects at once and resumes).
    const text = code === 4000 ? room.t("connection_reset_by_technician") : room.t("connection_reconnecting");
    room.announce(text, { urgent: true });
  }
  if (state === "open" && room._wasDown) room.announce(room.t("connection_back"));
  room._wasDown = state === "reconnecting";
});

const features = (root.dataset.features || "").split(/\s+/).filter(Boolean);
await Promise.all(features.map(async (name) => {
  const module = await import(`./${name}.js`);
  module.init(room);
}));
room.socket.start();

document.querySelector("[data-room-leave]")?.addEventListener("click", async () => {
  await room.socket.leave();
  window.location.assign(root.dataset.leaveUrl);
});
