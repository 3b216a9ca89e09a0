// The room's chat (docs/protocol/live-room.md, "Chat"): messages to everyone (room stream),
// private to one participant and to the secretariat (own streams, so a resume delivers them).
// The audience picker lists everyone, the secretariat and the people in the room; the
// secretariat answers a participant on their thread; moderators delete with a reason.
export function init(room) {
  const panel = room.el("[data-chat]");
  if (!panel) return;
  const list = panel.querySelector("[data-chat-list]");
  const empty = panel.querySelector("[data-chat-empty]");
  const form = panel.querySelector("[data-chat-form]");
  const picker = panel.querySelector("[data-chat-audience]");
  const textarea = panel.querySelector("[data-chat-text]");
  const error = panel.querySelector("[data-chat-error]");
  const lang = document.documentElement.lang || undefined;
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let messages = new Map();
  let people = new Map();
  let maxLength = 2000;

  const me = () => room.state?.me || {};
  const label = (person) => (person.entity ? `${person.name} (${person.entity.name})` : person.name);

  function clock(iso, zone) {
    return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(new Date(iso));
  }

  function audienceText(m) {
    if (m.audience === "all") return room.t("chat_from_to_all");
    if (m.audience === "private") {
      return m.recipient.user_id === me().user_id ? room.t("chat_private_to_you") : room.t("chat_private_to", { name: m.recipient.name });
    }
    if (m.sender.secretariat && m.recipient) return room.t("chat_from_secretariat", { name: m.recipient.name });
    return room.t("chat_from_to_secretariat");
  }

  function mayDelete(m) {
    if (!me().may_moderate) return false;
    return m.audience === "all" || (m.audience === "secretariat" && me().is_secretariat);
  }

  function row(m) {
    const li = room.clone("tpl-chat-message");
    li.dataset.message = m.id;
    li.dataset.audience = m.audience;
    li.querySelector("[data-sender]").textContent = m.sender.user_id === me().user_id ? room.t("chat_you") : m.sender.name;
    li.querySelector("[data-entity]").textContent = m.sender.entity ? m.sender.entity.name : "";
    li.querySelector("[data-audience]").textContent = audienceText(m);
    const time = li.querySelector("[data-time]");
    time.setAttribute("datetime", m.created_at);
    const zone = room.state?.meeting?.time_zone || "UTC";
    time.textContent = clock(m.created_at, zone);
    if (zone !== viewerZone) time.textContent += ` (${clock(m.created_at, viewerZone)} ${viewerZone})`;
    li.querySelector("[data-text]").textContent = m.text;
    if (m.audience !== "all") li.classList.add("chat-private");
    const actions = document.createElement("p");
    actions.className = "chat-actions";
    if (me().is_secretariat && m.audience === "secretariat" && !m.sender.secretariat && m.sender.participant_id) {
      actions.append(button(room.t("chat_reply"), room.t("chat_reply_named", { name: m.sender.name }), () => {
        threadOption(m.sender);
        picker.value = `s:${m.sender.participant_id}`;
        textarea.focus();
      }));
    }
    if (mayDelete(m)) {
      actions.append(button(room.t("chat_delete"), room.t("chat_delete_named", { name: m.sender.name }), async () => {
        const reason = window.prompt(room.t("chat_delete_reason_prompt"));
        if (reason === null) return;
        await room.command("chat.delete", { message_id: m.id, reason });
      }, "secondary"));
    }
    if (actions.childElementCount) li.append(actions);
    return li;
  }

  function button(text, aria, onClick, className = "") {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", aria);
    if (className) b.className = className;
    b.addEventListener("click", onClick);
    return b;
  }

  function render() {
    list.replaceChildren(...[...messages.values()].map(row));
    empty.hidden = messages.size > 0;
  }

  // The list is a live region (role="log"): screen readers read each new message once, with
  // its sender, audience and time; no separate announcement.
  function add(m) {
    if (messages.has(m.id)) return;
    messages.set(m.id, m);
    list.append(row(m));
    empty.hidden = true;
    list.scrollTop = list.scrollHeight;
  }

  function threadOption(person) {
    const value = `s:${person.participant_id}`;
    if (picker.querySelector(`option[value="${value}"]`)) return;
    const option = new Option(room.t("chat_reply_named", { name: label(person) }), value);
    option.dataset.thread = "true";
    picker.append(option);
  }

  function renderPicker() {
    const chosen = picker.value;
    for (const option of [...picker.options]) if (option.value.startsWith("p:")) option.remove();
    const present = [...people.values()]
      .filter((p) => (p.status === "present" || p.status === "away") && p.user_id !== me().user_id)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const p of present) picker.append(new Option(room.t("chat_to_person", { name: label(p) }), `p:${p.id}`));
    if ([...picker.options].some((o) => o.value === chosen)) picker.value = chosen;
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = !text;
    textarea.setAttribute("aria-invalid", text ? "true" : "false");
  }

  room.on("room.snapshot", (frame) => {
    maxLength = frame.chat.max_length;
    messages = new Map();
    for (const m of frame.chat.messages) messages.set(m.id, m);
    render();
    if (me().is_secretariat) {
      for (const m of frame.chat.messages) if (m.audience === "secretariat" && !m.sender.secretariat) threadOption(m.sender);
    }
  });
  room.on("chat.message", (frame) => {
    add(frame.message);
    if (me().is_secretariat && frame.message.audience === "secretariat" && !frame.message.sender.secretariat) threadOption(frame.message.sender);
  });
  room.on("chat.deleted", (frame) => {
    if (!messages.delete(frame.message_id)) return;
    list.querySelector(`[data-message="${frame.message_id}"]`)?.remove();
    empty.hidden = messages.size > 0;
    room.announce(room.t("chat_deleted", { by: frame.by, reason: frame.reason }));
  });
  room.root.addEventListener("vev:presence", (event) => {
    people = event.detail.people;
    renderPicker();
  });

  textarea.addEventListener("input", () => {
    if (textarea.value.length > maxLength) {
      showError(room.t("chat_too_long", { max: maxLength, length: textarea.value.length }));
    } else {
      showError("");
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    if (text.length > maxLength) {
      showError(room.t("chat_too_long", { max: maxLength, length: text.length }));
      textarea.focus();
      return;
    }
    const [kind, id] = picker.value.split(":");
    const payload = { text };
    if (kind === "p") Object.assign(payload, { audience: "private", to_participant: Number(id) });
    else if (kind === "s") Object.assign(payload, { audience: "secretariat", to_participant: Number(id) });
    else payload.audience = kind;
    const reply = await room.command("chat.send", payload, { quiet: true });
    if (reply.ok) {
      textarea.value = "";
      showError("");
    } else {
      showError(reply.error?.code === "disconnected" ? room.t("disconnected_retry") : (reply.error?.message || room.t("command_failed")));
      textarea.focus();
    }
  });
}
