// Candor status page enhancement. The page is complete without it; this only keeps an open page current:
// it polls the small live JSON (data-live-url) every data-refresh-seconds (at least 2) and, when its
// fingerprint differs from the page's (data-fingerprint), fetches the page again and swaps <main>,
// announcing the new overall status in the aria-live region. Polling pauses while the tab is hidden.
(() => {
  'use strict';
  const body = document.body;
  const liveUrl = body.dataset.liveUrl;
  if (!liveUrl || !window.fetch || !window.DOMParser) return;
  const intervalMs = Math.max(2, Number(body.dataset.refreshSeconds) || 10) * 1000;
  const region = document.getElementById('live-region');
  let timer = 0;
  let swaps = 0;

  async function swapMain() {
    const response = await fetch(location.href, { headers: { accept: 'text/html' }, cache: 'no-cache' });
    if (!response.ok) return false;
    const next = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = next.querySelector('main');
    const main = document.querySelector('main');
    if (!fresh || !main) return false;
    // Keyboard users keep their place: the n-th focusable element of <main> gets the focus back.
    const focusable = 'a[href], button, summary, [tabindex]';
    const focused = document.activeElement;
    const index = focused && main.contains(focused) ? [...main.querySelectorAll(focusable)].indexOf(focused) : -1;
    main.replaceWith(document.adoptNode(fresh));
    if (index >= 0) fresh.querySelectorAll(focusable)[index]?.focus({ preventScroll: true });
    document.title = next.title;
    body.dataset.fingerprint = next.body.dataset.fingerprint || '';
    body.dataset.liveSwaps = String(++swaps);
    return true;
  }

  async function poll() {
    timer = 0;
    try {
      const response = await fetch(liveUrl, { headers: { accept: 'application/json' }, cache: 'no-store' });
      if (response.ok) {
        const live = await response.json();
        if (live.fingerprint !== body.dataset.fingerprint && (await swapMain()) && region) {
          region.textContent = `Status updated: ${live.description}`;
        }
      }
    } catch (error) {
      // Offline or the server restarting: the page stays as it is and the next poll tries again.
      body.dataset.liveError = String(error);
    }
    schedule();
  }

  function schedule() {
    if (!document.hidden && !timer) timer = window.setTimeout(poll, intervalMs);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = 0;
    } else schedule();
  });
  schedule();
})();
