// WebRTC with the media server (Janus), signalled only through vev's room socket: the browser
// never reaches Janus's API. Every exchange is one command ("media.offer" / "media.answer") with
// the complete SDP (candidates gathered first, trickle off); Janus's own late candidates arrive
// as "media.trickle" events and are added to the connection of their handle.
//
// `room` is any page object with command(name, payload, {quiet}) and on(type, callback).

const peers = new Map(); // handle -> RTCPeerConnection
window.vevPeers = peers; // for the browser console and end-to-end tests
const GATHER_MS = 3000;

export class MediaCommandError extends Error {
  constructor(error) {
    super(error?.message || "");
    this.code = error?.code || "failed";
  }
}

export async function ask(room, name, payload = {}) {
  const reply = await room.command(name, payload, { quiet: true });
  if (!reply.ok) throw new MediaCommandError(reply.error);
  return reply.result;
}

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    };
    pc.addEventListener("icegatheringstatechange", done);
    window.setTimeout(resolve, GATHER_MS); // send what we have: Janus also finds us (prflx)
  });
}

export function peerOf(handle) { return peers.get(handle); }

export function closePeer(handle) {
  const pc = peers.get(handle);
  if (pc) pc.close();
  peers.delete(handle);
}

let listening = false;
export function listenForCandidates(room) {
  if (listening) return;
  listening = true;
  room.on("media.trickle", (frame) => {
    const pc = peers.get(frame.handle);
    if (!pc || !frame.candidate) return;
    const c = frame.candidate;
    if (c.completed) return;
    pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex })
      .catch(() => {});
  });
  room.on("media.closed", (frame) => { if (frame.handle) closePeer(frame.handle); });
  room.on("media.unavailable", () => { for (const handle of [...peers.keys()]) closePeer(handle); });
}

// We send (floor, booth, video): our offer, Janus's answer. `tracks` are local tracks.
export async function publish(room, handle, tracks, { descriptions, onTrack } = {}) {
  listenForCandidates(room);
  closePeer(handle);
  const pc = new RTCPeerConnection();
  peers.set(handle, pc);
  if (onTrack) pc.addEventListener("track", (event) => onTrack(event.track, event.transceiver));
  for (const track of tracks) {
    const direction = handle === "video" ? "sendonly" : "sendrecv";
    pc.addTransceiver(track, { direction });
  }
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  try {
    const payload = { handle, sdp: pc.localDescription.sdp, trickle: false };
    if (descriptions) payload.descriptions = descriptions;
    const answer = await ask(room, "media.offer", payload);
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  } catch (error) {
    closePeer(handle);
    throw error;
  }
  return pc;
}

// We receive (stream, video_sub): Janus's offer from `command`, our answer. `onTrack` gets each
// track with its transceiver and the server's reply (for video_sub, `streams` says whose stream
// each m-line carries).
export async function receive(room, handle, command, payload, { onTrack } = {}) {
  listenForCandidates(room);
  const offer = await ask(room, command, payload);
  closePeer(handle);
  const pc = new RTCPeerConnection();
  peers.set(handle, pc);
  if (onTrack) pc.addEventListener("track", (event) => onTrack(event.track, event.transceiver, offer));
  try {
    await pc.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    await ask(room, "media.answer", { handle, sdp: pc.localDescription.sdp, trickle: false });
  } catch (error) {
    closePeer(handle);
    throw error;
  }
  return pc;
}
