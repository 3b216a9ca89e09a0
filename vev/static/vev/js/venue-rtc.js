// A conversation's audio, video and chat: a full mesh of RTCPeerConnections between its
// members, signalled through vev (rtc.signal), which relays only between members of the same
// conversation. The member with the lower user id sends the offer. ICE servers come from the
// server's settings (VEV_VENUE_ICE_SERVERS); without any, browsers on one network connect
// directly (host candidates).
export class Conversation {
  constructor({ socket, me, iceServers, t, videos, chatLog, chatForm, chatInput, micButton, cameraButton, status, names }) {
    Object.assign(this, { socket, me, iceServers, t, videos, chatLog, chatForm, chatInput, micButton, cameraButton, status, names });
    this.peers = new Map();
    this.local = null;
    this.mediaPromise = null;
    this.micOn = true;
    this.cameraOn = true;
    socket.on("rtc.signal", (frame) => this.onSignal(frame));
    socket.on("bubble.message", (frame) => this.onMessage(frame));
    chatForm?.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = chatInput.value.trim();
      if (!text) return;
      const reply = await socket.command("bubble.say", { text });
      if (reply.ok) chatInput.value = "";
      else if (status) status.textContent = reply.error.message;
    });
    micButton?.addEventListener("click", () => this.toggle("audio"));
    cameraButton?.addEventListener("click", () => this.toggle("video"));
  }

  async media() {
    if (!this.mediaPromise) {
      this.mediaPromise = (async () => {
        for (const constraints of [{ audio: true, video: { width: 320, height: 240 } }, { audio: true, video: false }]) {
          try { return await navigator.mediaDevices.getUserMedia(constraints); } catch { /* next */ }
        }
        if (this.status) this.status.textContent = this.t("noMedia");
        return null;
      })();
      this.local = await this.mediaPromise;
      if (this.local) this.tile(this.me, this.local, true);
    }
    return this.mediaPromise;
  }

  toggle(kind) {
    if (!this.local) return;
    const on = kind === "audio" ? (this.micOn = !this.micOn) : (this.cameraOn = !this.cameraOn);
    for (const track of this.local.getTracks()) if (track.kind === kind) track.enabled = on;
    if (kind === "audio") { this.micButton.textContent = this.t(on ? "mute" : "unmute"); this.micButton.setAttribute("aria-pressed", String(!on)); }
    else { this.cameraButton.textContent = this.t(on ? "cameraOff" : "cameraOn"); this.cameraButton.setAttribute("aria-pressed", String(!on)); }
  }

  // The members of the conversation now (user ids, me included).
  async setMembers(ids) {
    const others = ids.filter((id) => id !== this.me);
    for (const id of [...this.peers.keys()]) if (!others.includes(id)) this.drop(id);
    if (!others.length) return;
    await this.media();
    for (const id of others) {
      if (this.peers.has(id)) continue;
      const peer = this.peer(id);
      if (this.me < id) {
        await peer.pc.setLocalDescription(await peer.pc.createOffer());
        this.send(id, "offer", { sdp: peer.pc.localDescription.sdp, type: peer.pc.localDescription.type });
      }
    }
  }

  peer(id) {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer = { pc, pendingIce: [] };
    this.peers.set(id, peer);
    if (this.local) for (const track of this.local.getTracks()) pc.addTrack(track, this.local);
    else { pc.addTransceiver("audio", { direction: "recvonly" }); pc.addTransceiver("video", { direction: "recvonly" }); }
    pc.addEventListener("icecandidate", (event) => { if (event.candidate) this.send(id, "ice", event.candidate.toJSON()); });
    pc.addEventListener("track", (event) => this.tile(id, event.streams[0] || new MediaStream([event.track]), false));
    pc.addEventListener("connectionstatechange", () => {
      const tile = this.videos.querySelector(`[data-peer="${id}"]`);
      if (tile) tile.dataset.state = pc.connectionState;
    });
    return peer;
  }

  send(to, kind, data) { this.socket.command("rtc.signal", { to, kind, data }); }

  async onSignal({ from, kind, data }) {
    if (kind === "bye") { this.drop(from); return; }
    let peer = this.peers.get(from);
    if (kind === "offer") {
      await this.media();
      if (!peer) peer = this.peer(from);
      await peer.pc.setRemoteDescription(data);
      await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      this.send(from, "answer", { sdp: peer.pc.localDescription.sdp, type: peer.pc.localDescription.type });
      for (const candidate of peer.pendingIce.splice(0)) await peer.pc.addIceCandidate(candidate);
    } else if (kind === "answer" && peer) {
      await peer.pc.setRemoteDescription(data);
      for (const candidate of peer.pendingIce.splice(0)) await peer.pc.addIceCandidate(candidate);
    } else if (kind === "ice" && peer) {
      if (peer.pc.remoteDescription) await peer.pc.addIceCandidate(data).catch(() => {});
      else peer.pendingIce.push(data);
    }
  }

  tile(id, stream, mine) {
    let tile = this.videos.querySelector(`[data-peer="${id}"]`);
    if (!tile) {
      tile = document.createElement("figure");
      tile.className = "video-tile";
      tile.dataset.peer = String(id);
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      if (mine) video.muted = true;
      const caption = document.createElement("figcaption");
      caption.textContent = mine ? this.t("you") : (this.names.get(id) || "");
      video.setAttribute("aria-label", this.t("videoOf", { name: caption.textContent }));
      tile.append(video, caption);
      this.videos.append(tile);
    }
    const video = tile.querySelector("video");
    if (video.srcObject !== stream) video.srcObject = stream;
  }

  drop(id) {
    const peer = this.peers.get(id);
    if (peer) peer.pc.close();
    this.peers.delete(id);
    this.videos.querySelector(`[data-peer="${id}"]`)?.remove();
  }

  end() {
    for (const id of [...this.peers.keys()]) this.drop(id);
    if (this.local) for (const track of this.local.getTracks()) track.stop();
    this.local = null;
    this.mediaPromise = null;
    this.videos.replaceChildren();
    if (this.chatLog) this.chatLog.replaceChildren();
  }

  onMessage({ name, text, at }) {
    if (!this.chatLog) return;
    const item = document.createElement("li");
    const when = document.createElement("time");
    when.dateTime = at;
    when.textContent = new Date(at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    item.append(when, " ", this.t("said", { name, text }));
    this.chatLog.append(item);
  }
}
