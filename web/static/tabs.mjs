// tabs.mjs — the demo's page of one login shared by tabs (tabs.html): in
// a service worker (authlib-sw.mjs, registered by sw.mjs), or in each tab
// with an IndexedDB store. make demo serves it with the mock API.
import { load } from './authlib.mjs';
import { register } from './sw.mjs';

const $ = (id) => document.getElementById(id);
const q = new URLSearchParams(location.search);
const api = new URL('api', location.href).href;
const here = location.origin + location.pathname;
// The page's URL without a login's answer (code, state): where it comes back to.
const page = (() => { const u = new URL(location.href); for (const k of ['code', 'state', 'iss', 'error', 'error_description']) u.searchParams.delete(k); return u.href; })();
// The tokens' lifetime (?lifetime=N, kept for every tab and the way back
// from a login) and the mode are the page's (not secrets).
if (q.has('lifetime')) localStorage.setItem('authlib-demo-lifetime', q.get('lifetime'));
const lifetime = Number(localStorage.getItem('authlib-demo-lifetime') ?? 20) || 20;
const settings = { type: 'oauth2', issuer: api, tokenURL: `${api}/oauth/token?lifetime=${lifetime}`, clientId: 'public-app', scope: 'read:user', redirectURI: here };
const store = { indexedDB: 'authlib-demo-tabs' };
if (q.has('mode')) localStorage.setItem('authlib-demo-mode', q.get('mode'));
const mode = localStorage.getItem('authlib-demo-mode') === 'store' ? 'store' : 'worker';
const body = document.body.dataset;
const say = (text) => { $('tabstatus').textContent = text; };
$('lifetime').textContent = String(lifetime);
document.querySelector(`input[name=mode][value=${mode}]`).checked = true;
for (const r of document.querySelectorAll('input[name=mode]')) {
  r.addEventListener('change', async () => {
    localStorage.setItem('authlib-demo-mode', r.value);
    if (r.value === 'store') await leaveWorker();
    location.replace(here); // the mode chosen now, not the query's
  });
}

const CODE = {
  worker: `import { register } from './sw.mjs';
const auth = await register('./authlib-sw.mjs', { allow: ['${api}/oauth/api/'], auth: settings });
if (!(await auth.status()).loggedIn) location.assign((await auth.login()).url);
await fetch('${api}/oauth/api/user'); // the worker adds the token`,
  store: `const authlib = await load();
const client = authlib.client({ auth: { ...settings, store: { indexedDB: 'authlib-demo-tabs' } } });
await client.fetch('${api}/oauth/api/user'); // one tab refreshes, the others wait and use what it saved`,
};
$('tabscode').textContent = `const settings = ${JSON.stringify(settings, null, 2)};\n${CODE[mode]}`;

// The two ways of sending: the page's own fetch through the worker, or a
// client of authlib's in this tab.
let send, login, logout, loggedIn;
if (mode === 'worker') {
  const auth = await register('./authlib-sw.mjs', { allow: [`${api}/oauth/api/`], auth: settings });
  send = () => fetch(`${api}/oauth/api/user`);
  login = async () => location.assign((await auth.login({ returnTo: page })).url);
  logout = () => auth.logout();
  loggedIn = async () => {
    const st = await auth.status();
    if (st.lastError) say(`The worker says: ${st.lastError.message}`);
    return st.loggedIn;
  };
} else {
  // A worker left from the other mode would add its own token.
  if (navigator.serviceWorker?.controller) {
    await leaveWorker();
    location.reload();
  }
  const authlib = await load();
  const client = authlib.client({ auth: { ...settings, store } });
  if (q.has('code') || q.has('error')) {
    // Back from the login: exchange the code (the store keeps the token).
    const pending = JSON.parse(sessionStorage.getItem('authlib-demo-login') ?? 'null');
    sessionStorage.removeItem('authlib-demo-login');
    if (pending) await authlib.oauth2.exchange({ ...settings, ...pending, callback: location.href, store }).catch((e) => say(`The login failed: ${e.message}`));
    history.replaceState(null, '', page);
  }
  send = () => client.fetch(`${api}/oauth/api/user`);
  login = async () => {
    const { url, state, codeVerifier } = await authlib.oauth2.authorize(settings);
    sessionStorage.setItem('authlib-demo-login', JSON.stringify({ state, codeVerifier }));
    location.assign(url);
  };
  logout = () => client.logout();
  // A token saved for these settings (not another server's, say).
  loggedIn = async () => {
    const t = JSON.parse((await idbGet(store.indexedDB, 'token')) ?? 'null');
    return t?.client_id === settings.clientId && t?.server === settings.tokenURL;
  };
}

