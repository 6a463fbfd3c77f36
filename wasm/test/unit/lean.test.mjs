// The lean calls (wasm/lean_js.go, wire.mjs's leanCalls): a repeat
// request whose message is all that crosses goes to Go through an export
// of the module, not through syscall/js. Each test counts which way each
// call went, on the raw namespace Go hands authlib.mjs (caught on its way:
// node --test runs this file in a process of its own).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, uniq, exchanges } from '../authtest.mjs';

const calls = { prepare: 0, answer: 0, leanPrepare: 0, leanAnswer: 0, leanDeclined: 0 };
let raw;
Object.defineProperty(globalThis, '__authlib_boot', {
  configurable: true,
  get() { return this.b; },
  set(v) {
    const ready = v.ready;
    v.ready = (ns) => {
      raw = ns;
      const prepare = ns.prepare;
      ns.prepare = (...a) => { calls.prepare++; return prepare(...a); };
      const client = ns.client;
      ns.client = (...a) => {
        const c = client(...a);
        if (c.prepare) {
          const p = c.prepare, an = c.answer;
          c.prepare = (...x) => { calls.prepare++; return p(...x); };
          c.answer = (...x) => { calls.answer++; return an(...x); };
        }
        return c;
      };
      ready(ns);
    };
    this.b = v;
  },
});

const { load, AuthError } = await import('../../../web/dist/authlib.mjs');
let authlib;
before(async () => {
  authlib = await load();
  assert.ok(raw.lean, 'authlib.mjs made no lean calls');
  const { prepare, answer } = raw.lean;
  raw.lean.prepare = (id, text) => {
    const m = prepare(id, text);
    if (m === null) calls.leanDeclined++;
    else calls.leanPrepare++;
    return m;
  };
  raw.lean.answer = (id, text) => {
    const m = answer(id, text);
    if (m !== null) calls.leanAnswer++;
    return m;
  };
});

const count = async (fn) => {
  const before = { ...calls };
  await fn();
  return Object.fromEntries(Object.keys(calls).map((k) => [k, calls[k] - before[k]]));
};

test('a GET whose message is all that crosses is prepared by the lean call, and prepare is not called', async () => {
  const got = await count(async () => {
    const res = await authlib.fetch(BASE + '/basic-auth/u/p?' + uniq('q'), { auth: ['u', 'p'] });
    assert.equal(res.status, 200);
  });
  assert.deepEqual([got.leanPrepare, got.prepare], [1, 0]);
});

test('a request with a body, or with a function beside its message, takes prepare', async () => {
  let got = await count(async () => {
    const res = await authlib.fetch(BASE + '/anything', { method: 'POST', body: 'x', auth: ['u', 'p'] });
    assert.equal((await res.json()).data, 'x');
  });
  assert.deepEqual([got.leanPrepare, got.prepare], [0, 1]);
  got = await count(async () => {
    const res = await authlib.fetch(BASE + '/basic-auth/u/p?' + uniq('q'), { auth: (r) => { r.headers.set('Authorization', 'Basic dTpw'); } });
    assert.equal(res.status, 200);
  });
  assert.equal(got.leanPrepare, 0);
});

test('a request Go declines in the lean call (a Digest challenge to answer) runs through prepare, once', async () => {
  const user = uniq('d');
  const path = `/digest-auth/auth/${user}/p/SHA-256`;
  const c = authlib.client({ auth: { type: 'digest', username: user, password: 'p' } });
  const got = await count(async () => {
    for (let i = 0; i < 5; i++) assert.equal((await c.fetch(BASE + path)).status, 200);
  });
  c.close();
  // The first: declined by the lean call, run by prepare (401, then 200).
  // The next four: prepared once (the first of them), then answered.
  assert.equal(got.leanDeclined, 1);
  assert.equal(got.prepare, 1);
  assert.equal(got.leanAnswer, 3);
  assert.equal(got.answer, 0);
  assert.equal(await exchanges(path), 6);
});

test('the lean call reports a refusal as the AuthError prepare would, with Go\'s words', async () => {
  const msg = 'url=ftp://example.com/\nauth=basic\nauth.username=u\nauth.password=p';
  const lean = raw.lean.prepare(0, msg);
  assert.equal(lean.get('error')[0], 'invalid_url');
  const viaPrepare = raw.prepare(msg, undefined, undefined, undefined, undefined, undefined, () => {}, () => {});
  assert.ok(viaPrepare instanceof AuthError);
  assert.equal(lean.get('detail')[0], viaPrepare.message);
  await assert.rejects(authlib.fetch('ftp://example.com/', { auth: ['u', 'p'] }), (e) => e instanceof AuthError && e.code === 'invalid_url');
});

