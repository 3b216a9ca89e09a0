// The meeting room socket (docs/protocol/live-room.md): the envelope of websocket.md, resume
// after a drop, reconnect with back-off (1 s doubling to 30 s, with jitter; at once after a
// server reset, code 4000), never after a refusal (4401, 4403).
//
// Events of the room stream and of the participant's own stream carry {stream, seq}; the
// socket remembers the last seq of each and, on reconnect, asks to resume from there
// (?epoch=…&room=…&user=…). The server replays what was missed or sends a new snapshot.
// Listeners receive every frame of their type; "*" receives all.

export class RoomSocket {
  constructor(path) {
    this.path = path;
    this.listeners = new Map();
    this.pending = new Map();
    this.counter = 0;
    this.delay = 1000;
    this.position = null; // {epoch, room, user}
    this.stopped = false;
    this.state = "connecting";
  }

  start() {
    this.connect();
    return this;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let url = `${scheme}://${location.host}${this.path}`;
    if (this.position && this.position.epoch) {
      const p = this.position;
      url += `?epoch=${encodeURIComponent(p.epoch)}&room=${p.room}&user=${p.user}`;
    }
    return url;
  }

  connect() {
    this.setState("connecting");
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("message", (message) => {
      let frame;
      try { frame = JSON.parse(message.data); } catch { return; }
      this.receive(frame);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      for (const [, waiter] of this.pending) {
        waiter({ type: "reply", ok: false, error: { code: "disconnected", message: "" } });
      }
      this.pending.clear();
      if (this.stopped || event.code === 4401 || event.code === 4403 || event.code === 1000) {
        this.setState(event.code === 1000 ? "left" : "refused", event.code);
        return;
      }
      this.setState("reconnecting", event.code);
      const base = event.code === 4000 ? 250 : this.delay;
      const wait = Math.min(base, 30000) * (0.8 + Math.random() * 0.4);
      this.delay = Math.min(this.delay * 2, 30000);
      this.timer = setTimeout(() => this.connect(), wait);
    });
  }

  receive(frame) {
    if (frame.type === "reply") {
      const waiter = this.pending.get(frame.id);
      if (waiter) { this.pending.delete(frame.id); waiter(frame); }
      return;
    }
    if (frame.type === "room.snapshot") {
      this.position = { epoch: frame.epoch, room: frame.seq.room, user: frame.seq.user };
      this.delay = 1000;
      this.setState("open");
    } else if (frame.type === "room.resumed") {
      this.position = { ...(this.position || {}), epoch: frame.epoch };
      this.delay = 1000;
      this.setState("open");
    } else if (frame.stream && typeof frame.seq === "number" && this.position) {
      const last = this.position[frame.stream] ?? 0;
      if (frame.seq <= last) return; // already applied (the server also filters)
      this.position[frame.stream] = frame.seq;
    }
    this.emit(frame.type, frame);
    this.emit("*", frame);
  }

  setState(state, code) {
    this.state = state;
    this.emit("socket.state", { state, code });
  }

  on(type, callback) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(callback);
    return () => this.listeners.get(type).delete(callback);
  }

  emit(type, frame) {
    for (const callback of this.listeners.get(type) || []) {
      try { callback(frame); } catch (error) { console.error(error); }
    }
  }

  command(command, payload = {}) {
    const id = `c${++this.counter}`;
    return new Promise((resolve) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        resolve({ type: "reply", id, ok: false, error: { code: "disconnected", message: "" } });
        return;
      }
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ command, id, payload }));
    });
  }

  leave() {
    this.stopped = true;
    return this.command("room.leave");
  }
}
