// Who is in the room, with the entity each represents (DM-20/1004 Annex 3), and my own seat:
// active (may speak) or following the webcast, and why; a delegation hands a seat here.
export function init(room) {
  const list = room.el("[data-presence-list]");
  const counts = room.el("[data-presence-counts]");
  const mine = room.el("[data-my-status]");
  const seat = room.el("[data-seat-panel]");
  let people = new Map();

  function render() {
    const present = [...people.values()].filter((p) => p.status === "present" || p.status === "away");
    const groups = [
      ["staff", room.t("group_presiding_staff")],
      ["member", room.t("group_members")],
      ["observer", room.t("group_observers")],
    ];
    list.replaceChildren();
    for (const [kind, title] of groups) {
      const rows = present.filter((p) => p.kind === kind && p.mode === "active");
      if (!rows.length) continue;
      const heading = document.createElement("h3");
      heading.textContent = `${title} (${rows.length})`;
      const ul = document.createElement("ul");
      ul.className = "people";
      for (const p of rows) {
        const li = room.clone("tpl-person");
        li.dataset.participant = p.id;
        li.dataset.userId = p.user_id;
        li.querySelector("[data-name]").textContent = p.name;
        li.querySelector("[data-entity]").textContent = p.entity ? p.entity.name : "";
        li.querySelector("[data-capacity]").textContent = p.capacity;
        const flags = [];
        if (p.status === "away") flags.push(room.t("status_away"));
        if (p.muted) flags.push(room.t("status_muted"));
        li.querySelector("[data-flags]").textContent = flags.join(" · ");
        li.classList.toggle("away", p.status === "away");
        ul.append(li);
      }
      list.append(heading, ul);
    }
    renderRoster(present);
    room.root.dispatchEvent(new CustomEvent("vev:presence", { detail: { people } }));
  }

  // A closed meeting shows everyone present who is not a Councillor, by name and role.
  const roster = room.el("[data-roster-list]");
  function renderRoster(present) {
    if (!roster) return;
    const rows = present.filter((p) => p.kind !== "member").sort((a, b) => a.name.localeCompare(b.name));
    roster.replaceChildren(...rows.map((p) => {
      const li = document.createElement("li");
      li.dataset.participant = p.id;
      li.textContent = room.t("roster_entry", { name: p.name, role: p.capacity || room.t("roster_no_role") });
      return li;
    }));
    room.el("[data-roster-empty]").hidden = rows.length > 0;
  }

  // Who follows on the webcast, by delegation (names from the snapshot; the counts name ids).
  const passiveSection = room.el("[data-passive-section]");
  const passiveList = room.el("[data-passive-list]");
  let entityNames = {};
  function entityName(id) {
    if (id === "0") return room.t("passive_no_entity");
    return entityNames[id] || room.t("passive_other_entity");
  }
  function renderCounts(c) {
    counts.textContent = room.t("counts", { active: c.active, passive: c.passive });
    if (!passiveList) return;
    const rows = Object.entries(c.passive_by_entity || {})
      .filter(([, n]) => n > 0)
      .map(([id, n]) => [id, entityName(id), n])
      .sort((a, b) => a[1].localeCompare(b[1]));
    passiveList.replaceChildren(...rows.map(([id, name, n]) => {
      const li = document.createElement("li");
      li.dataset.entity = id;
      li.textContent = room.t("passive_entity", { entity: name, count: n });
      return li;
    }));
    passiveSection.hidden = rows.length === 0;
  }

  function renderMine(me) {
    mine.dataset.mode = me.mode;
    const text = me.mode === "active" ? room.t("you_are_active") : room.t("you_are_passive");
    mine.querySelector("[data-mode]").textContent = text;
    mine.querySelector("[data-reason]").textContent = me.reason ? room.t(`reason_${me.reason}`) : "";
    room.root.dataset.mode = me.mode;
    if (seat) seat.hidden = !me.entity || me.kind === "staff";
  }

  room.on("room.snapshot", (frame) => {
    people = new Map(frame.presence.participants.map((p) => [p.id, p]));
    entityNames = frame.presence.entities || {};
    render();
    renderCounts(frame.presence.counts);
    renderMine(frame.me);
  });
  room.on("presence.updated", (frame) => {
    for (const p of frame.participants) {
      const before = people.get(p.id);
      people.set(p.id, p);
      if (p.id === room.state?.me.id) Object.assign(room.state.me, p);
      if (before && before.status === "present" && p.status === "away" && !room.dropExpected(p.id)) {
        room.announce(room.t("announce_dropped", { name: room.person(p) }));
      }
    }
    render();
    renderCounts(frame.counts);
  });
  room.on("presence.my_status", (frame) => {
    if (!room.state) return;
    const changed = room.state.me.mode !== frame.mode;
    Object.assign(room.state.me, { mode: frame.mode, reason: frame.reason, muted: frame.muted });
    renderMine(room.state.me);
    if (changed) room.announce(frame.mode === "active" ? room.t("you_are_active") : room.t("you_are_passive"));
  });

  // Handing a seat within the delegation.
  const form = room.el("[data-seat-form]");
  if (form) {
    room.el("[data-seat-load]")?.addEventListener("click", async () => {
      const reply = await room.command("presence.delegation");
      if (!reply.ok) return;
      const giver = form.elements.giver;
      const receiver = form.elements.receiver;
      giver.replaceChildren();
      receiver.replaceChildren();
      for (const m of reply.result.members) {
        const option = new Option(`${m.name} – ${m.mode === "active" ? room.t("mode_active") : room.t("mode_passive")}`, m.id);
        (m.mode === "active" ? giver : receiver).append(option);
      }
      form.hidden = false;
      giver.focus();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reply = await room.command("presence.hand_seat", {
        giver: Number(form.elements.giver.value), receiver: Number(form.elements.receiver.value),
      });
      if (reply.ok) { form.hidden = true; room.announce(room.t("seat_handed")); }
    });
  }
}
