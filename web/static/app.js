// Harbour's one script. The pages work without it; with it, Harbour installs as an app, opens
// with no signal, and the offline intake (/offline) keeps what the officer records in a queue on
// the phone until the network returns.
//
// The queue lives in IndexedDB. What it holds about a person is encrypted with AES-GCM under a
// key made on this device that can never be read out of it (WebCrypto, extractable: false); the
// key is kept in the same database, so the queue survives reloads and a closed browser. Each
// record carries the ID the phone chose (a UUID v7), so sending it twice records it once. Signing
// out, or another user signing in on this phone, deletes the database, the key and the caches.
// Every word shown comes from the page (the offline page writes its messages as JSON).

const DB = 'harbour';
const STORE = 'queue';
const META = 'meta';

// connections are the database's connections open now. A page that goes while one is open (its
// first one creating the stores, say) can be kept frozen by the browser's back/forward cache,
// still holding the database: the next page's open then waits for ever, and the offline intake
// never shows. So every connection is closed as the page goes, and when another page asks.
const connections = new Set();
addEventListener('pagehide', () => {
  for (const db of connections) db.close();
  connections.clear();
});

function closeDB(db) {
  db.close();
  connections.delete(db);
}

// openDB opens the queue's database, creating its two stores the first time.
function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      connections.add(req.result);
      req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      req.result.createObjectStore(META);
    };
    req.onsuccess = () => {
      const db = req.result;
      connections.add(db);
      db.onversionchange = () => closeDB(db);
      resolve(db);
    };
    req.onerror = () => reject(req.error);
  });
}

// tx runs fn on a store and resolves with the request's result when the transaction completes.
async function tx(store, mode, fn) {
  const db = await openDB();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    const req = fn(t.objectStore(store));
    t.oncomplete = () => { closeDB(db); resolve(req ? req.result : undefined); };
    t.onerror = () => { closeDB(db); reject(t.error); };
    t.onabort = () => { closeDB(db); reject(t.error); };
  });
}

// deviceKey returns this device's queue key, making it the first time. It cannot be exported.
async function deviceKey() {
  const key = await tx(META, 'readonly', (s) => s.get('key'));
  if (key) {
    return key;
  }
  const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await tx(META, 'readwrite', (s) => s.put(made, 'key'));
  return made;
}

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new TextEncoder().encode(JSON.stringify(value));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await deviceKey(), data) };
}

