// Live captions (DM-20/1004 Annex 3): the captioners' text in the language each reader picks,
// final lines announced politely to screen readers, the line being written shown as it grows.
// Frames: the snapshot's "captions" section ({active, languages, lines: {lang: [line…]}}) and
// "captions.line" events carrying a line as it now stands ({language, line_id, number, text,
// final, removed}), so an event applied twice changes nothing. The captioner's page and the
// technical console also show the caption address ([data-caption-feed]).
//
// Works with any page object offering on(type, cb), t(key, vars), el(selector), command(),
// announce() (the meeting room's, or the webcast page's).
const LANGUAGE_KEY = "vev.captions.language";
const SIZE_KEY = "vev.captions.size";
const SIZES = [80, 90, 100, 115, 130, 150, 175, 200];
const KEEP = 300; // lines kept per language in the page

function stored(key, fallback) {
  try { return window.localStorage.getItem(key) ?? fallback; } catch { return fallback; }
}
function store(key, value) {
  try { window.localStorage.setItem(key, value); } catch { /* private mode: not remembered */ }
}

export function init(room) {
  const panel = room.el("[data-captions]");
  if (panel) initPanel(room, panel);
  const feed = room.el("[data-caption-feed]");
  if (feed) initFeed(room, feed);
}

function initPanel(room, panel) {
  const picker = panel.querySelector("[data-captions-language]");
  const status = panel.querySelector("[data-captions-status]");
  const finalList = panel.querySelector("[data-captions-final]");
  const openLine = panel.querySelector("[data-captions-open]");
  const view = panel.querySelector("[data-captions-view]");
  const sizeLabel = panel.querySelector("[data-captions-size-label]");
  const byLanguage = new Map(); // language -> Map(line_id -> line)
  let languages = [...picker.options].map((o) => o.value);
  let active = false;

  for (const option of picker.options) option.textContent = room.t(`captions_lang_${option.value}`);

  function pageLanguage() {
    const lang = (document.documentElement.lang || "en").toLowerCase();
    return lang.startsWith("zh") ? "zh" : lang.split("-")[0];
  }
  let language = stored(LANGUAGE_KEY, "") || pageLanguage();
  if (!languages.includes(language)) language = languages.includes("en") ? "en" : languages[0];
  picker.value = language;

  // Text size, remembered for the next meeting.
  let size = Number(stored(SIZE_KEY, "100"));
  if (!SIZES.includes(size)) size = 100;
  function applySize(announce = false) {
    panel.style.setProperty("--captions-scale", String(size / 100));
    panel.dataset.size = String(size);
    const text = room.t("captions_size", {
      size: new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" }).format(size / 100),
    });
    if (announce) sizeLabel.textContent = text;
    else sizeLabel.textContent = "";
    panel.querySelector("[data-captions-smaller]").disabled = size === SIZES[0];
    panel.querySelector("[data-captions-larger]").disabled = size === SIZES[SIZES.length - 1];
  }
  panel.querySelector("[data-captions-smaller]").addEventListener("click", () => {
    size = SIZES[Math.max(0, SIZES.indexOf(size) - 1)];
    store(SIZE_KEY, String(size));
    applySize(true);
  });
  panel.querySelector("[data-captions-larger]").addEventListener("click", () => {
    size = SIZES[Math.min(SIZES.length - 1, SIZES.indexOf(size) + 1)];
    store(SIZE_KEY, String(size));
    applySize(true);
  });
  applySize();

  function lines(lang) {
    if (!byLanguage.has(lang)) byLanguage.set(lang, new Map());
    return byLanguage.get(lang);
  }

  function keep(map) {
    if (map.size <= KEEP) return;
    const ids = [...map.keys()].sort((a, b) => map.get(a).number - map.get(b).number);
    for (const id of ids.slice(0, map.size - KEEP)) map.delete(id);
  }

  function renderStatus() {
    const name = room.t(`captions_lang_${language}`);
    const has = [...lines(language).values()].some((l) => l.text);
    if (has) status.textContent = room.t("captions_live", { language: name });
    else if (active) status.textContent = room.t("captions_waiting", { language: name });
    else status.textContent = room.t("captions_off");
    panel.dataset.state = has ? "live" : active ? "waiting" : "off";
  }

  function atBottom() {
    return view.scrollHeight - view.scrollTop - view.clientHeight < 40;
  }

  function item(line) {
    const li = document.createElement("li");
    li.dataset.lineId = line.line_id;
    li.dataset.number = line.number;
    li.textContent = line.text;
    return li;
  }

  // Everything again (language chosen, snapshot): not announced, only new final lines are.
  function renderAll() {
    finalList.setAttribute("aria-live", "off");
    const sorted = [...lines(language).values()].filter((l) => l.text).sort((a, b) => a.number - b.number);
    finalList.replaceChildren(...sorted.filter((l) => l.final).map(item));
    openLine.replaceChildren(...sorted.filter((l) => !l.final).map((l) => {
      const span = item(l);
      return span;
    }));
    for (const el of [finalList, view]) {
      el.lang = language;
      el.dir = language === "ar" ? "rtl" : "auto";
    }
    view.scrollTop = view.scrollHeight;
    renderStatus();
    window.setTimeout(() => finalList.setAttribute("aria-live", "polite"), 50);
  }

  function insertSorted(list, li, number) {
    const after = [...list.children].find((c) => Number(c.dataset.number) > number);
    list.insertBefore(li, after || null);
  }

  // One line changed: move it between the open area and the announced list as needed.
  function renderLine(line) {
    const follow = atBottom();
    for (const el of panel.querySelectorAll(`[data-line-id="${line.line_id}"]`)) {
      const inFinal = el.parentElement === finalList;
      if (line.removed || !line.text || inFinal !== line.final || (inFinal && el.textContent !== line.text)) el.remove();
      else el.textContent = line.text;
    }
    if (!line.removed && line.text && !panel.querySelector(`[data-line-id="${line.line_id}"]`)) {
      insertSorted(line.final ? finalList : openLine, item(line), line.number);
    }
    while (finalList.children.length > KEEP) finalList.firstElementChild.remove();
    if (follow) view.scrollTop = view.scrollHeight;
    renderStatus();
  }

  picker.addEventListener("change", () => {
    language = picker.value;
    store(LANGUAGE_KEY, language);
    renderAll();
  });

  room.on("room.snapshot", (frame) => {
    const section = frame.captions || { active: false, languages, lines: {} };
    active = section.active;
    byLanguage.clear();
    for (const [lang, rows] of Object.entries(section.lines || {})) {
      const map = lines(lang);
      for (const row of rows) map.set(row.line_id, { ...row, language: lang });
    }
    renderAll();
  });
  room.on("captions.feed", (frame) => { active = frame.active; renderStatus(); });
  room.on("captions.line", (frame) => {
    const map = lines(frame.language);
    if (frame.removed) map.delete(frame.line_id);
    else map.set(frame.line_id, frame);
    keep(map);
    if (frame.language === language) renderLine(frame);
  });
}

