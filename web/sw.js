// Harbour's service worker: it keeps the static files and the offline intake page, so Harbour
// opens with no signal. Pages are asked of the network first; with no network, any page opens
// the offline intake. It keeps nothing about the people recorded: their records wait in the
// page's encrypted queue (app.js). Served by web.serviceWorker, which fills in the two names below.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = 'harbour-' + VERSION;
const OFFLINE = '/offline';

self.addEventListener('install', (event) => {
  // The offline page needs a signed-in officer: it is kept when one asks for it (below).
  const files = PRECACHE.filter((u) => u !== OFFLINE);
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(files)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('harbour-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// keepOffline fetches the offline page as the signed-in officer sees it, in the language of
// the page that asked, and keeps it.
async function keepOffline(lang) {
  const headers = lang ? { 'Accept-Language': lang } : {};
  const res = await fetch(OFFLINE, { credentials: 'same-origin', redirect: 'manual', headers });
  if (res.ok && res.type === 'basic') {
    const cache = await caches.open(CACHE);
    await cache.put(OFFLINE, res);
  }
}

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'keep-offline') {
    event.waitUntil(keepOffline(event.data.lang).catch(() => {}));
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req).catch(async () => {
        const cache = await caches.open(CACHE);
        return (await cache.match(OFFLINE)) || Response.error();
      }),
    );
  }
});
