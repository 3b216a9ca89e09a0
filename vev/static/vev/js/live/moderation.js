// Moderation: everyone sees whether all are muted and whether the room is locked (and their
// own mute); in the chair's console the buttons act, and each person in the list gets mute,
// unmute and remove.
export function init(room) {
  const banner = room.el("[data-moderation]");
  const isConsole = room.root.dataset.view === "console";
  let moderation = { locked: false, muted_all: false };

  function render() {
    if (banner) {
      const notes = [];
      if (moderation.muted_all) notes.push(room.t("muted_all_notice"));
      if (moderation.locked) notes.push(room.t("locked_notice"));
      if (room.state?.me?.muted) notes.push(room.t("you_are_muted"));
      banner.textContent = notes.join(" ");
      banner.hidden = !notes.length;
    }
    const controls = room.el("[data-chair-moderation]");
    if (controls) {
      controls.querySelector("[data-mute-all]").hidden = moderation.muted_all;
      controls.querySelector("[data-unmute-all]").hidden = !moderation.muted_all;
      controls.querySelector("[data-lock]").hidden = moderation.locked;
      controls.querySelector("[data-unlock]").hidden = !moderation.locked;
    }
  }

  // The chair's console: who was removed, each with a control to readmit them.
  const removedList = room.el("[data-removed-list]");
  let removed = new Map();
  function renderRemoved() {
    if (!removedList) return;
    removedList.replaceChildren(...[...removed.values()].map((p) => {
      const li = document.createElement("li");
      li.dataset.participant = p.id;
      const text = document.createElement("span");
      text.textContent = room.t("removed_entry", { name: room.person(p), reason: p.reason || "" });
      const readmit = document.createElement("button");
      readmit.type = "button";
      readmit.className = "secondary";
      readmit.textContent = room.t("readmit");
      readmit.setAttribute("aria-label", room.t("readmit_named", { name: room.person(p) }));
      readmit.addEventListener("click", () => room.command("moderation.readmit", { participant_id: p.id }));
      li.append(text, " ", readmit);
      return li;
    }));
    room.el("[data-removed-none]").hidden = removed.size > 0;
  }

  room.on("room.snapshot", (frame) => {
    moderation = frame.moderation;
    render();
    removed = new Map((frame.moderation.removed || []).map((p) => [p.id, p]));
    renderRemoved();
  });
  for (const type of ["muted_all", "unmuted_all", "locked", "unlocked"]) {
    room.on(`moderation.${type}`, (frame) => {
      moderation = { locked: frame.locked, muted_all: frame.muted_all };
      render();
      room.announce(room.t(`announce_${type}`, { by: frame.by }), { urgent: type === "muted_all" });
    });
  }
  room.on("presence.my_status", (frame) => {
    const was = room.state?.me?.muted;
    if (room.state) room.state.me.muted = frame.muted;
    render();
    if (was !== frame.muted) room.announce(frame.muted ? room.t("you_are_muted") : room.t("you_are_unmuted"), { urgent: true });
  });
  room.on("moderation.participant_removed", (frame) => {
    room.announce(room.t("announce_removed", { name: room.person(frame.participant) }));
    removed.set(frame.participant.id, { ...frame.participant, reason: frame.reason });
    renderRemoved();
  });
  room.on("moderation.participant_readmitted", (frame) => {
    if (removedList) room.announce(room.t("announce_readmitted", { name: room.person(frame.participant) }));
    removed.delete(frame.participant.id);
    renderRemoved();
  });

  if (!isConsole) return;
  const controls = room.el("[data-chair-moderation]");
  const bind = (selector, command, confirmKey) => controls.querySelector(selector).addEventListener("click", () => {
    if (confirmKey && !window.confirm(room.t(confirmKey))) return;
    room.command(command);
  });
  bind("[data-mute-all]", "moderation.mute_all");
  bind("[data-unmute-all]", "moderation.unmute_all");
  bind("[data-lock]", "moderation.lock");
  bind("[data-unlock]", "moderation.unlock");

  // Per-person actions in the list of who is in the room.
  room.root.addEventListener("vev:presence", ({ detail }) => {
    for (const li of room.root.querySelectorAll("[data-presence-list] [data-participant]")) {
      const p = detail.people.get(Number(li.dataset.participant));
      if (!p || p.kind === "staff") continue;
      const box = document.createElement("span");
      box.className = "actions";
      const mute = document.createElement("button");
      mute.type = "button";
      mute.className = "secondary";
      mute.textContent = p.muted ? room.t("unmute") : room.t("mute");
      mute.setAttribute("aria-label", (p.muted ? room.t("unmute_named") : room.t("mute_named")).replace("%(name)s", p.name));
      mute.addEventListener("click", () => room.command(p.muted ? "moderation.unmute" : "moderation.mute", { participant_id: p.id }));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "danger";
      remove.textContent = room.t("remove");
      remove.setAttribute("aria-label", room.t("remove_named", { name: p.name }));
      remove.addEventListener("click", () => {
        const reason = window.prompt(room.t("remove_reason_prompt", { name: room.person(p) }));
        if (reason) room.command("moderation.remove", { participant_id: p.id, reason });
      });
      box.append(mute, remove);
      li.append(box);
    }
  });
}