async function open(sealed) {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, await deviceKey(), sealed.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

// wipe deletes everything Harbour keeps on this device: the queue, its key, the caches.
async function wipe() {
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
  if ('caches' in self) {
    for (const name of await caches.keys()) {
      if (name.startsWith('harbour-')) {
        await caches.delete(name);
      }
    }
  }
}

// uuidv7 is a time-ordered UUID (RFC 9562): 48 bits of milliseconds, then random bits.
function uuidv7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// caseReference is the short reference the server gives a case with this ID (referral.caseReference):
// "HB-" and six Crockford base32 symbols from the ID's lowest 30 bits. On the rare clash the
// server reads other bits, and the queue shows the server's reference once sent.
function caseReference(id) {
  const hex = id.replace(/-/g, '');
  let v = BigInt('0x' + hex.slice(16)) & ((1n << 30n) - 1n);
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = alphabet[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return `HB-${out.slice(0, 4)}-${out.slice(4)}`;
}

// enqueue keeps one request to send later, sealed, with only its reference and kind in clear.
async function enqueue(request, reference, kind = 'case') {
  const sealed = await seal(request);
  await tx(STORE, 'readwrite', (s) => s.add({ status: 'waiting', reference, kind, at: Date.now(), sealed }));
}

async function entries() {
  return (await tx(STORE, 'readonly', (s) => s.getAll())) || [];
}

async function update(entry) {
  await tx(STORE, 'readwrite', (s) => s.put(entry));
}

let sending = false;

// A signal that comes back weak often fails the first tries: after a failure of the network (or
// of the server) the queue is tried again by itself, after 2 s, then twice as long each time, up
// to a minute, for as long as the phone says it is online.
let retryIn = 2000;
let retrying = null;

// flush sends what waits, in the order it was recorded, and stops at the first failure of the
// network or of the session: nothing is dropped, and it is tried again later. A refusal (bad
// input, another organisation's record) is kept with the server's reason for the officer to see.
async function flush(render) {
  if (sending || !navigator.onLine) {
    return;
  }
  sending = true;
  let failed = false;
  try {
    // One at a time, reading the queue again each time: what is recorded meanwhile goes too.
    for (let entry; (entry = (await entries()).find((e) => e.status === 'waiting'));) {
      const request = await open(entry.sealed);
      let res;
      try {
        res = await fetch(request.url, {
          method: request.method, credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(request.body),
        });
      } catch {
        failed = true; // no network after all: try again later
        break;
      }
      if (res.status === 401) {
        render('signin');
        break;
      }
      if (res.status >= 500) {
        failed = true;
        break;
      }
      const body = await res.json().catch(() => ({}));
      if (res.ok) {
        entry.status = 'sent';
        entry.reference = body.reference || entry.reference;
        delete entry.sealed; // sent: nothing about her stays on the phone
      } else {
        entry.status = 'rejected';
        entry.reason = [body.detail, ...(body.errors || []).map((e) => e.detail)].filter(Boolean).join(' ');
      }
      await update(entry);
      await render();
    }
  } finally {
    sending = false;
  }
  clearTimeout(retrying);
  if (failed && navigator.onLine) {
    retrying = setTimeout(() => flush(render), retryIn);
    retryIn = Math.min(retryIn * 2, 60000);
  } else if (!failed) {
    retryIn = 2000;
  }
}

// rankOffline ranks the phone's copy of the directory for one person, as the server ranks
// (referral/match.sql, docs/matching.md) as far as a copy allows: the same hard rules, and
// the same scores for language, specialism, response time and free beds; distance is known only
// as "in the city where she was found". The server confirms the choice when the referral is sent.
function rankOffline(services, need, category) {
  const beds = 1 + need.children;
  const out = [];
  for (const s of services) {
    if (s.category !== category) continue;
    if (need.gender && s.genders.length > 0 && !s.genders.includes(need.gender)) continue;
    if (need.minor && !s.accepts_minors) continue;
    if (need.age !== null && ((s.min_age !== null && s.min_age > need.age) || (s.max_age !== null && s.max_age < need.age))) continue;
    if (need.minor && need.age === null && s.min_age !== null && s.min_age >= 18) continue;
    if (need.children > 0 && category === 'shelter' && !s.accepts_children) continue;
    const fits = s.free_beds !== null && (s.free_beds >= beds || (need.children > 0 && s.free_family_rooms >= 1));
    if (need.tonight && category === 'shelter' && !fits) continue;
    // Her first language scores most, one she also understands less (as match.sql does).
    const first = need.languages.length > 0 && s.languages.includes(need.languages[0]);
    const speaks = need.languages.some((l) => s.languages.includes(l));
    let score = first ? 35 : speaks ? 20 : s.interpreter ? 10 : 0;
    if (need.city && s.city.toLowerCase() === need.city.toLowerCase()) score += 25;
    if (need.children > 0 && s.accepts_children) score += 5;
    else if (need.minor && s.max_age !== null && s.max_age < 18) score += 5;
    const r = s.response_minutes;
    score += r === null ? 0 : r <= 30 ? 10 : r <= 120 ? 7 : r <= 1440 ? 3 : 0;
    if (fits) score += 10 + Math.min(5, Math.max(0, s.free_beds - beds));
    out.push({ s, score, speaks });
  }
  return out.sort((a, b) => b.score - a.score || a.s.id.localeCompare(b.s.id)).slice(0, 3);
}

// DIRECTORY_FOR is how long the phone's copy of the directory is fresh enough to keep.
const DIRECTORY_FOR = 15 * 60 * 1000;

// keepDirectory keeps a fresh copy of the directory on the phone when there is a network; a
// copy made lately is kept as it is.
async function keepDirectory() {
  if (!navigator.onLine) return;
  const copy = await tx(META, 'readonly', (s) => s.get('directory'));
  if (copy && Date.now() - Date.parse(copy.generated_at) < DIRECTORY_FOR) return;
  try {
    const res = await fetch('/api/v1/directory/snapshot', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.ok) {
      const fresh = await res.json();
      await tx(META, 'readwrite', (s) => s.put(fresh, 'directory'));
    }
  } catch {
    // keep the copy there is
  }
}

// offlineApp runs the offline intake page.
async function offlineApp(root) {
  const words = JSON.parse(document.getElementById('offline-messages').textContent);
  const form = document.getElementById('offline-form');
  const list = document.getElementById('queue');
  const state = document.getElementById('offline-state');
  let note = '';

  async function render(problem) {
    if (problem === 'signin') {
      note = words['offline.state.signin'];
    }
    state.textContent = note || words[navigator.onLine ? 'offline.state.online' : 'offline.state.offline'];
    const all = await entries();
    list.replaceChildren(...all.map((e) => {
      const li = document.createElement('li');
      li.dataset.status = e.status;
      li.dataset.kind = e.kind || 'case';
      const main = document.createElement('span');
      main.className = 'main';
      main.textContent = e.reference + (e.kind && e.kind !== 'case' ? ' · ' + words['offline.kind.' + e.kind] : '');
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = words['offline.status.' + e.status] + (e.reason ? ' · ' + e.reason : '');
      li.append(main, meta);
      return li;
    }));
    if (all.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = words['offline.empty'];
      list.append(li);
    }
  }

  // showHelp lists, from the phone's copy of the directory, the best help for her now, each
  // with a button that queues a referral after her record.
  async function showHelp(caseID, reference, need) {
    const copy = await tx(META, 'readonly', (s) => s.get('directory'));
    const box = document.getElementById('offline-matches');
    box.replaceChildren();
    document.getElementById('offline-copy').textContent = words['offline.copy'];
    const lang = document.documentElement.lang;
    for (const category of ['shelter', 'legal', 'medical', 'counselling']) {
      const ranked = copy ? rankOffline(copy.services, need, category) : [];
      const h3 = document.createElement('h3');
      h3.textContent = words['category.' + category];
      const ol = document.createElement('ol');
      ol.className = 'list';
      for (const { s, speaks } of ranked) {
        const choose = document.createElement('label');
        choose.className = 'check';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.dataset.service = s.id;
        choose.append(box, ' ' + words['offline.choose']);
        const li = document.createElement('li');
        li.className = 'result';
        const name = document.createElement('span');
        name.className = 'main';
        name.textContent = (s.name_i18n && s.name_i18n[lang]) || s.name;
        const meta = document.createElement('span');
        meta.className = 'meta';
        const bits = [s.city];
        if (speaks) bits.push(words['offline.match.language']);
        if (s.free_beds !== null) bits.push(`${words['offline.match.beds']} ${s.free_beds}`);
        if (s.phone) bits.push(s.phone);
        meta.textContent = bits.join(' · ');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.textContent = words['offline.refer'];
        button.dataset.service = s.id;
        button.addEventListener('click', async () => {
          button.disabled = true;
          button.textContent = words['offline.referred'];
          await enqueue({ method: 'POST', url: '/api/v1/referrals', body: { id: uuidv7(), case_id: caseID, service_id: s.id, urgent: need.tonight } },
            reference, 'referral');
          await render();
          flush(render);
        }, { once: true });
        li.append(name, meta, button, choose);
        ol.append(li);
      }
      if (ranked.length === 0) {
        const li = document.createElement('li');
        li.className = 'empty';
        li.textContent = words['offline.match.none'];
        ol.append(li);
      }
      box.append(h3, ol);
    }
    // The services chosen are queued together, each its own referral, sent in order.
    const send = document.getElementById('offline-send-chosen');
    const fresh = send.cloneNode(false); // one listener, for this person only
    send.replaceWith(fresh);
    fresh.textContent = words['offline.send_chosen'];
    fresh.hidden = false;
    fresh.addEventListener('click', async () => {
      const chosen = [...box.querySelectorAll('input[type="checkbox"]:checked:not(:disabled)')];
      for (const c of chosen) {
        c.disabled = true;
        await enqueue({ method: 'POST', url: '/api/v1/referrals', body: { id: uuidv7(), case_id: caseID, service_id: c.dataset.service, urgent: need.tonight } },
          reference, 'referral');
      }
      if (chosen.length > 0) {
        note = words['offline.chosen_queued'];
        await render();
        flush(render);
      }
    });
    document.getElementById('offline-help').hidden = false;
  }

  // showScreens puts her screens first, in her order, the best one as the main button; for a
  // language that has no screen the officer is told so, and the closest screens are marked,
  // never chosen for her.
  function showScreens(languages, fragment) {
    const table = JSON.parse(document.getElementById('offline-screen-for').textContent || '{}');
    const row = document.getElementById('offline-screens');
    const missing = document.getElementById('offline-screen-missing');
    const buttons = [...row.querySelectorAll('a[data-screen]')];
    const order = [];
    let best = '';
    let missingName = '';
    for (const code of languages) {
      const screens = table[code] || [];
      if (screens.length === 1) {
        if (!best) best = screens[0];
        order.push(screens[0]);
      } else if (!best && !missingName) {
        missingName = (document.querySelector(`#language option[value="${code}"]`) || {}).textContent || code;
        order.push(...screens.slice(1));
      }
    }
    for (const a of buttons) {
      a.href = `/offline/screen?screen=${a.dataset.screen}#${fragment}`;
      a.className = a.dataset.screen === best ? 'button' : 'button secondary';
    }
    const rank = (a) => { const i = order.indexOf(a.dataset.screen); return i < 0 ? order.length : i; };
    row.replaceChildren(...buttons.sort((x, y) => rank(x) - rank(y)));
    missing.hidden = !!best || !missingName;
    missing.textContent = missing.hidden ? '' : words['offline.screen_missing'].replace('{language}', missingName);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = new FormData(form);
    const id = uuidv7();
    const body = {
      id, operation_id: f.get('operation_id') || null, language: f.get('language'),
      other_languages: f.getAll('other_languages').filter(Boolean), gender: f.get('gender'), needs: f.getAll('needs'),
      appears_minor: f.get('appears_minor') === 'on', name_original: f.get('name_original'), found_city: f.get('found_city'),
    };
    const age = String(f.get('age') || '').trim();
    if (age !== '') {
      body.age = /^[0-9]+$/.test(age) ? Number(age) : age; // the server names what is wrong
    }
    form.reset(); // ready for the next person at once; what she said is in body
    const reference = caseReference(id);
    await enqueue({ method: 'POST', url: '/api/v1/cases', body }, reference);
    // Her screen, for this person: her case travels in the fragment, which no request carries.
    const minor = body.appears_minor || (typeof body.age === 'number' && body.age < 18);
    const fragment = new URLSearchParams({ case: id, ref: reference, minor: minor ? '1' : '0' });
    const languages = [body.language, ...body.other_languages].filter(Boolean);
    showScreens(languages, fragment);
    document.getElementById('offline-screen-ref').textContent = reference;
    document.getElementById('offline-screen').hidden = false;
    await showHelp(id, reference, {
      languages, gender: body.gender, age: typeof body.age === 'number' ? body.age : null, minor,
      children: body.needs.includes('children') ? 1 : 0, tonight: body.needs.includes('bed_tonight'), city: body.found_city,
    });
    note = words['offline.saved'];
    await render();
    flush(render);
  });
  document.getElementById('send-now').addEventListener('click', () => flush(render));
  window.addEventListener('online', () => { note = ''; render(); flush(render); keepDirectory(); });
  window.addEventListener('offline', () => { note = ''; render(); });
  keepDirectory();
  // Back from her screen: help for her, from her record still waiting on the phone.
  const her = new URLSearchParams(location.hash.slice(1));
  if (her.get('case')) {
    const entry = (await entries()).find((e) => e.kind === 'case' && e.reference === her.get('ref') && e.sealed);
    if (entry) {
      const { body } = await open(entry.sealed);
      if (body.id === her.get('case')) {
        await showHelp(body.id, entry.reference, {
          languages: [body.language, ...(body.other_languages || [])].filter(Boolean), gender: body.gender, age: typeof body.age === 'number' ? body.age : null,
          minor: her.get('minor') === '1', children: body.needs.includes('children') ? 1 : 0,
          tonight: body.needs.includes('bed_tonight'), city: body.found_city,
        });
      }
    }
  }
  root.hidden = false;
  document.getElementById('offline-needs-script').hidden = true;
  await render();
  flush(render);
}

// offlineScreen runs her screen as kept on the phone: her case comes from the fragment; a child
// is not asked the NRM question; her answers join the queue after her record, each with its own
// ID, and the screen thanks her.
function offlineScreen(form) {
  const her = new URLSearchParams(location.hash.slice(1));
  const caseID = her.get('case');
  for (const a of document.querySelectorAll('.screen-languages a')) {
    a.href = `/offline/screen?screen=${a.hreflang}#${her}`;
  }
  document.querySelector('#screen-done a').href = `/offline#${her}`;
  if (her.get('minor') === '1') {
    form.querySelector('fieldset[data-scope="nrm"]')?.remove();
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!caseID) {
      return;
    }
    for (const fieldset of form.querySelectorAll('fieldset[data-scope]')) {
      const answer = fieldset.querySelector('input[type="radio"]:checked');
      if (answer) {
        await enqueue({
          method: 'POST', url: `/api/v1/cases/${caseID}/consents`,
          body: { id: uuidv7(), scope: fieldset.dataset.scope, given: answer.value === 'yes', language: form.dataset.lang },
        }, her.get('ref'), 'consent');
      }
    }
    document.getElementById('screen-questions').hidden = true;
    document.getElementById('screen-done').hidden = false;
    flush(() => {});
  });
}

