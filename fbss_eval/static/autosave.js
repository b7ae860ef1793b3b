// Autosave of a section page, and a warning before leaving it with edits that are not stored.
//
// A few seconds after the last keystroke or change, and when the page is left, the form is sent
// to its autosave endpoint (CSRF header, the section's _rev and _base). The status line, read out
// by screen readers, says "Saved 14:32", "Not saved: fix the marked fields", "Not saved:
// retrying" or that someone else saved the section (then "Review and merge" submits the form as a
// normal Save, which shows the conflict page: autosave never overwrites a newer version). Leaving
// the page warns while there are edits autosave could not store. Without JavaScript the page
// works as before: Save stores, a stale Save shows the conflict page.
"use strict";
(function () {
  const form = document.getElementById("section-form");
  if (!form || !form.dataset.autosave) return;
  const status = document.getElementById("autosave-status");
  const url = form.dataset.autosave;
  const IDLE_MS = parseInt(form.dataset.autosaveDelay || "2500", 10);
  const RETRY_MS = [3000, 6000, 15000, 30000];

  // The form holds edits that are not stored (from the start on a page shown again with input
  // that was refused, in conflict, or kept over an idle logout).
  let dirty = form.hasAttribute("data-unsaved");
  let version = 0; // bumped by every edit, to know whether an answer covers the latest one
  let timer = null;
  let inflight = false;
  let again = false;
  let stopped = form.hasAttribute("data-conflict"); // a conflict page is resolved with Save
  let submitting = false;
  let failures = 0;

  function say(text) {
    if (status) status.textContent = text;
  }

  function field(name) {
    return form.querySelector(`input[name="${name}"]`);
  }

  function body() {
    const data = new URLSearchParams(new FormData(form));
    data.delete("_action");
    return data;
  }

  function edited() {
    dirty = true;
    version += 1;
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, IDLE_MS);
  }

  function clearMarks() {
    form.querySelectorAll(".autosave-error").forEach((el) => el.remove());
    form.querySelectorAll("[data-autosave-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-autosave-invalid");
    });
  }

  function mark(errors) {
    clearMarks();
    Object.entries(errors || {}).forEach(([id, message]) => {
      const input = document.getElementById(id);
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-autosave-invalid", "");
      if (document.getElementById(`${id}-error`)) return; // the server's own message is there
      const note = document.createElement("p");
      note.className = "field-error autosave-error";
      note.id = `${id}-error`;
      note.textContent = message;
      const box = input.closest(".field") || input.parentElement;
      box.insertBefore(note, box.querySelector("input, select, textarea, .with-unit, .choices"));
    });
  }

  function offerMerge(message) {
    stopped = true;
    say(message);
    if (document.getElementById("autosave-merge")) return;
    const button = document.createElement("button");
    button.type = "submit";
    button.name = "_action";
    button.value = "save";
    button.id = "autosave-merge";
    button.className = "small";
    button.textContent = "Review and merge";
    status.after(button);
  }

  async function save(options) {
    clearTimeout(timer);
    if (!dirty || stopped || submitting) return;
    if (inflight) { again = true; return; }
    inflight = true;
    const sent = version;
    let response = null;
    try {
      response = await fetch(url, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        redirect: "manual",
        keepalive: Boolean(options && options.keepalive),
        headers: { "X-CSRFToken": (field("csrf_token") || {}).value || "", Accept: "application/json" },
      });
    } catch (error) {
      response = null;
    }
    inflight = false;
    handle(response, sent, response && response.ok ? await response.json().catch(() => null) : null);
    if (again) { again = false; save(); }
  }

  async function handle(response, sent, saved) {
    if (response === null || response.status >= 500 || (response.ok && saved === null)) {
      say("Not saved: retrying…");
      timer = setTimeout(save, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
      return;
    }
    failures = 0;
    if (response.type === "opaqueredirect" || response.status === 401) {
      // The session ended (idle logout): the server kept this input for the page; log in again
      // and it comes back in the form.
      stopped = true;
      const answer = await response.json().catch(() => ({}));
      if (answer.login && sent === version) {
        say("Your session ended. What you typed is kept: log in again to save it.");
        submitting = true;
        window.location.assign(answer.login);
      } else {
        say("Not saved: your session ended. Press Save to log in again; what you typed is kept.");
      }
      return;
    }
    if (response.ok) {
      field("_rev").value = String(saved.rev);
      field("_base").value = saved.base;
      if (sent === version) dirty = false;
      clearMarks();
      const at = saved.saved_at ? new Date(saved.saved_at) : new Date();
      say(`Saved ${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`);
      if (dirty) { clearTimeout(timer); timer = setTimeout(save, IDLE_MS); }
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.status === 422) {
      mark(answer.errors);
      say(`${answer.message || "Not saved: fix the marked fields."} ${Object.values(answer.errors || {}).join(" ")}`);
    } else if (response.status === 409) {
      offerMerge(answer.message || "Not saved: someone else saved this section. Review the changes to merge yours.");
    } else {
      stopped = true;
      say(answer.message || "Not saved. Press Save to store your answers.");
    }
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", () => { submitting = true; clearTimeout(timer); });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty || submitting) return;
    event.preventDefault();
    event.returnValue = ""; // the browser shows its own "leave site?" question
  });
  // Leaving (or hiding) the page: one last attempt, which outlives the page (keepalive).
  window.addEventListener("pagehide", () => save({ keepalive: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });
})();
