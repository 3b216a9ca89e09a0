// Keeps every <span data-vev-countdown data-due="ISO"> counting down in the viewer's browser.
// The server rendered the text already (pages work without JavaScript); when a deadline passes
// the page is told with a "vev:deadline-passed" event (the comment page keeps the draft).
const lang = document.documentElement.lang || undefined;

function parts(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { days: Math.floor(total / 86400), hours: Math.floor((total % 86400) / 3600),
           minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

function format(ms) {
  const p = parts(ms);
  const unit = (value, name) => new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  if (p.days) return `${unit(p.days, "day")} ${unit(p.hours, "hour")}`;
  if (p.hours) return `${unit(p.hours, "hour")} ${unit(p.minutes, "minute")}`;
  return `${unit(p.minutes, "minute")} ${unit(p.seconds, "second")}`;
}

function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll("[data-vev-countdown]")) {
    const due = Date.parse(el.dataset.due);
    const left = due - now;
    if (left <= 0) {
      if (!el.classList.contains("closed")) {
        el.classList.add("closed");
        el.textContent = el.dataset.closedLabel;
        el.dispatchEvent(new CustomEvent("vev:deadline-passed", { bubbles: true, detail: { due: el.dataset.due } }));
      }
      continue;
    }
    el.textContent = (el.dataset.template || "{time}").replace("{time}", format(left));
    el.title = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short" }).format(new Date(due));
  }
}

tick();
setInterval(tick, 1000);
