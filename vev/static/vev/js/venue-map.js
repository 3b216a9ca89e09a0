// A space of the venue: the map with avatars (mouse and keyboard), the live list of who is
// here, and the conversation panel (lock, leave, private room, audio/video, chat).
import { VenueSocket, strings } from "./venue-socket.js";
import { Conversation } from "./venue-rtc.js";

const config = JSON.parse(document.getElementById("venue-config").textContent);
const t = strings();
const $ = (id) => document.getElementById(id);
const map = $("venue-map");
const avatars = $("venue-avatars");
const bubbleLayer = $("venue-bubbles");
const people = $("venue-people");
const status = $("venue-status");
const panel = $("bubble-panel");
const STEP = 20;

const state = { me: null, participants: new Map(), bubbles: new Map(), myBubble: null, entered: false };
const names = new Map();
const socket = new VenueSocket(config.event, config.space);
const conversation = new Conversation({
  socket, me: config.me, iceServers: config.iceServers, t, names, status,
  videos: $("bubble-videos"), chatLog: $("bubble-chat"), chatForm: $("bubble-chat-form"),
  chatInput: $("bubble-chat-text"), micButton: $("media-mic"), cameraButton: $("media-camera"),
});
window.vevVenue = { state, conversation, socket };  // for support staff and tests

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]).join("").toUpperCase();
}

function upsert(p) {
  state.participants.set(p.user_id, p);
  names.set(p.user_id, p.name);
  let el = avatars.querySelector(`[data-user="${p.user_id}"]`);
  if (!el) {
    el = document.createElement("div");
    el.className = "avatar";
    el.dataset.user = String(p.user_id);
    el.innerHTML = '<span class="avatar-dot" aria-hidden="true"></span><span class="avatar-label"></span>';
    avatars.append(el);
  }
  el.classList.toggle("me", p.user_id === config.me);
  el.classList.toggle("dnd", !!p.dnd);
  el.querySelector(".avatar-dot").textContent = initials(p.name);
  el.querySelector(".avatar-label").textContent = p.user_id === config.me ? t("you") : `${p.name}${p.entity ? ` (${p.entity})` : ""}`;
  place(el, p.x, p.y);
}

function place(el, x, y) {
  el.style.left = `${(x / config.width) * 100}%`;
  el.style.top = `${(y / config.height) * 100}%`;
}

function remove(userId) {
  state.participants.delete(userId);
  avatars.querySelector(`[data-user="${userId}"]`)?.remove();
}

function renderList() {
  const items = [...state.participants.values()].filter((p) => p.user_id !== config.me)
    .sort((a, b) => a.name.localeCompare(b.name));
  people.replaceChildren(...(items.length ? items.map((p) => {
    const li = document.createElement("li");
    li.dataset.user = String(p.user_id);
    const notes = [];
    if (p.bubble) notes.push(t("inConversation"));
    if (p.dnd) notes.push(t("dnd"));
    li.textContent = `${p.name}${p.entity ? ` (${p.entity})` : ""}${notes.length ? ` – ${notes.join(", ")}` : ""}`;
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: t("nobody") })]));
}

function renderBubbles() {
  const circles = [];
  for (const bubble of state.bubbles.values()) {
    const members = bubble.members.map((id) => state.participants.get(id)).filter(Boolean);
    if (!members.length) continue;
    const cx = members.reduce((s, p) => s + p.x, 0) / members.length;
    const cy = members.reduce((s, p) => s + p.y, 0) / members.length;
    const r = Math.max(...members.map((p) => Math.hypot(p.x - cx, p.y - cy))) + config.radius / 2;
    const circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    Object.entries({ cx, cy, r, class: `bubble${bubble.locked ? " locked" : ""}${bubble.id === state.myBubble ? " mine" : ""}` })
      .forEach(([k, v]) => circle.setAttribute(k, v));
    circles.push(circle);
  }
  bubbleLayer.replaceChildren(...circles);
}

function renderPanel() {
  const bubble = state.bubbles.get(state.myBubble);
  panel.hidden = !bubble;
  if (!bubble) return;
  const others = bubble.members.filter((id) => id !== config.me).map((id) => names.get(id)).filter(Boolean);
  $("bubble-members").textContent = t("bubbleJoined", { names: others.join(", ") });
  $("bubble-lock-state").textContent = t(bubble.locked ? "bubbleLocked" : "bubbleOpen");
  $("bubble-lock").textContent = t(bubble.locked ? "unlock" : "lock");
  $("bubble-lock").setAttribute("aria-pressed", String(bubble.locked));
}

function setBubble(bubble) {
  state.bubbles.set(bubble.id, bubble);
  for (const p of state.participants.values()) {
    if (bubble.members.includes(p.user_id)) p.bubble = bubble.id;
    else if (p.bubble === bubble.id) p.bubble = null;
  }
  const mine = bubble.members.includes(config.me);
  if (mine) {
    const fresh = state.myBubble !== bubble.id;
    state.myBubble = bubble.id;
    if (fresh) status.textContent = t("bubbleJoined", { names: bubble.members.filter((id) => id !== config.me).map((id) => names.get(id)).join(", ") });
    conversation.setMembers(bubble.members);
  } else if (state.myBubble === bubble.id) {
    leftBubble();
  }
  render();
}

