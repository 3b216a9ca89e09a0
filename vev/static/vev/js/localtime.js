// Adds the viewer's local time next to every <time data-vev-local> rendered in an event's zone.
const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const lang = document.documentElement.lang || undefined;

export function renderLocalTimes(root = document) {
  for (const el of root.querySelectorAll("time[data-vev-local]")) {
    const slot = el.nextElementSibling;
    if (!slot || !slot.classList.contains("vev-local-time")) continue;
    if (el.dataset.eventTz === viewerZone) { slot.textContent = ""; continue; }
    const when = new Date(el.getAttribute("datetime"));
    const options = el.dataset.fmt === "time"
      ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    const text = new Intl.DateTimeFormat(lang, { ...options, timeZoneName: "short" }).format(when);
    slot.textContent = ` (${slot.dataset.label}: ${text})`;
    slot.title = viewerZone;
  }
}

renderLocalTimes();
