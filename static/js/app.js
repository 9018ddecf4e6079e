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

// --- Sessions -------------------------------------------------------------------------------
// Session mode countdown: the server renders the seconds left in data-countdown (and the
// same time as text, so it reads right without JavaScript); here it counts down every
// second and turns into "+m:ss" over time. A swapped-in panel starts from the server again.
function formatClock(seconds) {
  const sign = seconds < 0 ? "+" : "";
  const rest = Math.abs(seconds);
  return `${sign}${Math.floor(rest / 60)}:${String(rest % 60).padStart(2, "0")}`;
}
function initCountdowns(root) {
  root.querySelectorAll("[data-countdown]").forEach((timer) => {
    if (timer.dataset.countdownEnd) return;
    const seconds = Number.parseInt(timer.dataset.countdown, 10);
    if (Number.isNaN(seconds)) return;
    timer.dataset.countdownEnd = String(Date.now() + seconds * 1000);
  });
}
function tickCountdowns() {
  document.querySelectorAll("[data-countdown-end]").forEach((timer) => {
    const left = Math.round((Number(timer.dataset.countdownEnd) - Date.now()) / 1000);
    timer.textContent = formatClock(left);
    const box = timer.closest("[data-countdown-box]");
    if (box) box.classList.toggle("overtime", left < 0);
  });
}
document.addEventListener("DOMContentLoaded", () => {
  initCountdowns(document);
  if (document.querySelector("[data-countdown]")) tickCountdowns();
  window.setInterval(tickCountdowns, 1000);
});
document.addEventListener("htmx:afterSettle", (event) => {
  initCountdowns(event.target);
  tickCountdowns();
});

// Presenter clickers send PageDown/PageUp (or arrows): a button with data-hotkeys="PageDown
// ArrowRight" is clicked by those keys, unless someone is typing in a field.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const button = Array.from(document.querySelectorAll("[data-hotkeys]")).find(
    (candidate) => !candidate.disabled && candidate.dataset.hotkeys.split(" ").includes(event.key),
  );
  if (button) {
    event.preventDefault();
    button.click();
  }
});

// Full screen for the projector (the button is only shown when JavaScript runs).
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-fullscreen]")) return;
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.();
});

// Brown-paper photo uploads: refuse too many files before they travel over a phone's
// connection (the server checks again), and show that a large upload is on its way.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches("input[type=file][data-max-files]")) return;
  const tooMany = input.files.length > Number(input.dataset.maxFiles);
  input.setCustomValidity(tooMany ? input.dataset.maxFilesMessage : "");
  if (tooMany) input.reportValidity();
});
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-busy-text]");
  if (!button || event.defaultPrevented) return;
  button.dataset.idleText = button.textContent;
  button.textContent = button.dataset.busyText;
  button.disabled = true;
});
window.addEventListener("pageshow", (event) => {
  // Back from the next page (bfcache): the button must work again.
  if (!event.persisted) return;
  document.querySelectorAll("button[data-busy-text][data-idle-text]").forEach((button) => {
    button.textContent = button.dataset.idleText;
    button.disabled = false;
  });
});

// Relay vlog upload: refuse a file over the size limit before it is sent (the server checks again).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches("input[type=file][data-max-bytes]")) return;
  const file = input.files && input.files[0];
  const tooLarge = Boolean(file) && file.size > Number(input.dataset.maxBytes);
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
  if (tooLarge) input.reportValidity();
});
