// The netrc option in Node: the file read as requests and curl read it,
// its host's entry sent to that origin only, a file others may read
// refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE, uniq } from '../authtest.mjs';

let authlib;
before(async () => { authlib = await load(); });

const dir = mkdtempSync(join(tmpdir(), 'authlib-netrc-'));
function netrc(text, mode = 0o600) {
  const p = join(dir, uniq('netrc-'));
  writeFileSync(p, text, { mode });
  chmodSync(p, mode);
  return p;
}
const host = new URL(BASE).hostname; // 127.0.0.1
const other = BASE.replace('127.0.0.1', 'localhost');

test('netrc: the entry of the request\'s host, through fetch and a client, from a path or $NETRC', async () => {
  const p = netrc(`# mine\nmachine ${host}\n  login alice\n  password "open sesame"\nmachine localhost login bob password b0b\n`);
  const url = BASE + '/basic-auth/alice/open%20sesame';
  assert.equal((await authlib.fetch(url, { netrc: p })).status, 200);
  const client = authlib.client({ netrc: p });
  assert.equal((await client.fetch(url)).status, 200);
  // An edited file counts at the next call.
  writeFileSync(p, `machine ${host} login alice password wrong\n`);
  assert.equal((await client.fetch(url)).status, 401);
  client.close();
  const saved = process.env.NETRC;
  process.env.NETRC = netrc(`machine ${host} login carol password c\n`);
  try {
    assert.equal((await authlib.fetch(BASE + '/basic-auth/carol/c', { netrc: true })).status, 200);
  } finally {
    if (saved === undefined) delete process.env.NETRC;
    else process.env.NETRC = saved;
  }
  // Explicit auth wins over netrc, as in requests.
  assert.equal((await authlib.fetch(BASE + '/basic-auth/dave/d', { netrc: p, auth: ['dave', 'd'] })).status, 200);
});

test('netrc: a redirect to another origin carries nothing, though the file has an entry for it', async () => {
  const p = netrc(`machine ${host} login alice password a\nmachine localhost login bob password b\n`);
  const res = await authlib.fetch(BASE + '/redirect-to?url=' + encodeURIComponent(other + '/headers'), { netrc: p });
  const { headers } = await res.json();
  assert.equal(headers.Authorization, undefined);
});

test('netrc: a file others may read, a file that cannot be parsed and a wrong option are refused before sending; a missing file is none', async () => {
  const secret = 'S3CR3T-netrc';
  const open = netrc(`machine ${host} login alice password ${secret}\n`, 0o644);
  const bad = netrc(`login alice password ${secret}\n`);
  const path = uniq('/basic-auth/x/');
  for (const [init, code, want] of [
    [{ netrc: open }, 'invalid_credentials', /chmod 600/],
    [{ netrc: bad }, 'invalid_credentials', /line 1/],
    [{ netrc: 7 }, 'invalid_request', /netrc is true or the path/],
  ]) {
    await assert.rejects(authlib.fetch(BASE + path, init), (e) => {
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, want);
      assert.ok(!e.message.includes(secret));
      return true;
    });
  }
  const stats = await (await fetch(BASE + '/stats')).json();
  assert.equal(stats.exchanges[path] ?? 0, 0, 'nothing was sent');
  const res = await authlib.fetch(BASE + '/headers', { netrc: join(dir, 'missing') });
  assert.equal((await res.json()).headers.Authorization, undefined);
});