// The caption address, for the captioner and the technical console.
function initFeed(room, box) {
  const mayManage = box.hasAttribute("data-may-manage");
  const statusEl = box.querySelector("[data-feed-status]");
  const address = box.querySelector("[data-feed-address]");
  const url = box.querySelector("[data-feed-url]");
  const seqUrl = box.querySelector("[data-feed-seq-url]");
  const valid = box.querySelector("[data-feed-valid]");
  const streams = box.querySelector("[data-feed-streams]");
  const seqLine = box.querySelector("[data-feed-seq]");
  const resetRow = box.querySelector("[data-feed-reset-row]");
  const createRow = box.querySelector("[data-feed-create-row]");
  const actions = box.querySelector("[data-feed-actions]");
  const languageSelect = box.querySelector("[data-feed-language]");
  if (languageSelect) {
    for (const option of languageSelect.options) option.textContent = room.t(`captions_lang_${option.value}`);
  }
  let timer = null;

  function when(iso) {
    if (!iso) return "";
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium", timeStyle: "medium", timeZone: "UTC",
    }).format(new Date(iso));
  }

  function render(info) {
    box.dataset.active = info.active ? "true" : "false";
    if (createRow) createRow.hidden = info.active;
    if (actions) actions.hidden = !info.active;
    address.hidden = !info.active;
    streams.replaceChildren();
    seqLine.hidden = true;
    resetRow.hidden = true;
    if (!info.active) {
      statusEl.textContent = room.t("captions_feed_none");
      return;
    }
    url.value = info.url || "";
    seqUrl.value = info.seq_url || "";
    statusEl.textContent = info.expired ? room.t("captions_feed_expired") : room.t("captions_feed_ready");
    valid.textContent = room.t("captions_feed_valid", { when: when(info.expires_at) });
    if (!info.streams.length) {
      const li = document.createElement("li");
      li.textContent = room.t("captions_stream_none");
      streams.append(li);
    }
    for (const s of info.streams) {
      const li = room.clone("tpl-feed-stream");
      li.dataset.language = s.language;
      li.querySelector("[data-text]").textContent = room.t("captions_stream", {
        language: room.t(`captions_lang_${s.language}`), seq: s.last_seq, when: when(s.last_post_at),
        posts: s.posts, repeats: s.repeats, missing: s.missing,
      });
      streams.append(li);
    }
    // One numbering per address, whatever the language (Zoom's convention).
    seqLine.hidden = false;
    seqLine.textContent = room.t("captions_address_seq", { seq: info.last_seq ?? 0 });
    resetRow.hidden = !info.streams.length;
  }
  resetRow.querySelector("[data-feed-reset]").addEventListener("click", async () => {
    const reply = await room.command("captions.reset_sequence");
    if (reply.ok) {
      render(reply.result);
      room.announce(room.t("captions_sequence_reset"));
    }
  });

  async function refresh() {
    const reply = await room.command("captions.feed", {}, { quiet: true });
    if (reply.ok) render(reply.result);
  }

  room.on("room.snapshot", () => {
    refresh();
    window.clearInterval(timer);
    timer = window.setInterval(refresh, 10000);
  });
  room.on("captions.feed", () => refresh());
  // Each post shows up in the counters within a second (one refresh per burst of lines).
  let pending = null;
  room.on("captions.line", () => {
    if (pending) return;
    pending = window.setTimeout(() => { pending = null; refresh(); }, 1000);
  });

  box.querySelector("[data-feed-copy]").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(url.value);
      room.announce(room.t("captions_feed_copied"));
    } catch {
      url.focus();
      url.select();
      room.announce(room.t("captions_feed_copy_failed"));
    }
  });
  if (!mayManage) return;
  box.querySelector("[data-feed-create]").addEventListener("click", async () => {
    const reply = await room.command("captions.feed_create", { language: languageSelect.value });
    if (reply.ok) { render(reply.result); room.announce(room.t("captions_feed_ready")); url.focus(); }
  });
  box.querySelector("[data-feed-rotate]").addEventListener("click", async () => {
    if (!window.confirm(room.t("captions_confirm_rotate"))) return;
    const reply = await room.command("captions.feed_rotate");
    if (reply.ok) { render(reply.result); room.announce(room.t("captions_feed_rotated")); url.focus(); }
  });
  box.querySelector("[data-feed-revoke]").addEventListener("click", async () => {
    if (!window.confirm(room.t("captions_confirm_revoke"))) return;
    const reply = await room.command("captions.feed_revoke");
    if (reply.ok) { render(reply.result); room.announce(room.t("captions_feed_revoked")); }
  });
}
