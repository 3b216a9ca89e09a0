// Keeps the unread count in the header current while an event page is open.
import { eventStream } from "./event-stream.js";

const slug = document.body.dataset.vevEvent;
const badge = document.querySelector("[data-vev-unread]");
const label = document.querySelector("[data-vev-unread-label]");
if (slug && badge) {
  eventStream(slug).on("notifications.created", (frame) => {
    badge.textContent = String(frame.unread);
    badge.hidden = frame.unread === 0;
    if (label) label.textContent = label.dataset.template.replace("{n}", String(frame.unread));
  });
}
