// Support in the room: the "report a problem" form (the browser and the connection's state are
// added automatically), the status of my reports, and on the technical console the event's
// open tickets live (take, resolve) and the connection log of this room.
export function init(room) {
  const panel = room.el("[data-support]");
  if (!panel) return;
  const openButton = panel.querySelector("[data-report-open]");
  const form = panel.querySelector("[data-report-form]");
  const error = panel.querySelector("[data-report-error]");
  const mineList = panel.querySelector("[data-my-tickets]");
  const mineTitle = panel.querySelector("[data-mine-title]");
  const ticketList = panel.querySelector("[data-tickets]");
  const ticketsEmpty = panel.querySelector("[data-tickets-empty]");
  const connectionsBody = panel.querySelector("[data-connections-body]");
  const lang = document.documentElement.lang || undefined;
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let mine = new Map();
  let open = new Map();

  function when(iso) {
    if (!iso) return "";
    const zone = room.state?.meeting?.time_zone || "UTC";
    const fmt = (z) => new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: z }).format(new Date(iso));
    return zone === viewerZone ? fmt(zone) : `${fmt(zone)} (${fmt(viewerZone)} ${viewerZone})`;
  }

  function setFormOpen(show) {
    form.hidden = !show;
    openButton.setAttribute("aria-expanded", String(show));
    if (show) form.elements.category.focus(); else openButton.focus();
  }
  openButton.addEventListener("click", () => setFormOpen(form.hidden));
  panel.querySelector("[data-report-cancel]").addEventListener("click", () => setFormOpen(false));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await room.command("support.report", {
      category: form.elements.category.value,
      description: form.elements.description.value,
      user_agent: navigator.userAgent,
      connection_state: `${room.socket.state}${navigator.onLine ? "" : " (offline)"}`,
    }, { quiet: true });
    if (!reply.ok) {
      error.textContent = reply.error?.code === "disconnected" ? room.t("disconnected_retry") : (reply.error?.message || room.t("command_failed"));
      error.hidden = false;
      form.elements.description.focus();
      return;
    }
    error.hidden = true;
    form.reset();
    setFormOpen(false);
    room.announce(room.t("ticket_reported", { id: reply.result.ticket_id }));
  });

  function renderMine() {
    mineList.replaceChildren(...[...mine.values()].map((t) => {
      const li = document.createElement("li");
      li.dataset.ticket = t.id;
      li.dataset.status = t.status;
      const parts = [room.t("ticket_mine_status", { id: t.id, category: room.t(`ticket_category_${t.category}`), status: room.t(`ticket_status_${t.status}`) })];
      if (t.assignee) parts.push(room.t("ticket_taken_by", { name: t.assignee }));
      if (t.resolution) parts.push(room.t("ticket_resolution", { text: t.resolution }));
      li.textContent = parts.join(" · ");
      return li;
    }));
    mineTitle.hidden = mine.size === 0;
  }

  function ticketRow(t) {
    const li = room.clone("tpl-ticket");
    li.dataset.ticket = t.id;
    li.dataset.status = t.status;
    const who = t.reporter_entity ? `${t.reporter} (${t.reporter_entity.name})` : t.reporter;
    li.querySelector("[data-ticket-title]").textContent = `#${t.id} ${room.t(`ticket_category_${t.category}`)} – ${room.t("ticket_from", { name: who, meeting: t.meeting })} – ${when(t.created_at)}`;
    li.querySelector("[data-ticket-status]").textContent = t.assignee ? `${room.t(`ticket_status_${t.status}`)}: ${t.assignee}` : room.t(`ticket_status_${t.status}`);
    li.querySelector("[data-ticket-description]").textContent = t.description;
    li.querySelector("[data-ticket-context]").textContent = room.t("ticket_context", { agent: t.user_agent || "?", state: t.connection_state || "?", drops: t.context?.drops ?? 0 });
    const actions = li.querySelector("[data-ticket-actions]");
    if (t.assignee_id !== room.state?.me?.user_id) {
      actions.append(button(room.t("ticket_take"), room.t("ticket_take_named", { id: t.id }), () => room.command("support.take", { ticket_id: t.id })));
    }
    actions.append(button(room.t("ticket_resolve"), room.t("ticket_resolve_named", { id: t.id }), () => {
      const resolution = window.prompt(room.t("ticket_resolution_prompt"));
      if (resolution === null) return;
      room.command("support.resolve", { ticket_id: t.id, resolution });
    }));
    return li;
  }

  function button(text, aria, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = text;
    b.setAttribute("aria-label", aria);
    b.addEventListener("click", onClick);
    return b;
  }

  function renderOpen() {
    if (!ticketList) return;
    ticketList.replaceChildren(...[...open.values()].map(ticketRow));
    ticketsEmpty.hidden = open.size > 0;
  }

  function renderConnections(rows) {
    if (!connectionsBody) return;
    connectionsBody.replaceChildren(...rows.map((c) => {
      const tr = document.createElement("tr");
      tr.dataset.connection = c.id;
      tr.dataset.reason = c.close_reason || "open";
      const cells = [
        c.entity ? `${c.name} (${c.entity})` : c.name,
        when(c.opened_at),
        c.closed_at ? when(c.closed_at) : "",
        c.closed_at ? room.t(`close_reason_${c.close_reason}`) : room.t("connection_open_now"),
      ];
      for (const text of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      // An open connection can be reset: the participant's page reconnects and catches up.
      const action = document.createElement("td");
      if (!c.closed_at) {
        const who = c.entity ? `${c.name} (${c.entity})` : c.name;
        const reset = button(room.t("connection_reset"), room.t("connection_reset_named", { name: who }), async () => {
          room.expectDrop(c.participant_id);
          const reply = await room.command("support.reset_connection", { participant_id: c.participant_id });
          if (!reply.ok) room.expectedDrops.delete(c.participant_id);
          if (reply.ok) {
            room.announce(room.t("connection_reset_done", { name: who }));
            refreshConnections();
          }
        });
        reset.dataset.resetConnection = c.participant_id;
        reset.setAttribute("aria-describedby", "connection-reset-hint");
        action.append(reset);
      }
      tr.append(action);
      return tr;
    }));
  }

  // The log is re-read (at most every second) when presence changes: a join, leave or drop.
  let refreshing = null;
  function refreshConnections() {
    if (!connectionsBody || refreshing) return;
    refreshing = window.setTimeout(async () => {
      const reply = await room.command("support.connections", {}, { quiet: true });
      refreshing = null;
      if (reply.ok) renderConnections(reply.result.connections);
    }, 1000);
  }

  room.on("room.snapshot", (frame) => {
    mine = new Map(frame.support.mine.map((t) => [t.id, t]));
    renderMine();
    if (frame.support.open) {
      open = new Map(frame.support.open.map((t) => [t.id, t]));
      renderOpen();
    }
    if (frame.support.connections) renderConnections(frame.support.connections);
  });
  room.on("room.resumed", () => refreshConnections());
  room.on("presence.updated", () => refreshConnections());
  for (const type of ["support.ticket_opened", "support.ticket_taken", "support.ticket_resolved"]) {
    room.on(type, (frame) => {
      const t = frame.ticket;
      if (t.reporter_id === room.state?.me?.user_id && t.meeting_id === room.state?.meeting?.id) {
        const known = mine.has(t.id);
        mine.set(t.id, t);
        renderMine();
        if (known) room.announce(room.t("ticket_changed", { id: t.id, status: room.t(`ticket_status_${t.status}`) }));
      }
      if (ticketList && room.state?.me?.may_support) {
        if (t.status === "resolved") open.delete(t.id); else open.set(t.id, t);
        renderOpen();
        if (type === "support.ticket_opened") room.announce(room.t("ticket_new", { name: t.reporter, category: room.t(`ticket_category_${t.category}`) }));
      }
    });
  }
}
