{% load i18n %}{% autoescape off %}/* partyorg's service worker, rendered by office/offline.py.
 * Pages that answer with the header "Offline-Page" (the minutes form) are kept when
 * fetched and served from here when there is no connection; static files are kept as
 * they are fetched. Saving and sending the minutes is static/js/offline.js's work. */
"use strict";
const STATIC_CACHE = "partyorg-static-{{ version }}";
const PAGE_CACHE = "partyorg-pages";
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const FILES = [{% for url in files %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const HASHED_NAMES = {{ hashed_names|yesno:"true,false" }};
const OFFLINE_TEXT = "{% translate 'No connection, and this page was not opened on this device before. The minutes form works without a connection once it has been opened.'|escapejs %}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("partyorg-static-") && name !== STATIC_CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(HASHED_NAMES ? keptFirst(request) : networkFirst(request, STATIC_CACHE));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

async function keptFirst(request) {
  const kept = await caches.match(request, { cacheName: STATIC_CACHE });
  return kept || networkFirst(request, STATIC_CACHE);
}

async function networkFirst(request, cacheName) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName, ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.has("Offline-Page")) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGE_CACHE);
    const kept = (await cache.match(request.url, { ignoreVary: true }))
      || (await cache.match(request.url, { ignoreVary: true, ignoreSearch: true }));
    if (kept) return kept;
    return new Response(`<!DOCTYPE html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><p>${OFFLINE_TEXT}</p>`, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}
{% endautoescape %}
