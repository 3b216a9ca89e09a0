// One WebSocket per page to /ws/events/<slug>/ (docs/protocol/event-stream.md), shared by every
// module that imports it: the envelope of docs/protocol/websocket.md, reconnect with back-off
// (1 s doubling to 30 s, with jitter), listeners per event type, commands with replies.
const streams = new Map();

class EventStream {
  constructor(slug) {
    this.slug = slug;
    this.listeners = new Map();
    this.pending = new Map();
    this.counter = 0;
    this.delay = 1000;
    this.open = false;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new WebSocket(`${scheme}://${location.host}/ws/events/${encodeURIComponent(this.slug)}/`);
    this.socket.addEventListener("open", () => {
      this.open = true;
      this.delay = 1000;
      this.emit("stream.open", {});
    });
    this.socket.addEventListener("message", (message) => {
      let frame;
      try { frame = JSON.parse(message.data); } catch { return; }
      if (frame.type === "reply") {
        const waiter = this.pending.get(frame.id);
        if (waiter) { this.pending.delete(frame.id); waiter(frame); }
        return;
      }
      this.emit(frame.type, frame);
    });
    this.socket.addEventListener("close", (event) => {
      this.open = false;
      this.emit("stream.closed", { code: event.code });
      if (event.code === 4401 || event.code === 4403) return; // not allowed: do not retry
      const wait = Math.min(this.delay, 30000) * (0.8 + Math.random() * 0.4);
      this.delay = Math.min(this.delay * 2, 30000);
      setTimeout(() => this.connect(), wait);
    });
  }

  on(type, callback) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(callback);
    return () => this.listeners.get(type).delete(callback);
  }

  emit(type, frame) {
    for (const callback of this.listeners.get(type) || []) callback(frame);
  }

  command(command, payload = {}) {
    const id = `c${++this.counter}`;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ command, id, payload }));
    });
  }
}

export function eventStream(slug) {
  if (!streams.has(slug)) streams.set(slug, new EventStream(slug));
  return streams.get(slug);
}