let sent = 0;
let ok = 0;
async function sendOne() {
  sent++;
  let status;
  try {
    status = (await send()).status;
  } catch (e) {
    status = e.code ?? 'error';
    say(`A request failed: ${e.message}`);
    body.failed = e.message;
  }
  if (status === 200) ok++;
  $('sent').textContent = String(sent);
  $('ok').textContent = String(ok);
  body.sent = String(sent);
  body.ok = String(ok);
  return status;
}

async function refresh() {
  const s = (await (await fetch(`${api}/stats`)).json()).exchanges;
  const n = (s['grant:refresh_token'] ?? 0) + (s['grant:authorization_code'] ?? 0);
  $('refreshes').textContent = String(n);
  body.refreshes = String(s['grant:refresh_token'] ?? 0);
  const yes = await loggedIn();
  if (!yes && /^(The|A request)/.test($('tabstatus').textContent)) return; // a failure, said
  say(yes ? `Logged in (${mode === 'worker' ? 'the service worker holds the token' : 'the token is in IndexedDB'}).` : 'Not logged in: press Log in.');
}

$('login').addEventListener('click', () => login().catch((e) => say(e.message)));
$('logout').addEventListener('click', () => logout().then(refresh, (e) => say(e.message)));
$('send').addEventListener('click', async () => {
  const statuses = await Promise.all(Array.from({ length: 10 }, sendOne));
  body.burst = JSON.stringify(statuses);
  refresh();
});
let timer = null;
$('auto').addEventListener('change', (e) => {
  clearInterval(timer);
  timer = e.target.checked ? setInterval(() => sendOne().then(refresh), 1000) : null;
});
$('scan').addEventListener('click', async () => {
  const r = await scan();
  body.scan = JSON.stringify(r.found);
  $('scanout').textContent = `Read ${r.read} places (globals, cookies, localStorage, sessionStorage, caches, ${r.records} IndexedDB records).\n` +
    (r.found.length ? `A token is readable here:\n${r.found.join('\n')}` : 'No token anywhere: the service worker keeps it sealed.');
});

// scan looks, as any script of the page could, for an OAuth token: a
// value named access_token or refresh_token, or text holding one.
async function scan() {
  const found = [];
  let read = 0;
  let records = 0;
  const look = (where, v) => {
    read++;
    if (typeof v === 'string' && /"(access|refresh)_token"\s*:\s*"[^"]/.test(v)) found.push(where);
  };
  const deep = (where, v, seen = new Set()) => {
    if (v == null || typeof v !== 'object' || seen.has(v)) return look(where, v);
    seen.add(v);
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return look(where, new TextDecoder('latin1').decode(v));
    for (const k of Object.keys(v)) {
      if ((k === 'access_token' || k === 'refresh_token') && typeof v[k] === 'string' && v[k]) found.push(`${where}.${k}`);
      deep(`${where}.${k}`, v[k], seen);
    }
  };
  for (const k of Object.getOwnPropertyNames(window)) {
    let v;
    try { v = window[k]; } catch { continue; }
    if (typeof v === 'string') look(`window.${k}`, v);
  }
  look('document.cookie', document.cookie);
  for (const name of ['localStorage', 'sessionStorage']) {
    const st = window[name];
    for (let i = 0; i < st.length; i++) look(`${name}: ${st.key(i)}`, st.getItem(st.key(i)));
  }
  for (const name of await caches.keys()) {
    const c = await caches.open(name);
    for (const req of await c.keys()) look(`caches: ${name} ${req.url}`, await (await c.match(req)).text());
  }
  for (const { name, version } of await indexedDB.databases()) {
    const db = await new Promise((res, rej) => { const r = indexedDB.open(name, version); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const os of db.objectStoreNames) {
      const [keys, values] = await new Promise((res, rej) => {
        const tx = db.transaction(os, 'readonly');
        const k = tx.objectStore(os).getAllKeys();
        const v = tx.objectStore(os).getAll();
        tx.oncomplete = () => res([k.result, v.result]);
        tx.onerror = () => rej(tx.error);
      });
      values.forEach((v, i) => { records++; deep(`IndexedDB ${name}/${os}/${keys[i]}`, v); });
    }
    db.close();
  }
  return { found, read, records };
}

async function leaveWorker() {
  for (const reg of (await navigator.serviceWorker?.getRegistrations()) ?? []) await reg.unregister();
}

function idbGet(name, key) {
  return new Promise((resolve) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('token');
    r.onerror = () => resolve(undefined);
    r.onsuccess = () => {
      const g = r.result.transaction('token', 'readonly').objectStore('token').get(key);
      g.onsuccess = () => { r.result.close(); resolve(g.result); };
      g.onerror = () => resolve(undefined);
    };
  });
}

body.mode = mode;
await refresh();
setInterval(refresh, 3000);
body.ready = 'true';
