// oidc-provider (pinned, in bin/npm: an OpenID-certified server nobody on
// this project wrote) as servers now run it: DPoP with nonces required,
// pushed authorization requests, registration, resource indicators, client
// assertions, revocation; and a resource server (the API) that checks
// DPoP proofs with jose, oidc-provider's own JOSE library, and publishes
// its metadata (RFC 9728). The interop
// tests import start(); run as a program (node web/tools/oidc-provider.mjs,
// REDIRECT set to a page's callback URL) it serves both on loopback for a
// browser test and prints {"issuer", "api"} as one JSON line.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const npm = (p) => new URL('../../bin/npm/node_modules/' + p, import.meta.url);
const { default: Provider } = await import(npm('oidc-provider/lib/index.js'));
const jose = await import(npm('jose/dist/webapi/index.js'));

/** HS_SECRET is svc-hs's secret: long enough for HS256 (client_secret_jwt). */
export const HS_SECRET = 'a client secret long enough for HS256, 256 bits';

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * start serves the provider and the API on loopback. Its clients: spa, a
 * public client (redirect, its redirect URI; DPoP-bound tokens); svc-jwt,
 * private_key_jwt with the public JWK clientJWK (kid svc-key); svc-hs,
 * client_secret_jwt with HS_SECRET. It returns { issuer, api, provider,
 * seen (the API's counts: proofs taken, nonce challenges, Bearer tokens;
 * and the provider's refresh grants; GET /seen on the API's origin
 * answers it), close }.
 */
export async function start({ redirect, clientJWK }) {
  const quiet = { warn: console.warn, info: console.info };
  console.warn = console.info = () => {}; // its development-mode notices
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const seen = { proofs: 0, nonceChallenges: 0, bearer: 0, refreshes: 0 };
  const rsNonce = randomBytes(12).toString('base64url');
  let provider;
  const apiServer = createServer((req, res) => resource(req, res).catch(() => res.writeHead(500).end()));
  await new Promise((r) => apiServer.listen(0, '127.0.0.1', r));
  const api = `http://127.0.0.1:${apiServer.address().port}/api`;

  // resource is the API: it asks the provider whether the token is live
  // and for it, and checks a DPoP-bound token's proof (RFC 9449 §7, §4.3)
  // with jose: the signature by the header's jwk, typ, htm, htu, ath, the
  // jwk's thumbprint the token's, and its own nonce. Pages may call it
  // (CORS, its challenges and nonce readable).
  async function resource(req, res) {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate, DPoP-Nonce' };
    if (req.method === 'OPTIONS') {
      return res.writeHead(204, { ...cors, 'Access-Control-Allow-Headers': 'Authorization, DPoP', 'Access-Control-Allow-Methods': 'GET' }).end();
    }
    const ok = (body) => res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/seen') return ok(seen); // for the pages of the tests
    // Its metadata (RFC 9728), named in every 401 (§5.1), for clients
    // that start from nothing but its URL.
    const metadata = `${new URL(api).origin}/.well-known/oauth-protected-resource/api`;
    if (req.url === '/.well-known/oauth-protected-resource/api') {
      return ok({ resource: api, authorization_servers: [issuer], scopes_supported: ['api:read'], dpop_signing_alg_values_supported: ['ES256', 'EdDSA'] });
    }
    const deny = (challenge, extra = {}) => res.writeHead(401, { ...cors, 'WWW-Authenticate': `${challenge}, resource_metadata="${metadata}"`, ...extra }).end();
    const [scheme, tok] = (req.headers.authorization ?? '').split(' ');
    const found = (await provider.AccessToken.find(tok ?? '')) ?? (await provider.ClientCredentials.find(tok ?? ''));
    if (!found) return deny(`${scheme === 'DPoP' ? 'DPoP' : 'Bearer'} error="invalid_token"`);
    if (!found.jkt) {
      if (scheme !== 'Bearer') return deny('Bearer error="invalid_token"');
      seen.bearer++;
      return ok({ client: found.clientId, bound: false });
    }
    if (scheme !== 'DPoP') return deny('DPoP error="invalid_token", error_description="a DPoP-bound token sent as Bearer"');
    try {
      const { payload, protectedHeader } = await jose.jwtVerify(req.headers.dpop, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'EdDSA'] });
      const ath = jose.base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(tok))));
      const htu = `http://${req.headers.host}${req.url.split('?')[0]}`;
      if (payload.htm !== req.method || payload.htu !== htu || payload.ath !== ath || (await jose.calculateJwkThumbprint(protectedHeader.jwk)) !== found.jkt) {
        return deny('DPoP error="invalid_dpop_proof"');
      }
      if (payload.nonce !== rsNonce) {
        seen.nonceChallenges++;
        return deny('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': rsNonce });
      }
    } catch {
      return deny('DPoP error="invalid_dpop_proof"');
    }
    seen.proofs++;
    ok({ client: found.clientId, bound: true });
  }

  const clients = [
    { client_id: 'spa', token_endpoint_auth_method: 'none', response_types: ['code'], redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'], dpop_bound_access_tokens: true },
    { client_id: 'svc-hs', client_secret: HS_SECRET, token_endpoint_auth_method: 'client_secret_jwt',
      grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
  ];
  if (clientJWK) {
    clients.push({ client_id: 'svc-jwt', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...clientJWK, kid: 'svc-key' }] },
      grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
  }
  provider = new Provider(issuer, {
    clients,
    features: {
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      pushedAuthorizationRequests: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => api,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== api) throw new Error('unknown resource');
          return { scope: 'api:read', audience: api, accessTokenFormat: 'opaque' };
        },
      },
      clientCredentials: { enabled: true }, devInteractions: { enabled: true }, revocation: { enabled: true },
    },
    issueRefreshToken: async () => true,
    scopes: ['openid', 'offline_access', 'api:read'],
  });
  provider.on('grant.success', (ctx) => { if (ctx.oidc.params?.grant_type === 'refresh_token') seen.refreshes++; });
  const as = provider.listen(port, '127.0.0.1');
  console.warn = quiet.warn; console.info = quiet.info;
  return { issuer, api, provider, seen, close: () => { as.close(); apiServer.close(); } };
}

