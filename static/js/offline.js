/* Minutes that survive a dropped connection.
 *
 * The minutes form (form[data-offline-form]) saves each entry on this device first, in
 * localStorage under OUTBOX, then sends it; an entry that could not be sent waits there
 * and is sent when the connection returns (tried again every few seconds to a minute
 * while the page is open), or when the app is next opened online. Each
 * entry carries the key the form drew for it (entry_key), so the server applies an
 * entry sent twice only once. An entry the server refused (a mistake to correct, or
 * minutes someone else saved since) is shown again in its form, as the server answered
 * it. The service worker (office/offline.py) keeps the form's page for use offline.
 */
"use strict";
(() => {
  const OUTBOX = "partyorg-outbox";
  const PAGE_CACHE = "partyorg-pages";
  const PREFETCHED = "partyorg-prefetched";
  const KEEP_SENT_DAYS = 7;
  const body = document.body;
  const user = body.dataset.user || "";
  const box = document.getElementById("outbox");
  const sending = new Set();

  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(OUTBOX)) || [];
    } catch {
      return [];
    }
  };
  const write = (entries) => localStorage.setItem(OUTBOX, JSON.stringify(entries));
  const put = (entry) => write([...read().filter((e) => e.key !== entry.key), entry]);
  const drop = (key) => write(read().filter((e) => e.key !== key));
  const mine = () => read().filter((e) => e.user === user);
  // An entry is reopened at its form's address with its key after "#entry=": a form
  // opened without one is a new entry, so several can wait for the same form.
  const address = (entry) => `${entry.url}#entry=${entry.key}`;
  const wantedKey = () => new URLSearchParams(location.hash.slice(1)).get("entry");

  const two = (n) => String(n).padStart(2, "0");
  function when(iso) {
    const at = new Date(iso);
    const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
    if (at.toDateString() === new Date().toDateString()) return time;
    return `${time} ${two(at.getDate())}/${two(at.getMonth() + 1)}/${at.getFullYear()}`;
  }
  const say = (template, entry) =>
    (template || "").replace("{time}", when(entry.state === "sent" ? entry.sentAt : entry.savedAt));

  // The outbox on every page: what waits to be sent, and on a page an entry made, that
  // it was sent.
  function show() {
    const form = document.querySelector("form[data-offline-form]");
    const current = form && form.elements.entry_key.value;
    const items = mine().filter((e) =>
      e.state === "sent" ? e.result === location.pathname : e.key !== current,
    );
    if (box) {
      const list = box.querySelector("ul");
      list.replaceChildren(
        ...items.map((entry) => {
          const item = document.createElement("li");
          item.className = `outbox-${entry.state}`;
          item.append(`${say(box.dataset[entry.state], entry)} · `);
          const link = document.createElement("a");
          link.href = entry.state === "sent" ? entry.result : address(entry);
          link.textContent = entry.title;
          item.append(link);
          return item;
        }),
      );
      box.hidden = !items.length;
    }
    const state = document.querySelector("[data-offline-state]");
    const entry = current && mine().find((e) => e.key === current);
    if (state) {
      state.textContent = entry ? say(state.dataset[entry.state], entry) : "";
      state.className = entry ? `offline-state outbox-${entry.state}` : "offline-state";
      state.hidden = !entry;
    }
  }

  function swap(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
    const main = document.querySelector("main");
    if (!fresh || !main) return;
    main.replaceChildren(...fresh.childNodes);
    setUpForm();
    window.scrollTo(0, 0);
  }

  // An entry that could not go out is tried again while the page stays open: the
  // "online" event may come before the connection carries anything (a phone between
  // networks, or a service worker told later than the page), and a server may fail for
  // a moment. The waits grow to a minute; a send that goes through starts them again.
  const RETRY_SECONDS = [5, 15, 30, 60];
  let retries = 0;
  let retryTimer = null;
  function retryLater() {
    if (retryTimer !== null) return;
    const wait = RETRY_SECONDS[Math.min(retries, RETRY_SECONDS.length - 1)];
    retries += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      flush().catch(() => {});
    }, wait * 1000);
  }

  // `here`: the entry is the one in this page's form, so the page follows the answer.
  async function send(entry, here) {
    if (sending.has(entry.key)) return;
    sending.add(entry.key);
    try {
      const data = new URLSearchParams(entry.fields);
      const token = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) data.set("csrfmiddlewaretoken", token.value);
      let response;
      try {
        response = await fetch(entry.url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
      } catch {
        retryLater(); // No connection: the entry waits.
        return;
      }
      const landed = new URL(response.url);
      if (landed.pathname === body.dataset.login) {
        put({ ...entry, state: "signin" });
      } else if (response.ok && response.headers.get("Content-Type") === "application/json") {
        // Saved (or saved before): the server names the minutes' page.
        const { url } = await response.json();
        const { fields, ...sent } = entry;
        put({ ...sent, state: "sent", sentAt: new Date().toISOString(), result: url });
        retries = 0;
        if (here) location.assign(url);
      } else if (response.status >= 500) {
        retryLater(); // The server failed, not the entry: it waits to be sent again.
      } else {
        put({ ...entry, state: "attention" });
        if (here && response.ok) swap(await response.text());
      }
    } finally {
      sending.delete(entry.key);
      show();
    }
  }

  // One entry at a time, this page's own last, since its answer takes the page away.
  async function flush() {
    if (!navigator.onLine || !user) return;
    const form = document.querySelector("form[data-offline-form]");
    const current = form && form.elements.entry_key.value;
    const due = mine().filter((e) => e.state === "unsent" || e.state === "signin");
    due.sort((a, b) => (a.key === current) - (b.key === current));
    for (const entry of due) await send(entry, entry.key === current);
  }

  function restore(form, fields) {
    const values = new Map();
    for (const [name, value] of fields) values.set(name, [...(values.get(name) || []), value]);
    for (const element of form.elements) {
      const given = values.get(element.name);
      if (!element.name || element.name === "csrfmiddlewaretoken") continue;
      if (element.type === "checkbox") element.checked = (given || []).includes(element.value);
      else if (!given || ["submit", "button"].includes(element.type)) continue;
      else if (element.type === "radio") element.checked = given.includes(element.value);
      else element.value = given[0];
    }
  }

  function setUpForm() {
    const form = document.querySelector("form[data-offline-form]");
    if (!form || !user) return;
    const target = new URL(form.action || location.href, location.href);
    const url = target.pathname + target.search;
    const key = form.elements.entry_key;
    const wanted = wantedKey();
    const waiting = mine().find((e) => e.key === wanted && e.url === url && e.state !== "sent");
    // A form the server answered already holds its entry: it is the latest word.
    if (!key.value && waiting) {
      restore(form, waiting.fields);
      key.value = waiting.key;
      if (navigator.onLine) send(waiting, true);
    } else if (!key.value) {
      key.value = crypto.randomUUID();
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // A form shown again after its entry was sent (the back button) holds new work:
      // under the old key the server would take it for a resend and drop it.
      if (read().some((e) => e.key === key.value && e.state === "sent")) {
        key.value = crypto.randomUUID();
      }
      const entry = {
        key: key.value,
        user,
        url,
        title: form.dataset.title,
        fields: [...new FormData(form)].filter(([name]) => name !== "csrfmiddlewaretoken"),
        savedAt: new Date().toISOString(),
        state: "unsent",
      };
      put(entry);
      // A reload, online or not, reopens this entry rather than an empty form.
      const here = `${location.pathname}${location.search}#entry=${entry.key}`;
      history.replaceState(history.state, "", here);
      show();
      if (navigator.onLine) send(entry, true);
    });
    for (const link of form.querySelectorAll("[data-discard-entry]")) {
      link.addEventListener("click", () => drop(key.value));
    }
    show();
  }

  // Keeps the page at `path` for use offline, as the service worker does with the pages
  // it serves; true when the page is one to keep.
  async function keep(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    if (!response.ok || !response.headers.has("Offline-Page")) return false;
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(new URL(path, location.href).href, response);
    return true;
  }

  // Once a day, the branch's new minutes form is fetched for use offline (the roll of
  // that day), even if the secretary has not opened it yet.
  async function prefetch() {
    const path = body.dataset.offlinePrefetch;
    if (!path || !navigator.onLine || !("caches" in window)) return;
    const today = new Date().toDateString();
    const done = JSON.parse(localStorage.getItem(PREFETCHED) || "{}");
    if (done[path] !== today && (await keep(path))) {
      localStorage.setItem(PREFETCHED, JSON.stringify({ ...done, [path]: today }));
    }
  }

  // Signing out with entries not yet sent: the secretary should know they wait here.
  for (const form of document.querySelectorAll("form[data-unsent-warning]")) {
    form.addEventListener("submit", (event) => {
      const waiting = mine().some((e) => e.state !== "sent");
      if (waiting && !window.confirm(form.dataset.unsentWarning)) event.preventDefault();
    });
  }

  if (!user) {
    // Signed out: the pages kept for offline use hold personal data; entries not yet
    // sent stay, to be sent when their author signs in again.
    if ("caches" in window) caches.delete(PAGE_CACHE);
    localStorage.removeItem(PREFETCHED);
  } else {
    const old = Date.now() - KEEP_SENT_DAYS * 864e5;
    write(read().filter((e) => e.state !== "sent" || Date.parse(e.sentAt) > old));
  }
  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    const first = !navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register(body.dataset.serviceWorker)
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        // This page was fetched before the worker ran, so the worker did not keep it.
        if (first && user && document.querySelector("form[data-offline-form]")) {
          return keep(location.pathname + location.search);
        }
        return false;
      })
      .catch(() => {});
  }
  setUpForm();
  show();
  flush().catch(() => {});
  prefetch().catch(() => {});
  window.addEventListener("online", flush);
  // Another waiting entry of the same form, chosen in the outbox: the page opens it.
  window.addEventListener("hashchange", () => {
    if (wantedKey()) location.reload();
  });
})();
