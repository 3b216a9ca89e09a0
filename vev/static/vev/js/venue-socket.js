// The venue socket (/ws/venue/<event>/<space>/, docs/protocol/venue.md) with the envelope of
// docs/protocol/websocket.md: commands with replies, listeners per event type, reconnection
// with back-off (1 s doubling to 30 s, with jitter). "open" fires after every (re)connection,
// so the page re-enters the space and re-joins its call.
export class VenueSocket {
  constructor(event, space) {
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/venue/${encodeURIComponent(event)}/${encodeURIComponent(space)}/`;
    this.listeners = new Map();
    this.pending = new Map();
    this.counter = 0;
    this.delay = 1000;
    this.stopped = false;
    this.connect();
  }

  connect() {
    this.socket = new WebSocket(this.url);
    this.socket.addEventListener("message", (message) => {
      let frame;
      try { frame = JSON.parse(message.data); } catch { return; }
      if (frame.type === "reply") {
        const waiter = this.pending.get(frame.id);
        if (waiter) { this.pending.delete(frame.id); waiter(frame); }
        return;
      }
      if (frame.type === "venue.ready") { this.delay = 1000; this.emit("open", frame); return; }
      this.emit(frame.type, frame);
    });
    this.socket.addEventListener("close", (event) => {
      for (const waiter of this.pending.values()) waiter({ ok: false, error: { code: "closed", message: "" } });
      this.pending.clear();
      this.emit("closed", { code: event.code });
      if (this.stopped || [4401, 4403, 4409].includes(event.code)) return;
      const wait = Math.min(this.delay, 30000) * (0.8 + Math.random() * 0.4);
      this.delay = Math.min(this.delay * 2, 30000);
      setTimeout(() => this.connect(), wait);
    });
  }

  on(type, callback) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(callback);
  }

  emit(type, frame) {
    for (const callback of this.listeners.get(type) || []) callback(frame);
  }

  command(command, payload = {}) {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ ok: false, error: { code: "closed", message: "" } });
    }
    const id = `c${++this.counter}`;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ command, id, payload }));
    });
  }
}

// Strings rendered by the template (no English in JavaScript): data-* of #venue-strings.
export function strings() {
  const data = document.getElementById("venue-strings")?.dataset || {};
  return (key, params = {}) => (data[key] || key).replace(/%\((\w+)\)s/g, (_, name) => params[name] ?? "");
}
