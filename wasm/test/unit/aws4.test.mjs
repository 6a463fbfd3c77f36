// aws4.check against authtest's SigV4 API (/aws4/{service}/…), which
// answers a signature it computes otherwise as API Gateway does: 403,
// X-Amzn-ErrorType InvalidSignatureException, and a message that shows
// the canonical request it computed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE } from '../authtest.mjs';

let authlib;
before(async () => { authlib = await load(); });

// authtest's key (AWS's documentation example), and a session token with
// the characters AWS's and encodeURIComponent's encodings differ on.
const keys = { accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'execute-api' };
const GOOD = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = "session/token+with=(some)*'chars'!";
const url = BASE + '/aws4/execute-api/items?b=2&a=1';

async function explained(res) {
  assert.equal(res.status, 403);
  const e = await authlib.aws4.check(res);
  assert.ok(e instanceof AuthError, String(e));
  assert.equal(e.code, 'signature_mismatch');
  // What authlib signed: the request as sent, its signed headers among it.
  assert.match(e.canonicalRequest, /^GET\n\/aws4\/execute-api\/items\na=1&b=2\n/);
  assert.match(e.canonicalRequest, /\nx-amz-date:\d{8}T\d{6}Z\n/);
  assert.match(e.stringToSign, /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}$/);
  // The server computed the same canonical request (only the key was
  // wrong), and says so in its message (JSON, as API Gateway's).
  assert.ok(JSON.parse(e.server).message.includes(e.canonicalRequest), e.server);
  for (const s of [e.canonicalRequest, e.stringToSign, e.server, e.message]) {
    assert.ok(!s.includes(TOKEN) && !s.includes(encodeURIComponent(TOKEN)), 'the session token shows: ' + s);
  }
  assert.ok(e.canonicalRequest.includes('x-amz-security-token:[redacted]\n'));
  // The body can still be read: check read a clone.
  assert.match(await res.text(), /InvalidSignatureException|signature/i);
  return e;
}

test('aws4.check explains a refused signature from authlib.fetch and a client, the session token masked', async () => {
  const auth = { type: 'aws4', ...keys, secretAccessKey: 'the wrong secret', sessionToken: TOKEN };
  await explained(await authlib.fetch(url, { auth }));
  const c = authlib.client({ auth });
  await explained(await c.fetch(url));
  c.close();
});

test('aws4.check explains a refused signature of a request Go ran (a credentials function)', async () => {
  const auth = { type: 'aws4', ...keys, credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'the wrong secret', sessionToken: TOKEN }) };
  await explained(await authlib.fetch(url, { auth }));
});

test('aws4.check answers null for what is not a refused signature', async () => {
  const ok = await authlib.fetch(url, { auth: { type: 'aws4', ...keys, secretAccessKey: GOOD } });
  assert.equal(ok.status, 200);
  assert.equal(await authlib.aws4.check(ok), null);
  const other = await fetch(BASE + '/status/403');
  assert.equal(await authlib.aws4.check(other), null);
  await assert.rejects(authlib.aws4.check({ status: 403 }), (e) => e instanceof AuthError && e.code === 'invalid_request');
});

test('aws4.check masks the session token in a server message that echoes it, as AWS\'s does (raw and percent-encoded)', async () => {
  const http = await import('node:http');
  // A loopback server that refuses every signature as S3 does (in the
  // body) and echoes the token it got, as AWS's canonical string shows it.
  const server = http.createServer((req, res) => {
    const t = req.headers['x-amz-security-token'];
    res.writeHead(403, { 'Content-Type': 'application/xml' });
    res.end(`<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>x-amz-security-token:${t}</CanonicalRequest><Q>${encodeURIComponent(t)}</Q></Error>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await authlib.fetch(`http://127.0.0.1:${server.address().port}/bucket/key`, { auth: { type: 'aws4', ...keys, service: 's3', secretAccessKey: GOOD, sessionToken: TOKEN } });
    const e = await authlib.aws4.check(res);
    assert.equal(e?.code, 'signature_mismatch');
    assert.ok(!e.server.includes(TOKEN) && !e.server.includes(encodeURIComponent(TOKEN)), e.server);
    assert.equal(e.server.split('[redacted]').length, 3, e.server);
  } finally {
    server.close();
  }
});

test('a credentials function, or an auth function, still pending when the timeout comes is a timeout, not refused credentials', async () => {
  const never = () => new Promise(() => {});
  // AbortSignal.timeout's timer does not keep Node alive, and a promise
  // never settled holds nothing: this test's own timer does.
  const alive = setInterval(() => {}, 1000);
  try {
  await assert.rejects(authlib.fetch(url, { auth: { type: 'aws4', region: 'us-east-1', service: 'execute-api', credentials: never }, timeout: 150 }),
    (e) => e instanceof AuthError && e.code === 'timeout');
  await assert.rejects(authlib.fetch(url, { auth: never, timeout: 150 }), (e) => e instanceof AuthError && e.code === 'timeout');
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 100);
  await assert.rejects(authlib.fetch(url, { auth: { type: 'aws4', region: 'us-east-1', service: 'execute-api', credentials: never }, signal: ctl.signal }),
    (e) => e instanceof AuthError && e.code === 'aborted');
  } finally {
    clearInterval(alive);
  }
});