/**
 * browse is a browser's part in a flow: it visits url with cookies,
 * follows redirects and submits each form (the device code confirmation,
 * the development login as "jason", the consent) until the server sends
 * the browser to redirect, whose URL it returns, or shows a page without a
 * form (the device flow's end), whose URL it returns.
 */
export async function browse(url, redirect) {
  const jar = new Map();
  let init = {};
  for (let step = 0; step < 30; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, headers: { ...init.headers, cookie }, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const kv = c.split(';')[0];
      jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
    }
    const loc = res.headers.get('location');
    if (loc) {
      url = new URL(loc, url).href;
      init = {};
      if (url.startsWith(redirect)) return url;
      continue;
    }
    const form = (await res.text()).match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/);
    if (!form) return url;
    const fields = new URLSearchParams();
    for (const [tag] of form[2].matchAll(/<input[^>]*>/g)) {
      const name = tag.match(/name="([^"]+)"/)?.[1];
      if (name) fields.set(name, tag.match(/value="([^"]*)"/)?.[1] ?? '');
    }
    if (fields.has('login')) fields.set('login', 'jason');
    url = new URL(form[1].replace(/&amp;/g, '&'), url).href;
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() };
  }
  throw new Error('the browser got lost at ' + url);
}

if (import.meta.url === new URL(process.argv[1], 'file:').href) {
  if (!process.env.REDIRECT) throw new Error('set REDIRECT, the callback URL of the page that logs in');
  const s = await start({ redirect: process.env.REDIRECT });
  console.log(JSON.stringify({ issuer: s.issuer, api: s.api }));
}
