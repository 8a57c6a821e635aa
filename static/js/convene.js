// Ask before a destructive action: <form data-confirm="Withdraw this invitation?">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A button marked data-once is disabled once its form is sent: a double click sends one request.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;
  const button = event.submitter;
  if (button && button.hasAttribute("data-once")) {
    // Disabled after the browser has read the form, so the button's own name and value still go.
    window.setTimeout(() => { button.disabled = true; }, 0);
  }
});

// Live progress without reloading the page (a timed refresh would fail WCAG 2.2.1): an element with
// data-refresh="N" is fetched again every N seconds and swapped for its new copy, until the new copy
// no longer asks to be refreshed.
(function refreshLiveRegions() {
  const region = document.querySelector("[data-refresh]");
  if (!region) return;
  const seconds = Number(region.dataset.refresh) || 2;
  window.setTimeout(async () => {
    try {
      const response = await fetch(window.location.href, { headers: { "X-Requested-With": "fetch" } });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById(region.id);
        if (fresh) {
          // The status line stays the same element, so screen readers announce its new text.
          const status = region.querySelector('[role="status"]');
          const freshStatus = fresh.querySelector('[role="status"]');
          if (status && freshStatus) {
            status.textContent = freshStatus.textContent;
            freshStatus.replaceWith(status);
          }
          region.replaceChildren(...fresh.childNodes);
          if (fresh.hasAttribute("data-refresh")) {
            region.dataset.refresh = fresh.dataset.refresh;
          } else {
            region.removeAttribute("data-refresh");
            return;
          }
        }
      }
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    refreshLiveRegions();
  }, seconds * 1000);
})();
