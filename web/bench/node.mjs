// The Node half of make bench: request overhead (sequential and
// concurrent), Digest round trips, and load to ready. It prints one JSON
// object. Environment: BENCH_URL (the mock API), BENCH_DIST (authlib.mjs and
// friends), HELLO_WASM, N, ROUNDS, CONC, LOADS, WARM (the most warm-up
// rounds a variant gets).
import { pathToFileURL } from 'node:url';
import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { median, rounds } from './page/rounds.mjs';

const env = process.env;
const BASE = env.BENCH_URL;
const N = +env.N || 200, ROUNDS = +env.ROUNDS || 7, CONC = +env.CONC || 256, LOADS = +env.LOADS || 7;
const mjs = pathToFileURL(env.BENCH_DIST + '/authlib.mjs').href;

if (process.argv[2] === 'load-authlib') {
  const t0 = performance.now();
  const { load } = await import(mjs);
  await load();
  console.log(performance.now() - t0);
  process.exit(0);
}
if (process.argv[2] === 'load-hello') {
  const t0 = performance.now();
  await import(pathToFileURL(env.BENCH_DIST + '/wasm_exec.js').href);
  const { readFile } = await import('node:fs/promises');
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(await readFile(env.HELLO_WASM), go.importObject);
  const log = console.log;
  console.log = () => {};
  await go.run(instance);
  console.log = log;
  console.log(performance.now() - t0);
  process.exit(0);
}

const { load } = await import(mjs);
const authlib = await load();
const header = 'Basic ' + Buffer.from('user:pass').toString('base64');
const check = async (res) => {
  if (res.status !== 200) throw new Error('benchmark request got ' + res.status);
  await res.arrayBuffer();
};
// What users would pick instead, pinned and installed by make bench.
const tools = new URL('../../bin/npm/node_modules/', import.meta.url);
const { default: axios } = await import(new URL('axios/index.js', tools).href);
const { default: DigestClient } = await import(new URL('digest-fetch/digest-fetch-src.js', tools).href);

// variants are the ways to send one Basic-auth GET to url.
function variants(url) {
  const client = authlib.client({ auth: ['user', 'pass'] });
  return {
    raw: () => fetch(url, { headers: { Authorization: header } }).then(check),
    authlib: () => authlib.fetch(url, { auth: ['user', 'pass'] }).then(check),
    client: () => client.fetch(url).then(check),
    axios: () => axios.get(url, { auth: { username: 'user', password: 'pass' }, responseType: 'arraybuffer' }).then((r) => {
      if (r.status !== 200) throw new Error('axios got ' + r.status);
    }),
  };
}
const WARM = +env.WARM || 20;
const seq = (n) => async (f) => { for (let i = 0; i < n; i++) await f(); };
const par = (c) => async (f) => { await Promise.all(Array.from({ length: c }, f)); };

