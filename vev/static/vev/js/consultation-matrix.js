// Live updates of the server-rendered consultation matrix (works without this script too).
import { eventStream } from "./event-stream.js";

const table = document.getElementById("consultation-matrix");
const status = document.getElementById("live-status");

if (table) {
  const columns = new Map();
  table.querySelectorAll("thead th.state").forEach((th, index) => columns.set(th.dataset.state, index));
  const stream = eventStream(table.dataset.event);

  stream.on("stream.open", () => { status.textContent = status.dataset.liveLabel; });
  stream.on("stream.closed", () => { status.textContent = status.dataset.offlineLabel; });

  stream.on("consultation.replied", (frame) => {
    const row = table.querySelector(`tbody tr[data-document="${frame.document_id}"]`);
    if (!row) { location.reload(); return; } // a document published since: redraw the table
    const index = columns.get(String(frame.entity_id));
    if (index === undefined) return;
    const cell = row.querySelectorAll("td.cell")[index];
    cell.classList.remove("keep", "move");
    cell.classList.add(frame.choice, "flash");
    cell.textContent = frame.choice === "move" ? table.dataset.moveLetter : table.dataset.keepLetter;
    cell.title = `${frame.entity}: ${frame.choice === "move" ? table.dataset.moveLabel : table.dataset.keepLabel} (${frame.answered_by})`;
    setTimeout(() => cell.classList.remove("flash"), 2000);
    row.querySelector("[data-keep]").textContent = frame.keep;
    row.querySelector("[data-move]").textContent = frame.move;
    setStatus(row, frame.document_status);
    countReplied();
  });

  stream.on("documents.status_changed", (frame) => {
    const row = table.querySelector(`tbody tr[data-document="${frame.document_id}"]`);
    if (row) setStatus(row, frame.status);
  });

  // Council Members with at least one reply: the columns with a filled cell.
  function countReplied() {
    const counter = document.querySelector("[data-replied-count]");
    if (!counter) return;
    const replied = new Set();
    table.querySelectorAll("tbody td.cell.keep, tbody td.cell.move").forEach((cell) => replied.add(cell.dataset.col));
    counter.textContent = counter.dataset.template.replace("{n}", replied.size);
  }

  function setStatus(row, value) {
    row.classList.toggle("moved", value === "moved");
    row.querySelector("[data-status]").textContent =
      value === "moved" ? table.dataset.movedLabel : table.dataset.onagendaLabel;
    const moved = table.querySelectorAll("tbody tr.moved").length;
    const counter = document.querySelector("[data-moved-count]");
    if (counter) counter.textContent = counter.dataset.template.replace("{n}", moved);
  }
}