function closeBubble(id) {
  state.bubbles.delete(id);
  for (const p of state.participants.values()) if (p.bubble === id) p.bubble = null;
  if (state.myBubble === id) leftBubble();
  render();
}

function leftBubble() {
  state.myBubble = null;
  conversation.end();
  status.textContent = t("bubbleLeft");
}

function render() { renderBubbles(); renderList(); renderPanel(); }

function applySnapshot(snapshot) {
  state.participants.clear();
  avatars.replaceChildren();
  for (const p of snapshot.participants) upsert(p);
  state.bubbles.clear();
  for (const b of snapshot.bubbles) state.bubbles.set(b.id, b);
  const mine = snapshot.bubbles.find((b) => b.members.includes(config.me));
  if (!mine && state.myBubble) leftBubble();
  if (mine) setBubble(mine); else render();
}

socket.on("open", async () => {
  status.textContent = t("connecting");
  const me = state.me;
  const reply = await socket.command("space.enter", me ? { x: me.x, y: me.y } : {});
  if (!reply.ok) { status.textContent = reply.error.message; return; }
  state.entered = true;
  state.me = reply.result.you;
  applySnapshot(reply.result);
  status.textContent = reply.result.hidden ? t("hiddenYou") : t("connected");
  announcePosition();
});
socket.on("closed", (frame) => {
  state.entered = false;
  status.textContent = frame.code === 4409 ? t("replaced") : t("offline");
  if (state.myBubble) leftBubble();
});
socket.on("presence.snapshot", applySnapshot);
socket.on("presence.joined", ({ participant }) => { upsert(participant); render(); status.textContent = t("joined", { name: participant.name }); });
socket.on("presence.updated", ({ participant }) => { upsert(participant); render(); });
socket.on("presence.moved", ({ user_id, x, y }) => {
  const p = state.participants.get(user_id);
  if (!p) return;
  p.x = x; p.y = y;
  place(avatars.querySelector(`[data-user="${user_id}"]`), x, y);
  renderBubbles();
});
socket.on("presence.left", ({ user_id }) => {
  const name = names.get(user_id);
  remove(user_id);
  render();
  if (name) status.textContent = t("left", { name });
});
socket.on("bubble.changed", ({ bubble }) => setBubble(bubble));
socket.on("bubble.closed", ({ bubble }) => closeBubble(bubble));
socket.on("bubble.left", ({ bubble }) => { if (state.myBubble === bubble) leftBubble(); const b = state.bubbles.get(bubble); if (b) { b.members = b.members.filter((id) => id !== config.me); } render(); });
socket.on("bubble.refused", ({ message }) => { status.textContent = message; });
socket.on("bubble.private_room", ({ url }) => {
  status.replaceChildren(Object.assign(document.createElement("a"), { href: url, textContent: t("privateRoom") }));
});
socket.on("presence.replaced", () => { status.textContent = t("replaced"); });

let pending = null;
let sending = false;
async function moveTo(x, y) {
  if (!state.entered) return;
  x = Math.round(Math.min(Math.max(x, 0), config.width));
  y = Math.round(Math.min(Math.max(y, 0), config.height));
  state.me.x = x; state.me.y = y;
  const mine = state.participants.get(config.me);
  if (mine) { mine.x = x; mine.y = y; place(avatars.querySelector(`[data-user="${config.me}"]`), x, y); renderBubbles(); }
  pending = { x, y };
  if (sending) return;
  sending = true;
  while (pending) {
    const next = pending;
    pending = null;
    await socket.command("presence.move", next);
  }
  sending = false;
  announcePosition();
}

function announcePosition() {
  if (state.me) $("venue-position").textContent = t("position", { x: Math.round(state.me.x), y: Math.round(state.me.y) });
}

map.addEventListener("click", (event) => {
  if (event.target.closest("a")) return;
  const box = map.getBoundingClientRect();
  moveTo(((event.clientX - box.left) / box.width) * config.width, ((event.clientY - box.top) / box.height) * config.height);
  map.focus();
});
map.addEventListener("keydown", (event) => {
  if (!state.me) return;
  const step = STEP * (event.shiftKey ? 3 : 1);
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const delta = moves[event.key];
  if (!delta) return;
  event.preventDefault();
  moveTo(state.me.x + delta[0], state.me.y + delta[1]);
});

$("bubble-lock").addEventListener("click", async () => {
  const bubble = state.bubbles.get(state.myBubble);
  if (!bubble) return;
  const reply = await socket.command("bubble.lock", { locked: !bubble.locked });
  if (!reply.ok) status.textContent = reply.error.message;
});
$("bubble-leave").addEventListener("click", async () => {
  const reply = await socket.command("bubble.leave");
  if (!reply.ok) status.textContent = reply.error.message;
});
$("bubble-room").addEventListener("click", async () => {
  const reply = await socket.command("bubble.private_room");
  if (!reply.ok) status.textContent = reply.error.message;
});
setInterval(() => { if (state.entered) socket.command("presence.ping"); }, 25000);