// A bare server in a child process, beside authtest.
const child = spawn(process.execPath, [new URL('bare.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const barePort = await new Promise((resolve, reject) => {
  child.stdout.once('data', (d) => resolve(+String(d).trim()));
  child.once('error', reject);
});
const bareURL = `http://127.0.0.1:${barePort}/`;

const sequential = await rounds(variants(BASE + '/basic-auth/user/pass'), ROUNDS, N, seq(N), WARM);
const concurrent = await rounds(variants(BASE + '/basic-auth/user/pass'), ROUNDS, CONC, par(CONC), WARM);
const bareSequential = await rounds(variants(bareURL), ROUNDS, N, seq(N), WARM);
const bareConcurrent = await rounds(variants(bareURL), ROUNDS, CONC, par(CONC), WARM);
child.kill();

// Digest through one client against digest-fetch (pure JS), the nonce
// reused by both, sequential requests to authtest.
const dpath = BASE + '/digest-auth/auth/user/pass/MD5';
const dclient = authlib.client({ auth: { type: 'digest', username: 'user', password: 'pass' } });
const dfetch = new DigestClient('user', 'pass');
const digestVsJS = await rounds({
  raw: () => dfetch.fetch(dpath).then(check),
  authlib: () => dclient.fetch(dpath).then(check),
}, ROUNDS, N, seq(N), WARM);

// A POST with a body and a Headers object (the JS path reads both), against
// raw fetch with the same.
const three = { 'X-A': '1', 'X-B': '2', 'X-C': '3' };
const purl = BASE + '/basic-auth/user/pass';
const postWithHeaders = await rounds({
  raw: () => fetch(purl, { method: 'POST', body: 'hello', headers: { ...three, Authorization: header } }).then(check),
  authlib: () => authlib.fetch(purl, { method: 'POST', body: 'hello', headers: new Headers(three), auth: ['user', 'pass'] }).then(check),
}, ROUNDS, N, seq(N), WARM);

// OAuth with a token held, through one client, against a Bearer client
// and raw fetch with the same token (authtest's OAuth API): a cached token
// should cost what a Bearer costs.
const oclient = authlib.client({ auth: { type: 'oauth2', tokenURL: BASE + '/oauth/token', clientId: 'my-app', clientSecret: 'p@ss: 100% +sure' } });
const opath = BASE + '/oauth/api/user';
await check(await oclient.fetch(opath));
const tok = await (await fetch(BASE + '/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'my-app', client_secret: 'p@ss: 100% +sure' }) })).json();
const bclient = authlib.client({ auth: { type: 'bearer', token: tok.access_token } });
const oauthVsBearer = await rounds({
  raw: () => fetch(opath, { headers: { Authorization: 'Bearer ' + tok.access_token } }).then(check),
  bearer: () => bclient.fetch(opath).then(check),
  oauth: () => oclient.fetch(opath).then(check),
}, ROUNDS, N, seq(N), WARM);

// AWS SigV4 against aws4fetch (pure JS, WebCrypto), both signing every
// request anew, sequential GETs to authtest, which checks each signature.
const { AwsClient } = await import(new URL('aws4fetch/dist/aws4fetch.esm.mjs', tools).href);
const awsKeys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api' };
const aws4fetch = new AwsClient(awsKeys);
const awsAuth = { type: 'aws4', ...awsKeys };
const aclient = authlib.client({ auth: awsAuth });
const apath = BASE + '/aws4/execute-api/bench/items?limit=10';
const aws4VsJS = await rounds({
  raw: () => aws4fetch.fetch(apath).then(check),
  authlib: () => authlib.fetch(apath, { auth: awsAuth }).then(check),
  client: () => aclient.fetch(apath).then(check),
}, ROUNDS, N, seq(N), WARM);

// OAuth 1.0a (HMAC-SHA1) against oauth-1.0a with Node's crypto for the
// HMAC, sequential GETs to authtest's provider, which checks each one.
const { createRequire } = await import('node:module');
const OAuth = createRequire(import.meta.url)(new URL('oauth-1.0a/oauth-1.0a.js', tools).pathname);
const nodeCrypto = await import('node:crypto');
const o1 = { key: 'oauth1-client', secret: 'oauth1 secret: kept & safe' }, o1tok = { key: 'oauth1-token', secret: 'oauth1 token/secret+=' };
const oauth1js = OAuth({ consumer: o1, signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => nodeCrypto.createHmac('sha1', key).update(base).digest('base64') });
const o1auth = { type: 'oauth1', clientKey: o1.key, clientSecret: o1.secret, resourceOwnerKey: o1tok.key, resourceOwnerSecret: o1tok.secret };
const o1client = authlib.client({ auth: o1auth });
const o1path = BASE + '/oauth1/api/user';
const oauth1VsJS = await rounds({
  raw: () => fetch(o1path, { headers: oauth1js.toHeader(oauth1js.authorize({ url: o1path, method: 'GET' }, o1tok)) }).then(check),
  authlib: () => authlib.fetch(o1path, { auth: o1auth }).then(check),
  client: () => o1client.fetch(o1path).then(check),
}, ROUNDS, N, seq(N), WARM);

// RFC 9421 (ed25519, RFC 9421's example key) against http-message-signatures
// with Node's crypto; authlib signs with a non-extractable WebCrypto key.
// Sequential GETs to authtest, which checks each signature.
const { httpbis: { signMessage }, createSigner } = createRequire(import.meta.url)(new URL('http-message-signatures/lib/index.js', tools).pathname);
const edPem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n';
const npmKey = createSigner(nodeCrypto.createPrivateKey(edPem), 'ed25519', 'test-key-ed25519');
const edKey = await crypto.subtle.importKey('pkcs8', nodeCrypto.createPrivateKey(edPem).export({ type: 'pkcs8', format: 'der' }), { name: 'Ed25519' }, false, ['sign']);
const sigFields = ['@method', '@path', '@query', '@authority'];
const hsAuth = { type: 'httpsig', keyId: 'test-key-ed25519', key: edKey, components: sigFields };
const hsClient = authlib.client({ auth: hsAuth });
const hsPath = BASE + '/httpsig/items?limit=10';
const httpsigVsJS = await rounds({
  raw: async () => fetch(hsPath, { headers: (await signMessage({ key: npmKey, fields: sigFields }, { method: 'GET', url: hsPath, headers: {} })).headers }).then(check),
  authlib: () => authlib.fetch(hsPath, { auth: hsAuth }).then(check),
  client: () => hsClient.fetch(hsPath).then(check),
}, ROUNDS, N, seq(N), WARM);

// A request with a DPoP-bound token (RFC 9449: a new proof, ES256, for
// each request) against oauth4webapi, both with the same non-extractable
// WebCrypto key and the same token, from a login of authtest's public
// client bound to the key. authtest checks each proof and its nonce.
const oauth4 = await import(new URL('oauth4webapi/build/index.js', tools).href);
const dpopKeys = await authlib.oauth2.dpopKey();
const dlogin = { issuer: BASE, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb', dpop: dpopKeys };
const da = await authlib.oauth2.authorize(dlogin);
const dtok = await authlib.oauth2.exchange({ ...dlogin, callback: (await fetch(da.url, { redirect: 'manual' })).headers.get('location'), state: da.state, codeVerifier: da.codeVerifier });
const ppath = BASE + '/oauth/api/user';
const pAuth = { type: 'oauth2', ...dlogin, token: dtok };
const pclient = authlib.client({ auth: pAuth });
const dHandle = oauth4.DPoP({ client_id: 'public-app' }, dpopKeys);
const dOpts = { DPoP: dHandle, [oauth4.allowInsecureRequests]: true };
const pURL = new URL(ppath);
const oauth4Get = () => oauth4.protectedResourceRequest(dtok.access_token, 'GET', pURL, new Headers(), null, dOpts)
  .catch((e) => (oauth4.isDPoPNonceError(e) ? oauth4.protectedResourceRequest(dtok.access_token, 'GET', pURL, new Headers(), null, dOpts) : Promise.reject(e)));
const dpopVsJS = await rounds({
  raw: () => oauth4Get().then(check),
  authlib: () => authlib.fetch(ppath, { auth: pAuth }).then(check),
  client: () => pclient.fetch(ppath).then(check),
}, ROUNDS, N, seq(N), WARM);

async function exchanges(path) {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges[path] ?? 0;
}
async function digest(n, query) {
  const user = 'd' + Math.random().toString(36).slice(2);
  const path = `/digest-auth/auth/${user}/p/SHA-256`;
  const c = authlib.client({ auth: { type: 'digest', username: user, password: 'p' } });
  for (let i = 0; i < n; i++) await c.fetch(BASE + path + query).then(check);
  return exchanges(path);
}
const DN = +env.DIGEST_N || 100;
const digestRT = { requests: DN, exchanges: await digest(DN, ''), staleEvery: 10, exchangesStale: await digest(DN, '?stale_after=10') };

// The cheapest call into Go: basic() builds a header and returns it.
const goCalls = [];
for (let r = 0; r < 5; r++) {
  const n = 20000, t0 = performance.now();
  for (let i = 0; i < n; i++) authlib.basic('user', 'pass');
  goCalls.push((performance.now() - t0) / n * 1000);
}
const goCallUs = median(goCalls.slice(1));

const loads = { authlib: [], hello: [] };
for (let i = 0; i < LOADS; i++) {
  for (const which of i % 2 ? ['hello', 'authlib'] : ['authlib', 'hello']) {
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, 'load-' + which], { env, encoding: 'utf8' });
    loads[which].push(+out.trim());
  }
}
const load2 = { authlibMs: median(loads.authlib), helloMs: median(loads.hello), ratio: median(loads.authlib.map((t, i) => t / loads.hello[i])) };

console.log(JSON.stringify({ node: process.version, N, ROUNDS, CONC, sequential, concurrent, bareSequential, bareConcurrent, digestVsJS, aws4VsJS, oauth1VsJS, httpsigVsJS, dpopVsJS, oauthVsBearer, postWithHeaders, goCallUs, digest: digestRT, load: load2 }));
process.exit(0);
