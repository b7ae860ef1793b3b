// Enable-when on the section pages: show a question only when the answers it depends on hold.
// The server enforces the same rules (a hidden question's data is refused), so this is comfort.
// A hidden question keeps what was typed in it while the page is open (switching an answer away
// and back brings it back): its inputs are disabled, so a save does not send them and the server
// drops the answer only when it is saved hidden.
"use strict";
(function () {
  const form = document.getElementById("section-form");
  if (!form) return;

  function hiddenInput(el) {
    return el.closest("[data-enable-when][hidden]") !== null;
  }

  function valueOf(name) {
    // A hidden question counts as unanswered, as on the server (its answer is not saved).
    const inputs = Array.from(form.querySelectorAll(`[name="${CSS.escape(name)}"]`)).filter((i) => !hiddenInput(i));
    if (!inputs.length) return null;
    const first = inputs[0];
    if (first.type === "checkbox") {
      return Array.from(inputs).filter((i) => i.checked).map((i) => i.value);
    }
    if (first.type === "radio") {
      const checked = Array.from(inputs).find((i) => i.checked);
      return checked ? checked.value : null;
    }
    return first.value === "" ? null : first.value;
  }

  function normalise(value, expected) {
    if (typeof expected === "boolean" && (value === "yes" || value === "no")) return value === "yes";
    return value;
  }

  function holds(cond, scope) {
    let current = normalise(valueOf(scope + cond.field), cond.value);
    const blank = current === null || current === "" || (Array.isArray(current) && !current.length);
    switch (cond.op) {
      case "truthy": return !blank && current !== false;
      case "falsy": return blank || current === false;
      case "eq": return !blank && current === cond.value;
      case "ne": return blank || current !== cond.value;
      case "in": return !blank && cond.value.includes(current);
      case "not_in": return blank || !cond.value.includes(current);
      case "contains": return Array.isArray(current) && current.includes(cond.value);
      case "gte": return !blank && parseFloat(current) >= cond.value;
      case "lte": return !blank && parseFloat(current) <= cond.value;
      default: return true;
    }
  }

  let touched = false;

  function refresh() {
    // Repeated until stable: hiding a question can hide the ones that depend on it.
    for (let pass = 0; pass < 5; pass++) {
      let changed = false;
      form.querySelectorAll("[data-enable-when]").forEach((el) => {
        const conditions = JSON.parse(el.getAttribute("data-enable-when"));
        const scope = el.getAttribute("data-scope") || "";
        // A question the server refused stays visible with its message until the user acts.
        const refused = !touched && el.querySelector(".field-error");
        const shown = Boolean(refused) || conditions.every((c) => holds(c, scope));
        if (el.hidden === shown) { el.hidden = !shown; changed = true; }
      });
      if (!changed) break;
    }
    // Hidden, never cleared: what was typed stays, but is not sent while the question is hidden.
    form.querySelectorAll("[data-enable-when] input, [data-enable-when] select, [data-enable-when] textarea")
      .forEach((el) => { el.disabled = hiddenInput(el); });
  }

  form.addEventListener("change", () => { touched = true; refresh(); });
  form.addEventListener("input", () => { touched = true; refresh(); });
  refresh();
})();
