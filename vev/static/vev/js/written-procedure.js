// Live updates of a written procedure's page (docs/protocol/event-stream.md, decisions.*).
// The server-rendered page is complete without this script; labels come from data attributes
// of #written-procedure, so there is no English here.
import { eventStream } from "./event-stream.js";

const root = document.getElementById("written-procedure");

if (root) {
  const id = Number(root.dataset.procedure);
  const lang = document.documentElement.lang || undefined;
  const live = document.getElementById("procedure-live");
  const table = document.getElementById("replies-table");
  const tableStatus = document.getElementById("replies-live");
  const form = document.getElementById("reply-form");
  const stream = eventStream(root.dataset.event);
  let interrupted = false;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
  const label = (code) => root.dataset[`label${code.charAt(0).toUpperCase()}${code.slice(1)}`] || code;
  const announce = (text) => { if (live) live.textContent = text; };
  const when = (iso, timeZone) => new Intl.DateTimeFormat(lang, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));

  function closeForm() {
    if (!form) return;
    form.querySelectorAll("button, fieldset").forEach((el) => { el.disabled = true; });
    const box = form.querySelector("textarea");
    if (box) box.readOnly = true; // the text stays, to be copied
  }

  function setCounts(frame) {
    const counts = document.querySelector("[data-live-counts]");
    if (counts) counts.textContent = fill(root.dataset.countsTemplate, frame);
  }

  function setRow(row) {
    if (!table) return;
    const tr = table.querySelector(`tr[data-entity="${row.entity_id}"]`);
    if (!tr) return;
    const choice = tr.querySelector("[data-choice]");
    choice.className = `choice ${row.choice || "none"} flash`;
    choice.textContent = row.choice ? label(row.choice) : "";
    tr.querySelector("[data-statement]").textContent = row.statement || "";
    tr.querySelector("[data-by]").textContent = row.replied_by || "";
    tr.querySelector("[data-at]").textContent = row.replied_at ? when(row.replied_at, root.dataset.eventTz) : "";
    tr.querySelector("[data-changes]").textContent = row.replied_at ? String(row.changes) : "";
    setTimeout(() => choice.classList.remove("flash"), 2000);
  }

  stream.on("stream.open", async () => {
    if (tableStatus) tableStatus.textContent = root.dataset.liveLabel;
    if (interrupted && table) {
      // Replies may have arrived while the connection was down: redraw from a snapshot.
      const reply = await stream.command("decisions.snapshot", { procedure_id: id });
      if (reply.ok) {
        reply.result.rows.forEach(setRow);
        setCounts(reply.result);
      }
    }
    interrupted = false;
  });
  stream.on("stream.closed", () => {
    interrupted = true;
    if (tableStatus) tableStatus.textContent = root.dataset.offlineLabel;
  });
  // The shared connection may have opened before this module ran.
  if (stream.open && tableStatus) tableStatus.textContent = root.dataset.liveLabel;

  stream.on("decisions.replied", (frame) => {
    if (frame.procedure_id !== id) return;
    setRow(frame);
    setCounts(frame);
    if (tableStatus) {
      tableStatus.textContent = fill(root.dataset.repliedTemplate, {
        entity: frame.entity, choice: label(frame.choice), by: frame.replied_by,
      });
    }
  });

  stream.on("decisions.closed", (frame) => {
    if (frame.procedure_id !== id) return;
    closeForm();
    const result = label(frame.result);
    announce(fill(root.dataset.closedTemplate, { result }));
    const panel = document.getElementById("live-result");
    if (panel && !document.getElementById("result")) {
      panel.querySelector("[data-result]").textContent = result;
      panel.querySelector("[data-counts]").textContent = fill(root.dataset.countsTemplate, frame);
      panel.classList.add(`result-${frame.result}`);
      panel.hidden = false;
    }
  });

  stream.on("decisions.withdrawn", (frame) => {
    if (frame.procedure_id !== id) return;
    closeForm();
    announce(fill(root.dataset.withdrawnTemplate, { reason: frame.reason }));
  });

  stream.on("decisions.extended", (frame) => {
    if (frame.procedure_id !== id) return;
    const countdown = document.querySelector("#deadline [data-vev-countdown]");
    if (countdown) countdown.dataset.due = frame.deadline;
    announce(fill(root.dataset.extendedTemplate, { deadline: when(frame.deadline) }));
  });

  // The countdown reached the deadline while the page was open.
  document.addEventListener("vev:deadline-passed", (event) => {
    if (!event.target.closest || !event.target.closest("#deadline")) return;
    if (root.dataset.status !== "open") return;
    closeForm();
    announce(root.dataset.passedTemplate);
  });
}
