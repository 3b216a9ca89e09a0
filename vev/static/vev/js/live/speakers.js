// The floor, the digital nameplate (points of order and procedural motions, shown above the
// ordinary list in their order of precedence) and the list of speakers. Delegates raise and
// withdraw; in the chair's console (data-view="console") each entry gets the chair's actions.
export function init(room) {
  const panel = room.el("[data-speakers]");
  if (!panel) return;
  const isConsole = room.root.dataset.view === "console";
  const floorEl = panel.querySelector("[data-floor]");
  const timerEl = panel.querySelector("[data-timer]");
  const nameplatesEl = panel.querySelector("[data-nameplates]");
  const queueEl = panel.querySelector("[data-queue]");
  const controls = panel.querySelector("[data-my-controls]");
  let state = null;

  function describe(entry) {
    if (entry.kind === "point_of_order") return room.t("kind_point_of_order");
    if (entry.kind === "motion") return room.t(`motion_${entry.motion}`);
    if (entry.kind === "reply") return room.t("kind_reply");
    return "";
  }

  function row(entry, index, list) {
    const li = room.clone("tpl-speaker");
    li.dataset.entry = entry.id;
    li.querySelector("[data-name]").textContent = entry.name;
    li.querySelector("[data-entity]").textContent = entry.entity ? entry.entity.name : "";
    const kind = describe(entry);
    li.querySelector("[data-kind]").textContent = kind;
    li.querySelector("[data-note]").textContent = entry.note ? `“${entry.note}”` : "";
    if (entry.observer) li.classList.add("observer");
    if (isConsole) li.append(chairActions(entry, index, list));
    return li;
  }

  function chairActions(entry, index, list) {
    const box = document.createElement("span");
    box.className = "actions";
    const give = button(room.t("give_floor"), () => room.command("speakers.give_floor", { entry_id: entry.id }));
    give.dataset.action = "give";
    box.append(give);
    if (list === state.queue) {
      const up = button(room.t("move_up"), () => move(index, -1));
      up.dataset.action = "up";
      up.disabled = index === 0;
      up.setAttribute("aria-label", room.t("move_up_named", { name: entry.name }));
      const down = button(room.t("move_down"), () => move(index, 1));
      down.dataset.action = "down";
      down.disabled = index === list.length - 1;
      down.setAttribute("aria-label", room.t("move_down_named", { name: entry.name }));
      box.append(up, down);
    }
    const dismiss = button(room.t("dismiss"), async () => {
      const reason = window.prompt(room.t("dismiss_reason_prompt")) ?? null;
      if (reason === null) return;
      room.command("speakers.dismiss", { entry_id: entry.id, reason });
    });
    dismiss.className = "secondary";
    dismiss.dataset.action = "dismiss";
    box.append(dismiss);
    return box;
  }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function move(index, delta) {
    const order = state.queue.map((e) => e.id);
    const [id] = order.splice(index, 1);
    order.splice(index + delta, 0, id);
    room.command("speakers.reorder", { order }).then((reply) => {
      if (reply.ok) panel.querySelector(`[data-entry="${id}"] [data-action="give"]`)?.focus();
    });
  }

  // The lists are drawn again on every change: a keyboard user's focus inside them must not be
  // lost to the page. It returns to the same action of the same entry, or, when the entry left
  // the list, to what comes next (the chair: end the floor it was just given).
  function focusInLists() {
    const el = document.activeElement;
    if (!el || !(nameplatesEl.contains(el) || queueEl.contains(el))) return null;
    const li = el.closest("[data-entry]");
    return li ? { entry: li.dataset.entry, action: el.dataset.action } : null;
  }

  function restoreFocus(had) {
    if (!had) return;
    const same = panel.querySelector(`[data-entry="${had.entry}"] [data-action="${had.action}"]`);
    const usable = (el) => el && !el.disabled && !el.hidden && el.offsetParent !== null;
    const endFloor = room.el("[data-chair-floor] [data-end-floor]");
    const next = panel.querySelector("[data-entry] [data-action='give']");
    for (const candidate of [same, String(state.floor?.id) === had.entry ? endFloor : null, next, endFloor]) {
      if (usable(candidate)) { candidate.focus(); return; }
    }
  }

  function render() {
    if (!state) return;
    const had = focusInLists();
    const floor = state.floor;
    floorEl.textContent = floor ? `${floor.name}${floor.entity ? ` (${floor.entity.name})` : ""}${describe(floor) ? ` – ${describe(floor)}` : ""}` : room.t("floor_nobody");
    floorEl.dataset.userId = floor ? floor.user_id : "";
    nameplatesEl.replaceChildren(...state.nameplates.map((e, i) => row(e, i, state.nameplates)));
    nameplatesEl.closest("[data-nameplate-section]").hidden = !state.nameplates.length;
    queueEl.replaceChildren(...state.queue.map((e, i) => row(e, i, state.queue)));
    panel.querySelector("[data-queue-empty]").hidden = state.queue.length > 0;
    panel.querySelector("[data-rule]").textContent = state.members_first ? room.t("rule_members_first") : room.t("rule_in_order");
    renderMine();
    tick();
    if (isConsole) renderConsole();
    restoreFocus(had);
  }

  function mine() {
    const me = room.state?.me;
    if (!me || !state) return [];
    return [...state.nameplates, ...state.queue].filter((e) => e.user_id === me.user_id);
  }

  // A control that disappears under the keyboard's focus hands it to its counterpart (ask for
  // the floor ↔ withdraw; the nameplate's form ↔ lower the nameplate). The browser drops the
  // focus as soon as the element is hidden: ``focused`` is read before anything changes.
  function keepFocus(focused, hidden, counterpart) {
    if (focused && hidden.contains(focused) && hidden.hidden && !counterpart.hidden) {
      (counterpart.elements?.nameplate || counterpart).focus();
    }
  }

  function renderMine() {
    if (!controls) return;
    const focused = controls.contains(document.activeElement) ? document.activeElement : null;
    const me = room.state?.me;
    const waiting = mine();
    const hand = waiting.find((e) => e.kind === "speak" || e.kind === "reply");
    const plate = waiting.find((e) => e.kind === "point_of_order" || e.kind === "motion");
    const active = me && me.mode === "active";
    const open = ["live", "suspended"].includes(room.state?.flow?.status);
    controls.querySelector("[data-raise]").hidden = Boolean(hand);
    controls.querySelector("[data-withdraw]").hidden = !hand;
    controls.querySelector("[data-withdraw]").dataset.entry = hand ? hand.id : "";
    controls.querySelector("[data-nameplate-form]").hidden = Boolean(plate) || !(me && me.kind === "member");
    controls.querySelector("[data-lower]").hidden = !plate;
    controls.querySelector("[data-lower]").dataset.entry = plate ? plate.id : "";
    for (const b of controls.querySelectorAll("button, select, input")) b.disabled = !active || !open;
    controls.querySelector("[data-controls-hint]").textContent = !open
      ? room.t("hint_not_open") : (!active ? room.t("hint_passive") : "");
    const position = hand ? state.queue.findIndex((e) => e.id === hand.id) + 1 : 0;
    controls.querySelector("[data-position]").textContent = position ? room.t("your_position", { n: position }) : "";
    const raise = controls.querySelector("[data-raise]");
    const withdraw = controls.querySelector("[data-withdraw]");
    const plateForm = controls.querySelector("[data-nameplate-form]");
    const lower = controls.querySelector("[data-lower]");
    keepFocus(focused, raise, withdraw);
    keepFocus(focused, withdraw, raise);
    keepFocus(focused, plateForm, lower);
    keepFocus(focused, lower, plateForm);
  }

  function tick() {
    const floor = state?.floor;
    if (!floor || !floor.time_limit_seconds) {
      timerEl.textContent = "";
      timerEl.classList.remove("over");
      return;
    }
    const used = Math.floor((room.now() - Date.parse(floor.floor_at)) / 1000);
    const left = floor.time_limit_seconds - used;
    const mmss = (s) => `${Math.floor(Math.abs(s) / 60)}:${String(Math.abs(s) % 60).padStart(2, "0")}`;
    timerEl.textContent = left >= 0 ? room.t("time_left", { time: mmss(left) }) : room.t("time_over", { time: mmss(left) });
    timerEl.classList.toggle("over", left < 0);
    if (left === 0) room.announce(room.t("time_up"), { urgent: isConsole });
  }
  window.setInterval(tick, 1000);

  // -- my controls ----------------------------------------------------------------------------
  if (controls) {
    controls.querySelector("[data-raise]").addEventListener("click", async () => {
      const reply = await room.command("speakers.raise_hand", { kind: "speak" });
      if (reply.ok) room.announce(room.t("hand_raised"));
    });
    controls.querySelector("[data-reply]")?.addEventListener("click", () => room.command("speakers.raise_hand", { kind: "reply" }));
    controls.querySelector("[data-withdraw]").addEventListener("click", (event) => {
      room.command("speakers.withdraw", { entry_id: Number(event.currentTarget.dataset.entry) });
    });
    controls.querySelector("[data-lower]").addEventListener("click", (event) => {
      room.command("speakers.withdraw", { entry_id: Number(event.currentTarget.dataset.entry) });
    });
    controls.querySelector("[data-nameplate-form]").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      const choice = form.elements.nameplate.value;
      const payload = choice === "point_of_order"
        ? { kind: "point_of_order", note: form.elements.note.value }
        : { kind: "motion", motion: choice, note: form.elements.note.value };
      const reply = await room.command("speakers.raise_nameplate", payload);
      if (reply.ok) { form.reset(); room.announce(room.t("nameplate_raised")); }
    });
  }

  // -- the chair's console --------------------------------------------------------------------
  const chair = room.el("[data-chair-floor]");
  function renderConsole() {
    if (!chair) return;
    chair.querySelector("[data-end-floor]").disabled = !state.floor;
    chair.querySelector("[data-extend]").disabled = !state.floor;
    const ruling = chair.querySelector("[data-ruling-row]");
    ruling.hidden = !(state.floor && (state.floor.kind === "point_of_order" || state.floor.kind === "motion"));
    chair.querySelector("[name=members_first]").checked = state.members_first;
    const limit = chair.querySelector("[name=time_limit]");
    if (document.activeElement !== limit) limit.value = Math.round(state.time_limit_seconds / 60 * 10) / 10;
  }
  if (chair) {
    chair.querySelector("[data-end-floor]").addEventListener("click", () => {
      room.command("speakers.end_floor", { ruling: chair.querySelector("[name=ruling]").value });
      chair.querySelector("[name=ruling]").value = "";
    });
    chair.querySelector("[data-extend]").addEventListener("click", () => room.command("speakers.extend_time", { seconds: 60 }));
    chair.querySelector("[data-clear]").addEventListener("click", () => {
      if (window.confirm(room.t("clear_confirm"))) room.command("speakers.clear");
    });
    chair.querySelector("[name=members_first]").addEventListener("change", (event) => {
      room.command("speakers.set_rules", { members_first: event.currentTarget.checked });
    });
    chair.querySelector("[data-rules-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      const minutes = Number(event.currentTarget.elements.time_limit.value);
      room.command("speakers.set_rules", { time_limit: Math.round(minutes * 60) });
    });
    chair.querySelector("[data-give-to-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      const id = Number(event.currentTarget.elements.participant.value);
      if (id) room.command("speakers.give_floor", { participant_id: id });
    });
    room.root.addEventListener("vev:presence", ({ detail }) => {
      const select = chair.querySelector("[name=participant]");
      const chosen = select.value;
      select.replaceChildren(new Option(room.t("choose_participant"), ""));
      for (const p of detail.people.values()) {
        if (p.status === "present" && p.mode === "active") select.append(new Option(room.person(p), p.id));
      }
      select.value = chosen;
    });
  }

  room.on("room.snapshot", (frame) => { state = frame.speakers; render(); });
  const announceFor = {
    "speakers.floor_given": (f) => f.speakers.floor && room.t("announce_floor", { name: room.person(f.speakers.floor) }),
    "speakers.nameplate_raised": (f) => {
      const entry = f.speakers.nameplates.find((e) => e.id === f.entry_id);
      return entry && isConsole && room.t("announce_nameplate", { name: room.person(entry), what: describe(entry) });
    },
    "speakers.floor_ended": () => room.t("announce_floor_ended"),
  };
  for (const type of ["hand_raised", "nameplate_raised", "withdrawn", "floor_given", "floor_ended", "dismissed", "reordered", "rules_changed", "cleared", "time_extended"]) {
    room.on(`speakers.${type}`, (frame) => {
      const before = state;
      state = frame.speakers;
      render();
      const say = announceFor[frame.type]?.(frame);
      if (say) room.announce(say, { urgent: frame.type === "speakers.nameplate_raised" });
      if (frame.type === "speakers.floor_given" && frame.speakers.floor?.user_id === room.state?.me.user_id) {
        room.announce(room.t("you_have_the_floor"), { urgent: true });
      }
      void before;
    });
  }
  room.on("flow.opened", () => renderMine());
  room.on("flow.closed", () => renderMine());
  room.on("presence.my_status", () => renderMine());
}
