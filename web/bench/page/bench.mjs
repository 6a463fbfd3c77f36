// The Chromium half of make bench: the same sequential and concurrent
// Basic-auth GETs as in Node, plus Go's net/http client inside wasm, and
// the signing schemes against the JS libraries a page would use. The
// result is left in window.__bench for the driver to read.
import { load } from './authlib.mjs';
import { rounds } from './rounds.mjs';

const q = new URLSearchParams(location.search);
const N = +q.get('n') || 200, ROUNDS = +q.get('rounds') || 7, CONC = +q.get('conc') || 256, WARM = +q.get('warm') || 20;
const url = new URL('api/basic-auth/user/pass', location.href).href;
const header = 'Basic ' + btoa('user:pass');

async function loadNethttp() {
  const ready = new Promise((resolve) => { globalThis.__nethttpReady = resolve; });
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('nethttp.wasm'), go.importObject);
  go.run(instance);
  await ready;
}

try {
  const authlib = await load();
  await loadNethttp();
  const client = authlib.client({ auth: ['user', 'pass'] });
  const check = async (res) => {
    if (res.status !== 200) throw new Error('benchmark request got ' + res.status);
    await res.arrayBuffer();
  };
  const variants = {
    raw: () => fetch(url, { headers: { Authorization: header }, credentials: 'omit' }).then(check),
    authlib: () => authlib.fetch(url, { auth: ['user', 'pass'] }).then(check),
    client: () => client.fetch(url).then(check),
    nethttp: () => globalThis.nethttpGet(url, 'user', 'pass').then((s) => { if (s !== 200) throw new Error('net/http got ' + s); }),
  };
  const sequential = await rounds(variants, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  const concurrent = await rounds(variants, ROUNDS, CONC, async (f) => { await Promise.all(Array.from({ length: CONC }, f)); }, WARM);
  // AWS SigV4 against aws4fetch, as in Node.
  const { AwsClient } = await import('./aws4fetch.mjs');
  const awsKeys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api' };
  const aws4fetch = new AwsClient(awsKeys);
  const awsAuth = { type: 'aws4', ...awsKeys };
  const aclient = authlib.client({ auth: awsAuth });
  const apath = new URL('api/aws4/execute-api/bench/items?limit=10', location.href).href;
  const aws4VsJS = await rounds({
    raw: () => aws4fetch.fetch(apath).then(check),
    authlib: () => authlib.fetch(apath, { auth: awsAuth }).then(check),
    client: () => aclient.fetch(apath).then(check),
  }, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  // OAuth 1.0a (HMAC-SHA1) against oauth-1.0a with crypto-js, and RFC 9421
  // (Ed25519) against http-message-signatures, both signing with the same
  // non-extractable WebCrypto key as authlib: what a page would use
  // (signers.mjs, which make bench bundles from npm).
  const { OAuth, hmacSHA1, Base64, httpbis } = await import('./signers.mjs');
  const o1 = { key: 'oauth1-client', secret: 'oauth1 secret: kept & safe' }, o1tok = { key: 'oauth1-token', secret: 'oauth1 token/secret+=' };
  const oauth1js = OAuth({ consumer: o1, signature_method: 'HMAC-SHA1', hash_function: (base, key) => Base64.stringify(hmacSHA1(base, key)) });
  const o1auth = { type: 'oauth1', clientKey: o1.key, clientSecret: o1.secret, resourceOwnerKey: o1tok.key, resourceOwnerSecret: o1tok.secret };
  const o1client = authlib.client({ auth: o1auth });
  const o1path = new URL('api/oauth1/api/user', location.href).href;
  const oauth1VsJS = await rounds({
    raw: () => fetch(o1path, { headers: oauth1js.toHeader(oauth1js.authorize({ url: o1path, method: 'GET' }, o1tok)), credentials: 'omit' }).then(check),
    authlib: () => authlib.fetch(o1path, { auth: o1auth }).then(check),
    client: () => o1client.fetch(o1path).then(check),
  }, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  // RFC 9421's example Ed25519 key (B.1.4), which authtest knows.
  const edDer = Uint8Array.from(atob('MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF'), (c) => c.charCodeAt(0));
  const edKey = await crypto.subtle.importKey('pkcs8', edDer, { name: 'Ed25519' }, false, ['sign']);
  const npmSigner = { id: 'test-key-ed25519', alg: 'ed25519', sign: async (data) => new Uint8Array(await crypto.subtle.sign('Ed25519', edKey, data)) };
  const sigFields = ['@method', '@path', '@query', '@authority'];
  const hsAuth = { type: 'httpsig', keyId: 'test-key-ed25519', key: edKey, components: sigFields };
  const hsClient = authlib.client({ auth: hsAuth });
  const hsPath = new URL('api/httpsig/items?limit=10', location.href).href;
  const httpsigVsJS = await rounds({
    raw: async () => fetch(hsPath, { headers: (await httpbis.signMessage({ key: npmSigner, fields: sigFields }, { method: 'GET', url: hsPath, headers: {} })).headers, credentials: 'omit' }).then(check),
    authlib: () => authlib.fetch(hsPath, { auth: hsAuth }).then(check),
    client: () => hsClient.fetch(hsPath).then(check),
  }, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  // A DPoP-bound token against oauth4webapi, as in Node; the login's
  // callback is read from where fetch followed authtest's redirect (a page
  // cannot read a redirect's Location).
  const { oauth4webapi: oauth4 } = await import('./signers.mjs');
  const dpopKeys = await authlib.oauth2.dpopKey();
  const issuer = new URL('api', location.href).href;
  const dlogin = { issuer, clientId: 'public-app', redirectURI: new URL('api/anything', location.href).href, dpop: dpopKeys };
  const da = await authlib.oauth2.authorize(dlogin);
  const back = (await fetch(da.url, { credentials: 'omit' })).url;
  const dtok = await authlib.oauth2.exchange({ ...dlogin, callback: back, state: da.state, codeVerifier: da.codeVerifier });
  const dpath = new URL('api/oauth/api/user', location.href).href;
  const dAuth = { type: 'oauth2', ...dlogin, token: dtok };
  const dclient = authlib.client({ auth: dAuth });
  const dOpts = { DPoP: oauth4.DPoP({ client_id: 'public-app' }, dpopKeys), [oauth4.allowInsecureRequests]: true };
  const dURL = new URL(dpath);
  const oauth4Get = () => oauth4.protectedResourceRequest(dtok.access_token, 'GET', dURL, new Headers(), null, dOpts)
    .catch((e) => (oauth4.isDPoPNonceError(e) ? oauth4.protectedResourceRequest(dtok.access_token, 'GET', dURL, new Headers(), null, dOpts) : Promise.reject(e)));
  const dpopVsJS = await rounds({
    raw: () => oauth4Get().then(check),
    authlib: () => authlib.fetch(dpath, { auth: dAuth }).then(check),
    client: () => dclient.fetch(dpath).then(check),
  }, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  window.__bench = { ok: true, userAgent: navigator.userAgent, sequential, concurrent, aws4VsJS, oauth1VsJS, httpsigVsJS, dpopVsJS };
} catch (err) {
  window.__bench = { ok: false, error: String(err && err.stack || err) };
}
document.getElementById('state').textContent = 'done';
