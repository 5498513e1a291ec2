/* The header's menu button on a phone: the main navigation and the account links fold
 * away under it (static/css/app.css); without this script they stay open. */
"use strict";
(() => {
  const bar = document.querySelector(".topbar");
  const button = bar && bar.querySelector(".menu-toggle");
  if (!button) return;
  bar.classList.add("folding");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = bar.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
})();
