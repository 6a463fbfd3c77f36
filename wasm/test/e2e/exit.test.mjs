// Nothing of authlib keeps a Node process alive once its calls have
// settled: each flow and scheme runs in a process of its own, against
// authtest, which must end within a second of its work (a Go timer, even
// a stopped one, keeps Node alive until it would fire: the OAuth 1.0a flow
// once ended 30 s after its work).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BASE } from '../authtest.mjs';

const DIST = new URL('../../../web/dist/authlib.mjs', import.meta.url).href;
const SECRET = 'p@ss: 100% +sure';

// Each program does its work with authlib, then prints "done".
const programs = {
  'oauth1 flow': `
    const app = { clientKey: 'oauth1-client', clientSecret: 'oauth1 secret: kept & safe' };
    const rt = await authlib.oauth1.requestToken(B + '/oauth1/request_token', { ...app, callback: 'https://app.example/cb' });
    const back = (await fetch(authlib.oauth1.authorizationURL(B + '/oauth1/authorize', rt), { redirect: 'manual' })).headers.get('location');
    const { oauth_verifier } = authlib.oauth1.parseAuthorizationResponse(back);
    const t = await authlib.oauth1.accessToken(B + '/oauth1/access_token', { ...app, resourceOwnerKey: rt.oauth_token, resourceOwnerSecret: rt.oauth_token_secret, verifier: oauth_verifier });
    const res = await authlib.fetch(B + '/oauth1/api/user', { auth: { type: 'oauth1', ...app, resourceOwnerKey: t.oauth_token, resourceOwnerSecret: t.oauth_token_secret } });
    if (res.status !== 200) throw new Error('status ' + res.status);`,
  'aws4.presign': `
    const u = await authlib.aws4.presign(B + '/aws4/s3/k', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' });
    if (!u.includes('X-Amz-Signature')) throw new Error(u);`,
  'oauth2 discover, register, client credentials, revoke, logout': `
    await authlib.oauth2.discover(B);
    await authlib.oauth2.discoverResource(B + '/mcp');
    await authlib.oauth2.register({ issuer: B, metadata: { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' } });
    const c = authlib.client({ auth: { type: 'oauth2', issuer: B, clientId: 'my-app', clientSecret: SECRET } });
    if ((await c.fetch(B + '/oauth/api/user')).status !== 200) throw new Error('client credentials');
    await c.logout();
    c.close();`,
  'oauth2 authorize, exchange, DPoP fetch': `
    const o = { issuer: B, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb', scope: 'read:user', dpop: true };
    const a = await authlib.oauth2.authorize(o);
    const cb = (await fetch(a.url, { redirect: 'manual' })).headers.get('location');
    const token = await authlib.oauth2.exchange({ ...o, dpop: a.dpopKey, callback: cb, state: a.state, codeVerifier: a.codeVerifier });
    const res = await authlib.fetch(B + '/oauth/api/user', { auth: { type: 'oauth2', ...o, token, dpop: a.dpopKey } });
    if (res.status !== 200) throw new Error('status ' + res.status);
    await authlib.oauth2.revoke({ ...o, token: token.refresh_token });`,
  'oauth2 device flow': `
    await authlib.oauth2.device({ issuer: B, clientId: 'public-app', scope: 'read:user', onCode: (c) => { fetch(c.verification_uri_complete); } });`,
  'digest, basic and a timeout': `
    const c = authlib.client({ auth: { type: 'digest', username: 'user', password: 'passwd' }, timeout: 20000 });
    for (let i = 0; i < 3; i++) if ((await c.fetch(B + '/digest-auth/auth/user/passwd')).status !== 200) throw new Error('digest');
    if ((await authlib.fetch(B + '/basic-auth/user/passwd', { auth: ['user', 'passwd'], timeout: 20000 })).status !== 200) throw new Error('basic');`,
};

function run(body) {
  const src = `import { load } from ${JSON.stringify(DIST)};
    const B = ${JSON.stringify(BASE)}, SECRET = ${JSON.stringify(SECRET)};
    const authlib = await load();
    ${body}
    console.log('done');`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', doneAt = 0;
    p.stdout.on('data', (d) => {
      out += d;
      if (!doneAt && out.includes('done')) doneAt = Date.now();
    });
    p.stderr.on('data', (d) => { err += d; });
    const kill = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('exit', (code) => {
      clearTimeout(kill);
      if (!doneAt) reject(new Error(`exited ${code} before its work was done: ${err}`));
      else resolve(Date.now() - doneAt);
    });
  });
}

for (const [name, body] of Object.entries(programs)) {
  test(`a Node process ends once its calls settle: ${name}`, async () => {
    const after = await run(body);
    assert.ok(after < 1000, `the process lived ${after} ms after its work`);
  });
}
