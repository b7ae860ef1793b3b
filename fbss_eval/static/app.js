// fbss_eval: small progressive enhancements. Everything works without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  const summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  // Buttons that need a confirmation carry data-confirm="question".
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
});