test('a closed client\'s id names nothing: the lean call declines', async () => {
  const c = authlib.client({ auth: ['u', 'p'] });
  assert.equal((await c.fetch(BASE + '/basic-auth/u/p?' + uniq('q'))).status, 200);
  const msg = 'url=' + BASE + '/basic-auth/u/p';
  const before = calls.leanDeclined;
  c.close();
  // The client's id is the largest so far; after close, the lean call has no settings for it.
  for (let id = 1; id < 1000; id++) {
    if (raw.lean.prepare(id, msg) === null) continue;
    assert.fail(`client ${id} still answers after every client was closed`);
  }
  assert.ok(calls.leanDeclined - before >= 999);
});

test('a message or an answer that does not fit Go\'s buffer takes prepare, and is sent whole', async () => {
  const big = 'v'.repeat(70 * 1024);
  const got = await count(async () => {
    const res = await authlib.fetch(BASE + '/headers', { auth: ['u', 'p'], headers: { 'X-Big': big } });
    assert.equal((await res.json()).headers['X-Big'], big);
  });
  assert.deepEqual([got.leanPrepare, got.prepare], [0, 1]);
});

test('in Node a WebCrypto key signs at once (node:crypto): an RFC 9421 request through a client is prepared by the lean call, and the key stays non-extractable', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (ch) => ch.charCodeAt(0));
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  const c = authlib.client({ auth: { type: 'httpsig', keyId: 'k', key } });
  // The first may wait for node:crypto to load; the rest sign at once.
  await (await c.fetch(BASE + '/anything')).text();
  const got = await count(async () => {
    for (let i = 0; i < 3; i++) {
      const res = await c.fetch(BASE + '/anything');
      const h = (await res.json()).headers;
      assert.match(h['Signature'], /^sig1=:[A-Za-z0-9+/]{86}==:$/);
    }
  });
  c.close();
  assert.deepEqual([got.leanPrepare, got.prepare], [3, 0]);
  await assert.rejects(crypto.subtle.exportKey('pkcs8', key));
});

test('authlib.fetch\'s own auth with a WebCrypto key goes through a client made for it: after the first call, each is a lean one', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const auth = { type: 'httpsig', keyId: 'k', key: pem, components: ['@method', '@path'] };
  await (await authlib.fetch(BASE + '/anything', { auth })).text(); // the key imported, the client made
  const got = await count(async () => {
    for (let i = 0; i < 3; i++) {
      const h = (await (await authlib.fetch(BASE + '/anything', { auth: { ...auth } })).json()).headers;
      assert.match(h['Signature-Input'], /^sig1=\("@method" "@path"\);created=\d+;keyid="k"$/);
    }
  });
  assert.deepEqual([got.leanPrepare, got.prepare], [3, 0]);
});

test('a signed call of authlib.fetch is never sent as an unsigned one to the same origin was: what is reused is keyed by its auth', async () => {
  const url = BASE + '/anything?' + uniq('q');
  assert.equal((await (await authlib.fetch(url)).json()).headers['Signature'], undefined);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('a shared secret'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  for (let i = 0; i < 2; i++) {
    const h = (await (await authlib.fetch(url, { auth: { type: 'httpsig', keyId: 'k', key } })).json()).headers;
    assert.match(h['Signature'] ?? '', /^sig1=:/, 'sent unsigned');
  }
});

test('authlib.fetch keeps the clients of the last 16 signing auths; one dropped is closed, and its auth works again after', async () => {
  const keys = [];
  for (let i = 0; i < 18; i++) keys.push(await crypto.subtle.importKey('raw', new TextEncoder().encode('secret ' + i), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  const signed = async (key) => (await (await authlib.fetch(BASE + '/anything', { auth: { type: 'httpsig', keyId: 'k', key } })).json()).headers['Signature'];
  for (const key of keys) assert.match(await signed(key), /^sig1=:/);
  assert.match(await signed(keys[0]), /^sig1=:/);
});

test("a client's DPoP requests after the first are each one lean call, with a proof of their own (Node signs at once)", async () => {
  const login = { issuer: BASE, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb', dpop: true };
  const a = await authlib.oauth2.authorize(login);
  const callback = (await fetch(a.url, { redirect: 'manual' })).headers.get('location');
  const token = await authlib.oauth2.exchange({ ...login, dpop: a.dpopKey, callback, state: a.state, codeVerifier: a.codeVerifier });
  const c = authlib.client({ auth: { type: 'oauth2', ...login, dpop: a.dpopKey, token } });
  try {
    assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200); // the key's JWK and the resource's nonce, the slow way
    await new Promise((r) => setTimeout(r, 50)); // node:crypto's KeyObject of the key, made once the key is ready
    const proofs = await exchanges('dpop:resource');
    const got = await count(async () => {
      for (let i = 0; i < 5; i++) assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200);
    });
    assert.deepEqual([got.leanPrepare, got.prepare], [5, 0]);
    assert.equal((await exchanges('dpop:resource')) - proofs, 5, 'each request a proof the resource took');
  } finally {
    c.close();
  }
});
