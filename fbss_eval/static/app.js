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
  // The section list: open beside the form on a wide screen, a closed menu on a narrow one.
  (() => {
    const menu = document.querySelector("details.section-menu");
    if (!menu) return;
    const narrow = window.matchMedia("(max-width: 1000px)");
    const fit = () => { menu.open = !narrow.matches; };
    fit();
    narrow.addEventListener("change", fit);
  })();
});
