// Tend's service worker: the app shell of this build, cache first, so the app
// opens without a network; and the last-known plan, agenda and care team,
// network first, for reading offline. Writes are never cached: the app keeps
// them in its outbox (IndexedDB) until the server has them.
//
// BUILD is written by tools/service-worker.mjs at build time: the build's
// version and its files. A new build changes this file, so the browser
// installs the new worker, which caches the new shell and drops the old one.
// Left null (trunk serve), the worker caches nothing.
const BUILD = null;

const SHELL = BUILD && `tend-shell-${BUILD.version}`;
const DATA = 'tend-data';
// Only these reads are kept, never anything under /api/calendar/ or any write.
const DATA_PATHS = /^\/api\/patients\/\d+\/(agenda|plan|care-team)$/;

self.addEventListener('install', (event) => {
  if (!BUILD) return;
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(BUILD.files.map((file) => new Request(file, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('tend-shell-') && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/session' && request.method !== 'GET') {
    // Logging in or out: one account's data never shows to the next.
    event.waitUntil(caches.delete(DATA));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    if (DATA_PATHS.test(url.pathname)) event.respondWith(networkFirst(event));
    return;
  }
  if (!SHELL) return;
  const page = request.mode === 'navigate' && !url.pathname.split('/').pop().includes('.');
  event.respondWith(fromShell(page ? '/index.html' : request));
});

async function fromShell(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  return cached ?? fetch(request);
}

async function networkFirst(event) {
  try {
    const response = await fetch(event.request);
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(DATA).then((cache) => cache.put(event.request, copy)));
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(event.request, { cacheName: DATA, ignoreVary: true });
    if (cached) return cached;
    throw offline;
  }
}
