// The call of a side meeting: the invitees who accepted, in a mesh like a conversation.
import { VenueSocket, strings } from "./venue-socket.js";
import { Conversation } from "./venue-rtc.js";

const config = JSON.parse(document.getElementById("venue-config").textContent);
const t = strings();
const $ = (id) => document.getElementById(id);
const status = $("venue-status");
const names = new Map();
const members = new Set();
const socket = new VenueSocket(config.event, config.space);
const conversation = new Conversation({
  socket, me: config.me, iceServers: config.iceServers, t, names, status,
  videos: $("bubble-videos"), chatLog: $("bubble-chat"), chatForm: $("bubble-chat-form"),
  chatInput: $("bubble-chat-text"), micButton: $("media-mic"), cameraButton: $("media-camera"),
});
window.vevVenue = { conversation, socket };

function render() {
  const others = [...members].filter((id) => id !== config.me).map((id) => names.get(id));
  $("bubble-members").textContent = others.length ? t("bubbleJoined", { names: others.join(", ") }) : t("nobody");
  conversation.setMembers([...members]);
}

socket.on("open", async () => {
  const reply = await socket.command("side_meeting.join", { id: config.sideMeeting });
  if (!reply.ok) { status.textContent = reply.error.message; return; }
  members.clear();
  for (const m of reply.result.members) { members.add(m.user_id); names.set(m.user_id, m.name); }
  status.textContent = t("connected");
  render();
});
socket.on("call.joined", ({ participant }) => {
  members.add(participant.user_id);
  names.set(participant.user_id, participant.name);
  status.textContent = t("joined", { name: participant.name });
  render();
});
socket.on("call.left", ({ user_id }) => {
  const name = names.get(user_id);
  members.delete(user_id);
  conversation.drop(user_id);
  if (name) status.textContent = t("left", { name });
  render();
});
socket.on("closed", (frame) => { status.textContent = frame.code === 4409 ? t("replaced") : t("offline"); conversation.end(); });
setInterval(() => socket.command("presence.ping"), 25000);