// live keeps a signed-in page current while it is open: the server sends an event for each new
// alert (/api/v1/notifications/stream, server-sent events); the badge shows the unread count,
// the status line says what happened, and each part of the page marked data-live is fetched
// again and replaced, so a referral's new status shows without a reload. Forms being filled in
// are left alone.
function live() {
  if (!window.EventSource || !document.body.dataset.user || document.getElementById('offline-app')) {
    return;
  }
  const badge = document.querySelector('[data-unread]');
  const status = document.querySelector('[data-live-status]');
  let refreshing = null;
  const refresh = async () => {
    const parts = [...document.querySelectorAll('[data-live][id]')];
    if (!parts.length) {
      return;
    }
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!res.ok) {
      return;
    }
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
    for (const part of parts) {
      const next = fresh.getElementById(part.id);
      if (next && !part.contains(document.activeElement)) {
        part.replaceWith(document.importNode(next, true));
      }
    }
  };
  const stream = new EventSource('/api/v1/notifications/stream');
  stream.addEventListener('unread', (event) => {
    const { unread } = JSON.parse(event.data);
    if (badge) {
      badge.textContent = String(unread);
      badge.hidden = unread === 0;
    }
  });
  stream.addEventListener('notification', (event) => {
    const note = JSON.parse(event.data);
    if (status) {
      status.textContent = note.title;
      status.hidden = false;
    }
    // Alerts come in bursts (one per step): one refresh at a time, then one more for the rest.
    refreshing = (refreshing || Promise.resolve()).then(refresh).catch(() => {});
  });
  addEventListener('pagehide', () => stream.close());
}

