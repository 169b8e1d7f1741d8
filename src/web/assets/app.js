// Candor status page enhancement. The page is complete without it. It does two things:
// - Uptime bars: each bar strip becomes one keyboard stop where the arrow keys (and Home/End) read one
//   day at a time, and a tap or click on a strip shows that day's details under it (touch screens have
//   no tooltips). Without the script the monitor page lists every day as a table row.
// - Live updates: it polls the small live JSON (data-live-url) every data-refresh-seconds (at least 2)
//   and, when its fingerprint differs from the page's (data-fingerprint), fetches the page again and
//   swaps <main>, announcing the new overall status in the aria-live region. Polling pauses while the
//   tab is hidden.
(() => {
  'use strict';
  const body = document.body;

  function enhanceBars(root) {
    for (const strip of root.querySelectorAll('.bars[role="img"]')) {
      const days = [...strip.children];
      if (days.length === 0) continue;
      const detail = document.createElement('p');
      detail.className = 'bar-day';
      detail.setAttribute('aria-live', 'polite');
      detail.hidden = true;
      const foot = strip.parentElement.querySelector('.bar-foot');
      (foot || strip).after(detail);
      let current = days.length - 1;
      const show = (index) => {
        current = Math.max(0, Math.min(days.length - 1, index));
        days.forEach((day, i) => day.classList.toggle('sel', i === current));
        detail.textContent = days[current].title;
        detail.hidden = false;
      };
      strip.setAttribute('tabindex', '0');
      strip.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight Home End');
      strip.addEventListener('focus', () => show(current));
      strip.addEventListener('click', (event) => {
        // The whole strip is the target, not the 4-pixel bar under the finger.
        const box = strip.getBoundingClientRect();
        show(Math.floor(((event.clientX - box.left) / box.width) * days.length));
      });
      strip.addEventListener('keydown', (event) => {
        const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: days.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        show(moves[event.key]);
      });
    }
  }
  enhanceBars(document);

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
    enhanceBars(fresh);
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
