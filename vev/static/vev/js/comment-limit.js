// The comment template: counts words and characters while typing (the limits of half a page),
// saves a draft every few seconds, and keeps the text when the deadline passes.
const form = document.getElementById("comment-form");

if (form) {
  const textarea = form.querySelector("textarea");
  const meter = document.getElementById("comment-meter");
  const draftStatus = document.getElementById("draft-status");
  const submit = form.querySelector("button[type=submit]");
  const maxWords = Number(form.dataset.maxWords);
  const maxChars = Number(form.dataset.maxChars);
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let lastSaved = textarea.value;
  let closed = submit.disabled;

  // The server counts the same way: CRLF as one character, leading/trailing spaces ignored.
  const measure = (text) => {
    const trimmed = text.replace(/\r\n/g, "\n").trim();
    return { words: trimmed ? trimmed.split(/\s+/).length : 0, chars: trimmed.length };
  };

  function update() {
    const { words, chars } = measure(textarea.value);
    meter.textContent = meter.dataset.template
      .replace("{words}", words).replace("{max_words}", maxWords)
      .replace("{chars}", chars).replace("{max_chars}", maxChars);
    const over = words > maxWords || chars > maxChars;
    meter.classList.toggle("over", over);
    if (over) meter.textContent += ` – ${form.dataset.overLabel}`;
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
  }

  async function saveDraft() {
    if (textarea.value === lastSaved) return;
    const text = textarea.value;
    try {
      const response = await fetch(form.dataset.draftUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf },
        body: new URLSearchParams({ text }),
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const result = await response.json();
      lastSaved = text;
      const time = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { timeStyle: "short" }).format(new Date(result.saved_at));
      if (!closed) draftStatus.textContent = `${form.dataset.savedLabel} ${time}`;
      if (!result.open) deadlinePassed();
    } catch { /* offline: the next attempt will save it */ }
  }

  function deadlinePassed() {
    if (closed) return;
    closed = true;
    submit.disabled = true;
    lastSaved = null; // force one save of what is in the box now
    saveDraft();
    draftStatus.textContent = form.dataset.passedLabel;
    draftStatus.setAttribute("role", "alert");
  }

  textarea.addEventListener("input", update);
  setInterval(saveDraft, 5000);
  window.addEventListener("pagehide", () => {
    if (textarea.value !== lastSaved) navigator.sendBeacon(form.dataset.draftUrl, new URLSearchParams({ text: textarea.value, csrfmiddlewaretoken: csrf }));
  });
  document.getElementById("comment-deadline")?.addEventListener("vev:deadline-passed", deadlinePassed);
  update();
}
