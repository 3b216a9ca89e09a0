// The schedule's “Join” buttons follow the clock: each turns on when its window opens
// (data-join-opens) and off when it closes (data-join-closes), without reloading the page, and
// each change is said in the page's status region for screen readers. The server rendered the
// state of the moment (the page works without JavaScript) and refuses outside the window anyway.
const strings = document.getElementById("schedule-strings")?.dataset;
const status = document.getElementById("join-status");
const cells = [...document.querySelectorAll("td[data-join-opens]")];
// The server's clock, not the computer's: a delegate's clock may be off by minutes.
const skew = strings && strings.now ? Date.parse(strings.now) - Date.now() : 0;
const MAX_WAIT = 60_000;
let timer = null;

const now = () => Date.now() + (Number.isFinite(skew) ? skew : 0);
const fill = (text, what) => text.replace("%(what)s", what);

function stateOf(cell, at) {
  const opens = Date.parse(cell.dataset.joinOpens);
  const closes = cell.dataset.joinCloses ? Date.parse(cell.dataset.joinCloses) : Infinity;
  if (at >= closes) return "ended";
  if (at >= opens) return "open";
  return "early";
}

function render(cell, state) {
  if (state === "open") {
    const link = document.createElement("a");
    link.className = "button";
    link.href = cell.dataset.joinUrl;
    link.textContent = strings.join;
    cell.replaceChildren(link);
  } else if (state === "ended") {
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = strings.ended;
    cell.replaceChildren(hint);
  }
  const row = cell.closest("tr");
  row?.classList.remove("state-early", "state-open");
  row?.classList.add(`state-${state}`);
  cell.dataset.joinState = state;
}

function check() {
  clearTimeout(timer);
  const at = now();
  const said = [];
  let next = Infinity;
  for (const cell of cells) {
    const state = stateOf(cell, at);
    const before = cell.dataset.joinState || cell.closest("tr")?.className.match(/state-(\w+)/)?.[1];
    if (state !== before && (state === "open" || state === "ended")) {
      render(cell, state);
      if (before) said.push(fill(state === "open" ? strings.opened : strings.closed, cell.dataset.joinWhat));
    } else {
      cell.dataset.joinState = state;
    }
    for (const edge of [Date.parse(cell.dataset.joinOpens), Date.parse(cell.dataset.joinCloses)]) {
      if (edge > at) next = Math.min(next, edge);
    }
  }
  if (said.length && status) status.textContent = said.join(" ");
  if (cells.length) timer = setTimeout(check, Math.max(250, Math.min(next - at, MAX_WAIT)));
}

if (strings && cells.length) {
  check();
  // After a computer wakes up, timers are late: look again at once.
  document.addEventListener("visibilitychange", () => { if (!document.hidden) check(); });
}
