// Harbour's service worker: it keeps the static files and the offline intake page, so Harbour
// opens with no signal. Pages are asked of the network first; with no network, any page opens
// the offline intake. It keeps nothing about the people recorded: their records wait in the
// page's encrypted queue (app.js). Served by web.serviceWorker, which fills in the two names below.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = 'harbour-' + VERSION;
const OFFLINE = '/offline';
// The pages kept for a signed-in officer: the offline intake and her screen in each language.
const PAGES = PRECACHE.filter((u) => !u.startsWith('/static/'));

self.addEventListener('install', (event) => {
  // The pages need a signed-in officer: they are kept when one asks for them (below).
  const files = PRECACHE.filter((u) => u.startsWith('/static/'));
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(files)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('harbour-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// KEEP_FOR is how long a kept page is fresh enough not to be fetched again.
const KEEP_FOR = 15 * 60 * 1000;

// fresh reports whether a kept page was fetched lately, in the officer's language.
function fresh(res, lang) {
  return !!res && Date.now() - Date.parse(res.headers.get('Date') || 0) < KEEP_FOR &&
    (!lang || res.headers.get('Content-Language') === lang);
}

// keepOffline fetches the offline pages as the signed-in officer sees them, in the language of
// the page that asked, and keeps them; pages kept lately in that language are left as they are,
// since every page load asks.
async function keepOffline(lang) {
  const headers = lang ? { 'Accept-Language': lang } : {};
  const cache = await caches.open(CACHE);
  for (const page of PAGES) {
    if (fresh(await cache.match(page, { ignoreVary: true }), lang)) {
      continue;
    }
    const res = await fetch(page, { credentials: 'same-origin', redirect: 'manual', headers });
    if (res.ok && res.type === 'basic') {
      await cache.put(page, res);
    }
  }
}

// keeping is the run of keepOffline under way, if any: pages ask on every load, and one run at
// a time is enough.
let keeping = null;

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'keep-offline') {
    keeping = keeping || keepOffline(event.data.lang).catch(() => {}).finally(() => { keeping = null; });
    event.waitUntil(keeping);
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname === '/api/v1/notifications/stream') {
    return; // a live stream: the browser's own connection, which it reconnects itself
  }
  if (url.pathname.startsWith('/api/')) {
    // The API goes to the network, from here: one way out for everything the pages send, so the
    // phone's connection (and a test's "offline") holds for all of it. Nothing is cached.
    event.respondWith(fetch(req));
    return;
  }
  if (req.method !== 'GET') {
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(req, { ignoreVary: true }).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === 'navigate') {
    const address = url.pathname + url.search;
    event.respondWith(
      fetch(req).then((res) => {
        // A kept page the officer opens is kept as it is now: the freshest copy, for free.
        if (PAGES.includes(address) && res.ok && res.type === 'basic' && !res.redirected) {
          const copy = res.clone();
          event.waitUntil(caches.open(CACHE).then((c) => c.put(address, copy)));
        }
        return res;
      }).catch(async () => {
        const cache = await caches.open(CACHE);
        // Kept pages are looked up by address alone (ignoring Vary: they were fetched by this
        // worker, not by the page); any other page opens the offline intake.
        const kept = await cache.match(address, { ignoreVary: true });
        return kept || (await cache.match(OFFLINE, { ignoreVary: true })) || Response.error();
      }),
    );
  }
});
