// What each credential is for, through the JS API in Node: a token asked
// for one resource (RFC 8707, RFC 9728) goes within that resource alone,
// on every path the JS API can take (the fast path, Go's Client, a
// redirect, a login from a 401, a store), against authtest and a server
// of the test's own that plays another origin (make test passes
// AUTHTEST_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../../../web/dist/authlib.mjs';
import { BASE } from '../authtest.mjs';

const SECRET = 'p@ss: 100% +sure'; // authtest's client secret
const confidential = { type: 'oauth2', issuer: BASE, clientId: 'my-app', clientSecret: SECRET };

let authlib;
let evil; // another origin: 401 with metadata that claims authtest's /mcp
let evilURL;
const evilSaw = [];
before(async () => {
  authlib = await load();
  evil = createServer((req, res) => {
    evilSaw.push([req.url, req.headers.authorization ?? '']);
    if (req.url === '/meta') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ resource: BASE + '/mcp', authorization_servers: [BASE] }));
      return;
    }
    res.writeHead(401, { 'WWW-Authenticate': `Bearer resource_metadata="${evilURL}/meta"` });
    res.end();
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  evilURL = `http://127.0.0.1:${evil.address().port}`;
});
after(() => evil.close());

async function stats() {
  return (await (await fetch(BASE + '/stats')).json()).exchanges;
}

const authorization = async (res) => (await res.json()).headers.Authorization ?? '';

test("a login for resource R: another origin's 401 naming R starts no login and gets no token, before or after the login; other paths of R's origin get none", async () => {
  let authorized = 0;
  const c = authlib.client({
    auth: {
      type: 'oauth2', resource: BASE + '/mcp', redirectURI: 'http://127.0.0.1/cb',
      onAuthorize: async (url) => {
        authorized++;
        return (await fetch(url, { redirect: 'manual' })).headers.get('location');
      },
    },
  });
  try {
    const regs = (await stats()).register ?? 0;
    assert.equal((await c.fetch(evilURL + '/x')).status, 401);
    assert.equal(authorized, 0, 'no login from another origin\'s 401');
    assert.equal((await stats()).register ?? 0, regs, 'no registration');
    assert.equal((await c.fetch(BASE + '/mcp')).status, 200);
    assert.equal(authorized, 1);
    assert.equal((await c.fetch(evilURL + '/x')).status, 401);
    assert.deepEqual(evilSaw.filter(([, a]) => a !== ''), [], 'no credentials to the other origin');
    assert.equal(await authorization(await c.fetch(BASE + '/anything/private')), '', 'none to another path');
    assert.equal(await authorization(await c.fetch(BASE + '/mcp-elsewhere').then(() => c.fetch(BASE + '/headers'))), '');
  } finally {
    c.close();
  }
});

test('a token for a resource with a path goes there alone: the fast path, a repeat request, and a same-origin redirect out of it', async () => {
  const api = BASE + '/anything/api/';
  const c = authlib.client({ auth: { ...confidential, resource: api } });
  try {
    for (let i = 0; i < 3; i++) {
      assert.match(await authorization(await c.fetch(api + 'x')), /^Bearer /);
      assert.equal(await authorization(await c.fetch(BASE + '/anything/private')), '');
    }
    // /redirect-to is outside the resource; so is where it sends.
    const r = await c.fetch(BASE + '/redirect-to?url=' + encodeURIComponent('/anything/private'));
    assert.equal(await authorization(r), '');
    // A redirect from within to outside: the hop outside gets nothing.
    const inside = authlib.client({ auth: { ...confidential, resource: BASE + '/redirect-to' } });
    try {
      const res = await inside.fetch(BASE + '/redirect-to?url=' + encodeURIComponent('/anything/private'));
      assert.equal(res.status, 200);
      assert.equal(await authorization(res), '', 'the redirect left the resource');
    } finally {
      inside.close();
    }
  } finally {
    c.close();
  }
});

test('a store shared by clients for two resources: neither is handed the other\'s token', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'authlib-bounds-'));
  const store = { file: join(dir, 'token.json') };
  const a = authlib.client({ auth: { ...confidential, resource: BASE + '/anything/a/', store } });
  const b = authlib.client({ auth: { ...confidential, resource: BASE + '/anything/b/', store } });
  try {
    const ta = await authorization(await a.fetch(BASE + '/anything/a/x'));
    assert.match(ta, /^Bearer /);
    assert.equal(JSON.parse(await readFile(store.file, 'utf8')).resource, BASE + '/anything/a/');
    const tb = await authorization(await b.fetch(BASE + '/anything/b/x'));
    assert.match(tb, /^Bearer /);
    assert.notEqual(tb, ta, 'B sent A\'s token');
  } finally {
    a.close();
    b.close();
  }
});
