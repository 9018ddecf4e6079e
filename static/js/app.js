// Small progressive enhancements; every page works without them.
"use strict";
document.documentElement.classList.add("js");

function updateCounter(textarea) {
  const counter = document.querySelector(`[data-counter-for="${textarea.id}"]`);
  if (!counter) return;
  const limit = Number(textarea.dataset.counter);
  const length = textarea.value.length;
  counter.querySelector(".js-count").textContent = length;
  counter.classList.toggle("over", length > limit);
}

document.addEventListener("input", (event) => {
  if (event.target.matches("textarea[data-counter]")) updateCounter(event.target);
});

document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});

function init(root) {
  root.querySelectorAll("textarea[data-counter]").forEach(updateCounter);
}
document.addEventListener("DOMContentLoaded", () => init(document));
document.addEventListener("htmx:afterSettle", (event) => init(event.target));
