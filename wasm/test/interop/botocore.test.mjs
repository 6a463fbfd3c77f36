// AWS Signature Version 4 from the JS API, checked by botocore (AWS's own
// Python signer): authlib/nethttp/testdata/botocore_sigv4.py signs each
// request again from what arrived and answers 200 only when its signature
// is the one received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE } from '../authtest.mjs';

const script = fileURLToPath(new URL('../../../authlib/nethttp/testdata/botocore_sigv4.py', import.meta.url));
const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FwoGZXIvYXdzEBYaDH/session+token==';

try {
  execFileSync('python3', ['-c', 'import botocore']);
} catch {
  throw new Error('python3 with botocore is needed (Debian: apt-get install python3-botocore)');
}

const servers = [];
async function botocore(service, token) {
  const p = spawn('python3', [script, KEY, SECRET, 'us-east-1', service, ...(token ? [token] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  servers.push(p);
  const port = await new Promise((resolve, reject) => {
    createInterface({ input: p.stdout }).once('line', resolve);
    p.once('exit', (code) => reject(new Error('botocore_sigv4.py exited ' + code)));
  });
  return 'http://127.0.0.1:' + port.trim();
}

let authlib;
before(async () => { authlib = await load(); });
after(() => { for (const p of servers) p.stdin.end(); });

const requests = [
  ['/', {}],
  ['/prod/items/a b/Ünïcode/x%2Fy', {}],
  ['/k/a!b(c)\'*,;=:@$&+.txt', {}],
  ['/q?b=2&a=1&a=0&empty=&bare&sp=a%20b&plus=a+b&star=*&tilde=~&slash=/&u=%C3%BC', {}],
  ['/items', { method: 'POST', body: JSON.stringify({ name: 'x' }), headers: { 'Content-Type': 'application/json' } }],
  ['/form', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two words' }) }],
  ['/k/obj.txt', { method: 'PUT', body: new Uint8Array([0, 1, 2, 255]), headers: { 'X-Amz-Meta-Note': 'two   spaces', 'X-Custom': 'v1' } }],
  ['/k/obj.txt', { method: 'DELETE', headers: [['X-Repeat', 'a'], ['X-Repeat', 'b']] }],
];

for (const [service, token] of [['execute-api'], ['s3'], ['es', TOKEN]]) {
  test(`aws4 (${service}): botocore accepts every request, through fetch and a client`, async () => {
    const base = await botocore(service, token);
    const auth = { type: 'aws4', accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: token, region: 'us-east-1', service };
    const client = authlib.client({ auth });
    for (const send of [(u, init) => authlib.fetch(u, { ...init, auth }), (u, init) => client.fetch(u, init)]) {
      for (const [path, init] of requests) {
        const res = await send(base + path, init);
        assert.equal(res.status, 200, `${init.method ?? 'GET'} ${path}: ${await res.text()}`);
      }
    }
    client.close();

    // A presigned URL, requested with no credentials.
    const url = await authlib.aws4.presign(base + '/k/report.pdf?versionId=3', { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: token, region: 'us-east-1', service, expires: 600 });
    assert.match(url, /X-Amz-Expires=600&/);
    const res = await fetch(url);
    assert.equal(res.status, 200, await res.text());
  });
}

test('aws4 with a credentials function: asked once for 50 concurrent requests, again when they near expiry', async () => {
  const base = await botocore('execute-api', TOKEN);
  let calls = 0;
  let lifetime = 3600e3;
  const credentials = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    return { accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(Date.now() + lifetime) };
  };
  const client = authlib.client({ auth: { type: 'aws4', credentials, region: 'us-east-1', service: 'execute-api' } });
  const all = await Promise.all(Array.from({ length: 50 }, () => client.fetch(base + '/c')));
  assert.deepEqual([...new Set(all.map((r) => r.status))], [200]);
  assert.equal(calls, 1);
  // Credentials that expire in a minute are renewed at once (a quarter of
  // their lifetime before), once.
  lifetime = 60e3;
  client.close();
  const c2 = authlib.client({ auth: { type: 'aws4', credentials, region: 'us-east-1', service: 'execute-api' } });
  await c2.fetch(base + '/c');
  assert.equal(calls, 2);
  await Promise.all(Array.from({ length: 10 }, () => c2.fetch(base + '/c')));
  assert.equal(calls, 2);
  c2.close();

  // ISO strings, as STS gives them, are read too; a rejected promise is an
  // AuthError naming the function, with the rejection as its cause.
  const c3 = authlib.client({ auth: { type: 'aws4', region: 'us-east-1', service: 'execute-api', credentials: () => ({ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(Date.now() + 3600e3).toISOString() }) } });
  assert.equal((await c3.fetch(base + '/c')).status, 200);
  c3.close();
  const boom = new Error('no role');
  await assert.rejects(authlib.fetch(base + '/c', { auth: { type: 'aws4', region: 'us-east-1', service: 'execute-api', credentials: async () => { throw boom; } } }),
    (e) => e instanceof AuthError && e.code === 'invalid_credentials' && /credentials function/.test(e.message));
});

test('aws4 refuses, before sending, what it cannot sign, and names it without the secret', async () => {
  const secret = 'S3CR3T-never-shown';
  const cases = [
    [{ type: 'aws4', accessKeyId: 'AKID', secretAccessKey: secret }, /give region and service/], // a loopback host names no region
    [{ type: 'aws4', accessKeyId: 'AKID', secretAccessKey: 7, region: 'us-east-1', service: 's3' }, /secretAccessKey must be a string/],
    [{ type: 'aws4', secretAccessKey: secret, region: 'us-east-1', service: 's3' }, /accessKeyId must be a string/],
    [{ type: 'aws4', accessKeyId: 'AKID', secretAccessKey: secret, region: 'us east', service: 's3' }, /region/],
    [{ type: 'aws4', accessKeyId: 'AKID', secretAccessKey: secret, region: 'us-east-1', service: 's3', unsignedPayload: 'yes' }, /unsignedPayload must be a boolean/],
    [{ type: 'aws4', credentials: 'not a function', region: 'us-east-1', service: 's3' }, /credentials must be a function/],
  ];
  const before = await (await fetch(BASE + '/stats')).json();
  for (const [auth, want] of cases) {
    await assert.rejects(authlib.fetch(BASE + '/anything', { auth }), (e) => {
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.code, 'invalid_credentials', e.message);
      assert.match(e.message, want);
      assert.ok(!e.message.includes(secret));
      return true;
    });
  }
  const after = await (await fetch(BASE + '/stats')).json();
  assert.equal(after.exchanges['/anything'] ?? 0, before.exchanges['/anything'] ?? 0, 'nothing was sent');
  await assert.rejects(authlib.aws4.presign(BASE + '/x', { accessKeyId: 'AKID', secretAccessKey: secret, region: 'us-east-1', service: 's3', expires: 8 * 86400 }),
    (e) => e.code === 'invalid_request' && /7 days/.test(e.message));
});

test('aws4: a redirect to another origin carries no signature', async () => {
  const other = BASE.replace('127.0.0.1', 'localhost');
  const auth = { type: 'aws4', accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'tok', region: 'us-east-1', service: 's3' };
  const res = await authlib.fetch(BASE + '/redirect-to?url=' + encodeURIComponent(other + '/headers'), { auth });
  assert.equal(res.status, 200);
  const { headers } = await res.json();
  for (const h of Object.keys(headers)) assert.ok(!/^(authorization|x-amz-)/i.test(h), `${h} went to the other origin`);
  // The same origin keeps it.
  const same = await (await authlib.fetch(BASE + '/redirect-to?url=' + encodeURIComponent(BASE + '/headers'), { auth })).json();
  assert.match(same.headers.Authorization ?? same.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKID\//);
});