// boot binds the device to the signed-in user, registers the service worker and wires sign-out.
// kept reports whether this device keeps Harbour's database at all. Pages other than the offline
// intake check its owner only when there is one: the database is made on the offline intake,
// where the officer stays, and not on any page she may leave at once (a page left while it makes
// the database can hold it, and the next page then waits for ever). Where the browser cannot
// list its databases, the check opens it, as before.
async function kept() {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === DB);
}

async function boot() {
  const user = document.body.dataset.user;
  const root = document.getElementById('offline-app');
  if (user && (root || await kept().catch(() => true))) {
    const owner = await tx(META, 'readonly', (s) => s.get('user')).catch(() => undefined);
    if (owner !== user) {
      if (owner) {
        await wipe(); // another person's records never reach this user
      }
      await tx(META, 'readwrite', (s) => s.put(user, 'user'));
    }
  }
  for (const form of document.querySelectorAll('form[action="/signout"]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await wipe();
      form.submit();
    });
  }
  if (root) {
    await offlineApp(root);
  }
  const screen = document.getElementById('offline-screen-form');
  if (screen) {
    offlineScreen(screen);
  }
  live();
  // A decision letter's print button (the page prints without it too: the browser's own menu).
  document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));
  // Registered, and so checked for a newer version, only with a network: with none there is
  // nothing to update, and nothing should leave the phone.
  if ('serviceWorker' in navigator && navigator.onLine) {
    try {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      if (user) {
        const ready = await navigator.serviceWorker.ready;
        // The offline page, as this officer sees it, in this page's language.
        ready.active.postMessage({ type: 'keep-offline', lang: document.documentElement.lang });
      }
    } catch {
      // No service worker (offline on the first visit, or not allowed): the pages work without.
    }
  }
}

boot();
