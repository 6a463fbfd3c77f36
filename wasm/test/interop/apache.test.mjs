// The JS API against Apache httpd, a server nobody on this project wrote
// (make test runs this under web/tools/with-apache and with-authtest):
// Digest with a non-ASCII username, and a forward proxy that asks for
// Basic, reached in Node through undici's ProxyAgent.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const APACHE = process.env.APACHE_URL;
const PROXY = process.env.APACHE_PROXY_URL;
const BASE = process.env.AUTHTEST_URL;
if (!APACHE || !PROXY || !BASE) {
  throw new Error('APACHE_URL, APACHE_PROXY_URL and AUTHTEST_URL must be set: run through make test');
}
const { ProxyAgent } = await import(new URL('../../../bin/npm/node_modules/undici/index.js', import.meta.url));
const SECRET = 'S3NT1NEL-proxy';

let authlib;
before(async () => { authlib = await load(); });

async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, `not an AuthError: ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes(SECRET), 'the message holds the secret');
    return e;
  }
  assert.fail(`resolved; wanted AuthError ${code}`);
}

test('Digest with a non-ASCII username against Apache mod_auth_digest', async () => {
  const client = authlib.client({ auth: { type: 'digest', username: 'Jäsøn', password: 'pass' } });
  for (let i = 0; i < 3; i++) {
    const res = await client.fetch(`${APACHE}/digest/index.txt`);
    assert.equal(res.status, 200);
    assert.equal((await res.text()).trim(), 'digest ok');
  }
  client.close();
  const res = await authlib.fetch(`${APACHE}/digest/index.txt`, { auth: { type: 'digest', username: 'Jäsøn', password: 'wrong' } });
  assert.equal(res.status, 401);
});

// undici's ProxyAgent tunnels every request through CONNECT, so the
// origin sees no Via; a dead proxy shows that the route goes through it.
const DEAD = 'http://127.0.0.1:1';

test('proxy: credentials reach the proxy through a ProxyAgent, never the origin', async () => {
  const proxy = { url: PROXY, auth: ['proxyuser', 'proxy pass'], ProxyAgent };
  let res = await authlib.fetch(`${BASE}/headers`, { proxy });
  assert.equal(res.status, 200);
  const seen = (await res.json()).headers;
  assert.ok(seen.Host, 'the origin answered');
  assert.equal(seen['Proxy-Authorization'], undefined, 'the origin got Proxy-Authorization');

  // With server auth on top: Basic to the origin, Basic to the proxy.
  res = await authlib.fetch(`${BASE}/basic-auth/user/pass`, { proxy, auth: ['user', 'pass'] });
  assert.equal(res.status, 200);

  // The request really goes to the proxy: a dead one fails it.
  await rejects(authlib.fetch(`${BASE}/headers`, { proxy: { url: DEAD, ProxyAgent } }), 'network');

  // A wrong proxy password: Apache answers the CONNECT with 407, which
  // undici reports as a cancelled request.
  await rejects(authlib.fetch(`${BASE}/headers`, { proxy: { ...proxy, auth: ['proxyuser', SECRET] } }), 'network');

  // A client makes its agent once.
  const client = authlib.client({ proxy, auth: ['user', 'pass'] });
  for (let i = 0; i < 3; i++) {
    assert.equal((await client.fetch(`${BASE}/basic-auth/user/pass`)).status, 200);
  }
  client.close();
});

test('proxy: init.dispatcher is handed to fetch untouched', async () => {
  const dispatcher = new ProxyAgent({ uri: PROXY, token: authlib.basic('proxyuser', 'proxy pass') });
  const dead = new ProxyAgent({ uri: DEAD });
  try {
    const res = await authlib.fetch(`${BASE}/basic-auth/user/pass`, { dispatcher, auth: ['user', 'pass'] });
    assert.equal(res.status, 200);
    // Dropped, the dead proxy's dispatcher would let the request through.
    await rejects(authlib.fetch(`${BASE}/headers`, { dispatcher: dead }), 'network');
    await rejects(authlib.fetch(`${BASE}/digest-auth/auth/u/p/MD5`, { dispatcher: dead, auth: { type: 'digest', username: 'u', password: 'p' } }), 'network');
  } finally {
    await dispatcher.close();
    await dead.close();
  }
});

test('proxy credentials that cannot reach a proxy are refused, not sent to the origin', async () => {
  // An origin that records what reaches it.
  let hits = 0;
  const origin = createServer((req, res) => { hits++; res.end('{}'); });
  await new Promise((r) => origin.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${origin.address().port}/`;
  try {
    await rejects(authlib.fetch(url, { auth: { type: 'proxy', username: 'proxyuser', password: SECRET } }), 'unsupported');
    const c = authlib.client({ auth: { type: 'proxy', username: 'proxyuser', password: SECRET } });
    await rejects(c.fetch(url), 'unsupported');
    c.close();
    await rejects(authlib.fetch(url, { proxy: { url: PROXY, auth: { type: 'digest', username: 'u', password: SECRET }, ProxyAgent } }), 'unsupported');
    await rejects(authlib.fetch(url, { proxy: { url: `http://u:${SECRET}@127.0.0.1:1`, ProxyAgent } }), 'invalid_url');
    await rejects(authlib.fetch(url, { proxy: { url: 'ftp://127.0.0.1:1', ProxyAgent } }), 'invalid_url');
    await rejects(authlib.fetch(url, { proxy: { url: PROXY, auth: ['a:b', SECRET], ProxyAgent } }), 'invalid_credentials');
    assert.equal(hits, 0, 'something reached the origin');
  } finally {
    origin.close();
  }
});
