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

// Live polling (projector results, phone question panel): send the last ETag so an
// unchanged panel costs a 304 (which htmx-config tells htmx not to swap), and pause
// while the tab is hidden.
document.addEventListener("htmx:configRequest", (event) => {
  const elt = event.detail.elt;
  if (elt.hasAttribute("data-etag-poll") && elt.dataset.etag) {
    event.detail.headers["If-None-Match"] = elt.dataset.etag;
  }
});
document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.elt.hasAttribute("data-poll-visible") && document.hidden) event.preventDefault();
});
document.addEventListener("htmx:afterRequest", (event) => {
  const elt = event.detail.elt;
  if (!elt.hasAttribute("data-etag-poll")) return;
  const tag = event.detail.xhr.getResponseHeader("ETag");
  if (tag) elt.dataset.etag = tag;
});

// 100-point split: show the running total while people type.
function updateSplitTotal(fieldset) {
  let total = 0;
  fieldset.querySelectorAll("input[type=number]").forEach((input) => {
    total += Number.parseInt(input.value, 10) || 0;
  });
  const out = fieldset.querySelector(".js-split-total");
  if (out) {
    out.textContent = total;
    out.classList.toggle("text-danger", total !== 100);
  }
}
document.addEventListener("input", (event) => {
  const fieldset = event.target.closest("[data-split-total]");
  if (fieldset) updateSplitTotal(fieldset);
});
document.addEventListener("htmx:afterSettle", (event) => {
  event.target.querySelectorAll("[data-split-total]").forEach(updateSplitTotal);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-split-total]").forEach(updateSplitTotal);
});

// Buttons with data-confirm ask before they submit (without JavaScript they just submit).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
