// The meeting's flow: status, the item under discussion, the agenda with time used, the chair's
// summary of the previous meeting (shown to everyone at the start) and, in the chair's console,
// the controls to open, suspend, take up items and close, and the items delegations missed.
export function init(room) {
  const panel = room.el("[data-flow]");
  if (!panel) return;
  const isConsole = room.root.dataset.view === "console";
  let flow = null;

  function minutes(a, b) {
    if (!a) return "";
    const end = b ? Date.parse(b) : room.now();
    return Math.max(0, Math.round((end - Date.parse(a)) / 60000));
  }

  function render() {
    if (!flow) return;
    if (room.state) room.state.flow = flow;
    panel.querySelector("[data-status]").textContent = room.t(`status_${flow.status}`);
    room.root.dataset.meetingStatus = flow.status;
    const current = flow.current;
    panel.querySelector("[data-current]").textContent = current ? `${current.code} ${current.title}`.trim() : room.t("no_current_item");
    const summary = panel.querySelector("[data-summary]");
    summary.hidden = !flow.summary;
    summary.querySelector("[data-summary-text]").textContent = flow.summary;
    const list = room.el("[data-agenda-list]");
    if (list) {
      list.replaceChildren(...flow.agenda.map((entry) => {
        const li = room.clone("tpl-agenda-item");
        li.dataset.allocation = entry.allocation_id;
        li.querySelector("[data-title]").textContent = `${entry.code} ${entry.title}`.trim();
        const used = minutes(entry.started_at, entry.ended_at);
        li.querySelector("[data-time]").textContent = entry.started_at
          ? room.t("time_used", { used, planned: entry.planned_minutes ?? "–" })
          : (entry.planned_minutes ? room.t("time_planned", { planned: entry.planned_minutes }) : "");
        const isCurrent = current && current.allocation_id === entry.allocation_id;
        if (isCurrent) li.setAttribute("aria-current", "step");
        if (isConsole) {
          const take = document.createElement("button");
          take.type = "button";
          take.textContent = isCurrent ? room.t("close_item") : room.t("take_up_item");
          take.className = isCurrent ? "secondary" : "";
          take.addEventListener("click", () => isCurrent
            ? room.command("flow.close_item")
            : room.command("flow.take_up_item", { allocation_id: entry.allocation_id }));
          take.disabled = flow.status !== "live";
          li.append(take);
        }
        return li;
      }));
    }
    if (isConsole) renderConsole();
  }

  const chair = room.el("[data-chair-flow]");
  function renderConsole() {
    if (!chair) return;
    const s = flow.status;
    chair.querySelector("[data-open]").hidden = !(s === "scheduled");
    chair.querySelector("[data-suspend]").hidden = s !== "live";
    chair.querySelector("[data-resume]").hidden = s !== "suspended";
    chair.querySelector("[data-close]").hidden = !(s === "live" || s === "suspended");
    const textarea = chair.querySelector("[name=summary]");
    if (!textarea.value && (flow.summary || flow.draft_summary)) textarea.value = flow.summary || flow.draft_summary;
    const missed = chair.querySelector("[data-missed]");
    if (flow.missed) {
      missed.replaceChildren(...flow.missed.map((m) => {
        const li = document.createElement("li");
        li.textContent = room.t("missed_item", { entity: m.entity, item: m.item, minutes: m.minutes }) + " ";
        const back = document.createElement("button");
        back.type = "button";
        back.className = "secondary";
        back.textContent = room.t("return_to_item");
        back.addEventListener("click", () => room.command("flow.return_to_item", { item_id: m.item_id }));
        li.append(back);
        return li;
      }));
      chair.querySelector("[data-missed-none]").hidden = flow.missed.length > 0;
      chair.querySelector("[data-absent]").textContent = flow.absent?.length ? room.t("absent_members", { names: flow.absent.join(", ") }) : "";
    }
  }
  if (chair) {
    const act = (selector, command, confirmKey) => chair.querySelector(selector).addEventListener("click", () => {
      if (confirmKey && !window.confirm(room.t(confirmKey))) return;
      room.command(command);
    });
    act("[data-open]", "flow.open");
    act("[data-suspend]", "flow.suspend");
    act("[data-resume]", "flow.resume");
    act("[data-close]", "flow.close", "close_confirm");
    chair.querySelector("[data-summary-form]").addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = await room.command("flow.set_summary", { text: event.currentTarget.elements.summary.value });
      if (reply.ok) room.announce(room.t("summary_shown"));
    });
  }

  room.on("room.snapshot", (frame) => { flow = frame.flow; render(); });
  for (const type of ["opened", "suspended", "resumed", "closed", "item_taken_up", "item_closed", "summary_set", "item_added"]) {
    room.on(`flow.${type}`, (frame) => {
      flow = { ...flow, status: frame.status, current: frame.current, agenda: frame.agenda, summary: frame.summary };
      render();
      if (frame.type === "flow.item_taken_up" && frame.current) {
        room.announce(room.t("announce_item", { item: `${frame.current.code} ${frame.current.title}`.trim() }));
      } else if (["flow.opened", "flow.suspended", "flow.resumed", "flow.closed"].includes(frame.type)) {
        room.announce(room.t(`status_${frame.status}`));
      }
    });
  }
  window.setInterval(() => { if (flow?.current) render(); }, 30000);
}
