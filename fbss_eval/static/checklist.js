// Enable-when on the section pages: show a question only when the answers it depends on hold.
// The server enforces the same rules (a hidden question's data is refused), so this is comfort.
"use strict";
(function () {
  const form = document.getElementById("section-form");
  if (!form) return;

  function valueOf(name) {
    const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
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

  function clear(container) {
    container.querySelectorAll("input, select, textarea").forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.type !== "hidden" && el.type !== "submit") el.value = "";
    });
  }

  let touched = false;

  function refresh() {
    form.querySelectorAll("[data-enable-when]").forEach((el) => {
      const conditions = JSON.parse(el.getAttribute("data-enable-when"));
      const scope = el.getAttribute("data-scope") || "";
      // A question the server refused stays visible with its message until the user acts.
      const refused = !touched && el.querySelector(".field-error");
      const shown = refused || conditions.every((c) => holds(c, scope));
      if (!shown && !el.hidden) clear(el);  // data for a question that no longer applies is dropped
      el.hidden = !shown;
    });
  }

  form.addEventListener("change", () => { touched = true; refresh(); });
  form.addEventListener("input", () => { touched = true; refresh(); });
  refresh();
})();
