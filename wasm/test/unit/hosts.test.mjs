// Hosts that Unicode case folding puts together and the runtime keeps
// apart, in Node: fetch connects to İx.example as xn--…, another host than
// ix.example. Every name resolves to one loopback server here (an undici
// Agent's lookup), which records the Host and the credentials of each
// request it gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { load } from '../../../web/dist/authlib.mjs';

const { Agent } = await import(new URL('../../../bin/npm-unit/node_modules/undici/index.js', import.meta.url));

let authlib, server, port, dispatcher;
const seen = [];
before(async () => {
  authlib = await load();
  server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    seen.push({ host: req.headers.host, path: u.pathname, authorization: req.headers.authorization, token: req.headers['x-tokenauth'] });
    if (u.pathname === '/redirect') {
      // Node writes a header's characters as Latin-1 bytes: the UTF-8 of
      // the Location goes raw, as a server that sends Unicode would.
      res.writeHead(302, { Location: Buffer.from(u.searchParams.get('to'), 'utf8').toString('latin1') }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
  const lookup = (_host, opts, cb) => (opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
  dispatcher = new Agent({ connect: { lookup } });
});
after(async () => {
  await dispatcher.close();
  server.close();
});

const at = (host) => `http://${host}:${port}`;
const kinds = {
  basic: ['u', 'p'],
  bearer: { type: 'bearer', token: 'tok' },
  header: { type: 'header', name: 'X-TokenAuth', value: 'tok' },
  function: (r) => { r.headers.set('X-TokenAuth', 'fn'); },
};

for (const [name, auth] of Object.entries(kinds)) {
  for (const to of ['%C4%B0x.example', 'İx.example', 'XN--IX-RUB.example']) {
    test(`${name}: a redirect from ix.example to ${to} carries no credential`, async () => {
      seen.length = 0;
      const start = `${at('ix.example')}/redirect?to=${encodeURIComponent(at(to) + '/final')}`;
      for (const send of [(i, o) => authlib.fetch(i, o), (i, o) => authlib.client({ auth, allowInsecure: true }).fetch(i, { dispatcher: o.dispatcher })]) {
        seen.length = 0;
        const res = await send(start, { auth, allowInsecure: true, dispatcher });
        assert.equal(res.status, 200);
        assert.equal(seen.length, 2);
        assert.ok(seen[0].authorization || seen[0].token, 'the first hop carries the credential');
        assert.match(seen[1].host, /^xn--/, 'the premise: the redirect went to another host');
        assert.equal(seen[1].authorization, undefined, `Authorization leaked to ${seen[1].host}`);
        assert.equal(seen[1].token, undefined, `X-TokenAuth leaked to ${seen[1].host}`);
      }
    });
  }
}

test('origins: an entry spelled İx.example does not widen the scope to ix.example', async () => {
  seen.length = 0;
  const start = `${at('start.example')}/redirect?to=${encodeURIComponent(at('ix.example') + '/final')}`;
  const res = await authlib.fetch(start, { auth: { type: 'bearer', token: 'tok' }, allowInsecure: true, dispatcher, origins: [at('İx.example')] });
  assert.equal(res.status, 200);
  assert.equal(seen.length, 2);
  assert.equal(seen[0].authorization, 'Bearer tok');
  assert.equal(seen[1].host, `ix.example:${port}`);
  assert.equal(seen[1].authorization, undefined, 'the token went to a host origins does not list');
});

test('origins: an entry naming the other host itself lets the credential go there', async () => {
  seen.length = 0;
  const start = `${at('start.example')}/redirect?to=${encodeURIComponent(at('%C4%B0x.example') + '/final')}`;
  const res = await authlib.fetch(start, { auth: { type: 'bearer', token: 'tok' }, allowInsecure: true, dispatcher, origins: [at('İx.example')] });
  assert.equal(res.status, 200);
  assert.equal(seen.length, 2);
  assert.match(seen[1].host, /^xn--/);
  assert.equal(seen[1].authorization, 'Bearer tok');
});

test('a spelling that fetch maps onto the same host is the same origin: the credential stays', async () => {
  // Fullwidth letters and the Kelvin sign map (IDNA) to ASCII ones: fetch
  // connects to the start host itself, which keeps its credential.
  for (const [start, to] of [['ix.example', encodeURIComponent('ｉｘ') + '.example'], ['k.example', encodeURIComponent('\u212a') + '.example'], ['ix.example', 'IX.Example']]) {
    seen.length = 0;
    const url = `${at(start)}/redirect?to=${encodeURIComponent(at(to) + '/final')}`;
    const res = await authlib.fetch(url, { auth: { type: 'bearer', token: 'tok' }, allowInsecure: true, dispatcher });
    assert.equal(res.status, 200);
    assert.equal(seen.length, 2);
    assert.equal(seen[1].host, `${start}:${port}`, 'the premise: fetch went back to the start host');
    assert.equal(seen[1].authorization, 'Bearer tok', `${to}: the credential was dropped on the way back to ${start}`);
  }
});

test('origins: an entry fetch maps onto the redirect\'s host lets the credential go there', async () => {
  seen.length = 0;
  const start = `${at('start.example')}/redirect?to=${encodeURIComponent(at('ix.example') + '/final')}`;
  const res = await authlib.fetch(start, { auth: { type: 'bearer', token: 'tok' }, allowInsecure: true, dispatcher, origins: [at('ＩＸ.example')] });
  assert.equal(res.status, 200);
  assert.equal(seen[1].host, `ix.example:${port}`);
  assert.equal(seen[1].authorization, 'Bearer tok');
});
