// Proposed conclusions and the chair's "any objection?" call (docs/procedures.md). Everyone
// sees the call, its countdown and every objection as it comes; a Council Member's delegate
// objects from here; in the chair's console the chair drafts, puts a conclusion to the meeting
// and, when the objection guard holds a call, decides: wait, call again or record the absence.
export function init(room) {
  const panel = room.el("[data-conclusions]");
  if (!panel) return;
  const isChair = room.root.dataset.view === "console";
  const box = panel.querySelector("[data-call]");
  const list = panel.querySelector("[data-conclusion-list]");
  const objectForm = panel.querySelector("[data-object-form]");
  const withdrawButton = panel.querySelector("[data-withdraw-objection]");
  const chairCall = panel.querySelector("[data-chair-call]");
  let state = { call: null, call_conclusion: null, conclusions: [] };

  function myEntity() { return room.state?.me?.entity?.id; }
  function mayPreside() { return Boolean(room.state?.me?.may_preside); }

  function render() {
    const { call, call_conclusion: conclusion } = state;
    const active = call && (call.status === "open" || call.status === "held");
    box.hidden = !active;
    if (active) {
      box.querySelector("[data-call-text]").textContent = conclusion.text;
      const objections = box.querySelector("[data-call-objections]");
      objections.replaceChildren(...call.objections.map((o) => {
        const li = document.createElement("li");
        li.textContent = o.reason ? room.t("objection_by_reason", { state: o.entity, reason: o.reason }) : room.t("objection_by", { state: o.entity });
        return li;
      }));
      box.querySelector("[data-call-status]").textContent = call.objections.length
        ? room.t("call_objected") : (call.status === "held" ? room.t("call_held") : room.t("call_no_objection_yet"));
      const mine = call.objections.some((o) => o.entity_id === myEntity());
      const mayObject = room.state?.me?.may_decide && call.status === "open";
      objectForm.hidden = !mayObject || mine;
      withdrawButton.hidden = !mayObject || !mine;
      chairCall.hidden = !(isChair && mayPreside());
      const hold = box.querySelector("[data-hold]");
      hold.hidden = call.status !== "held";
      if (call.status === "held") {
        const parts = [];
        if (call.absent.length) parts.push(room.t("guard_absent", { states: call.absent.join(", ") }));
        if (call.dropped.length) parts.push(room.t("guard_dropped", { states: call.dropped.join(", ") }));
        box.querySelector("[data-hold-text]").textContent = parts.join(" ");
      }
    }
    list.replaceChildren(...state.conclusions.map(row));
    panel.querySelector("[data-conclusions-empty]").hidden = state.conclusions.length > 0;
    tick();
  }

  function row(c) {
    const li = room.clone("tpl-conclusion");
    li.dataset.conclusion = c.id;
    li.querySelector("[data-state]").textContent = c.number ? `${room.t(`state_${c.state}`)} · ${c.number}` : room.t(`state_${c.state}`);
    li.querySelector("[data-item]").textContent = c.item;
    li.querySelector("[data-text]").textContent = c.text;
    if (c.absence_noted.length) {
      const note = document.createElement("span");
      note.className = "hint";
      note.textContent = ` ${room.t("absence_noted", { states: c.absence_noted.join(", ") })}`;
      li.append(note);
    }
    if (isChair && mayPreside() && (c.state === "draft" || c.state === "called") && !(state.call && ["open", "held"].includes(state.call.status))) {
      const put = document.createElement("button");
      put.type = "button";
      put.textContent = room.t("put_to_meeting");
      put.addEventListener("click", () => {
        const seconds = Number(panel.querySelector("[data-call-seconds]")?.value || 60);
        room.command("conclusions.open_call", { conclusion_id: c.id, seconds });
      });
      li.append(put);
    }
    return li;
  }

  function tick() {
    const call = state.call;
    const el = box.querySelector("[data-call-countdown]");
    if (!call || call.status !== "open") { el.textContent = ""; return; }
    const left = Math.max(0, Math.ceil((Date.parse(call.closes_at) - room.now()) / 1000));
    el.textContent = left > 0 ? room.t("call_seconds_left", { n: left }) : room.t("call_time_up");
  }
  window.setInterval(tick, 500);

  function upsert(conclusion) {
    const index = state.conclusions.findIndex((c) => c.id === conclusion.id);
    if (index >= 0) state.conclusions[index] = conclusion; else state.conclusions.push(conclusion);
  }

  room.on("room.snapshot", (frame) => { state = structuredClone(frame.conclusions); render(); });
  for (const type of ["call_opened", "objection_raised", "objection_withdrawn", "call_held", "call_extended", "call_closed"]) {
    room.on(`conclusions.${type}`, (frame) => {
      state.call = frame.call;
      state.call_conclusion = frame.conclusion;
      upsert(frame.conclusion);
      render();
      if (type === "call_opened") {
        room.announce(room.t("announce_call", { text: frame.conclusion.text }), { urgent: true });
        if (room.state?.me?.may_decide) box.focus();
      } else if (type === "objection_raised") {
        const last = frame.call.objections.at(-1);
        if (last) room.announce(room.t("objection_by", { state: last.entity }), { urgent: true });
      } else if (type === "call_held") {
        room.announce(room.t("call_held"), { urgent: isChair });
      } else if (type === "call_closed") {
        room.announce(room.t(`outcome_${frame.call.outcome || "closed"}`));
      }
    });
  }
  for (const type of ["drafted", "withdrawn"]) {
    room.on(`conclusions.${type}`, (frame) => { upsert(frame.conclusion); render(); });
  }

  objectForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await room.command("conclusions.object", { call_id: state.call.id, reason: objectForm.elements.reason.value });
    if (reply.ok) { objectForm.reset(); room.announce(room.t("objection_recorded")); }
  });
  withdrawButton.addEventListener("click", () => room.command("conclusions.withdraw_objection", { call_id: state.call.id }));
  const resolve = (decision) => room.command("conclusions.resolve_hold", { call_id: state.call.id, decision, seconds: 60 });
  panel.querySelector("[data-hold-wait]").addEventListener("click", () => resolve("wait"));
  panel.querySelector("[data-hold-recall]").addEventListener("click", () => resolve("recall"));
  panel.querySelector("[data-hold-record]").addEventListener("click", () => resolve("record"));
  panel.querySelector("[data-close-call]").addEventListener("click", () => room.command("conclusions.close_call", { call_id: state.call.id }));
  panel.querySelector("[data-draft-form]")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const current = room.state?.flow?.current;
    const reply = await room.command("conclusions.draft", { text: form.elements.text.value, allocation_id: current ? current.allocation_id : null });
    if (reply.ok) form.reset();
  });
}
