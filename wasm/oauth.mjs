// oauth.mjs — authlib.oauth2: discovery, the authorization code with
// PKCE, the device flow, and revocation.

import { Message, decode } from './wire.mjs';
import { AuthError, knownKeys, scalar } from './common.mjs';
import { attempt, readOption } from './input.mjs';
import { OAUTH_KEYS, OAUTH_OPTIONS, addOAuth, oauthFields, oauthKeys } from './auth.mjs';
import { newDPoPKey } from './httpsig.mjs';

// FLOW_KEYS are the options each flow takes.
// type may be there, as 'oauth2': one object of settings serves as the
// auth option and in the flows.
const FLOW = [...OAUTH_OPTIONS, ...OAUTH_KEYS, 'signal', 'type'];
const FLOW_KEYS = {
  flow: FLOW, authorize: [...FLOW, 'params'], register: [...FLOW, 'metadata', 'initialAccessToken'], device: [...FLOW, 'onCode'],
  discover: ['signal'], discoverResource: ['signal'],
};

// oauth2API is authlib.oauth2: discovery, the authorization code with
// PKCE, and the device flow. Tokens come back as objects with
// requests-oauthlib's field names.
export function oauth2API(raw) {
  // call runs a flow with the settings o and, in the message, what add
  // adds (a flow's own fields); then(result, keys) makes its answer, keys
  // as oauthKeys read them (the DPoP key pair among them).
  const call = (op, o, add, onCode, then = (r) => r) => attempt(() => {
    if (o != null && typeof o === 'object') {
      knownKeys('authlib.oauth2.' + op, o, FLOW_KEYS[op] ?? FLOW_KEYS.flow);
      if ('type' in o && o.type !== 'oauth2' && o.type !== undefined) throw new AuthError('authlib: the settings of authlib.oauth2.' + op + ' are OAuth 2.0\'s: type, when given, is \'oauth2\'', 'invalid_request');
    }
    // Each option read once; a signal that is not an AbortSignal refused.
    const signal = o?.signal == null ? undefined : readOption('signal', o.signal);
    const m = new Message();
    const f = oauthFields(o);
    const keys = oauthKeys(o, f);
    addOAuth(m, f);
    add?.(m);
    const msg = m.text();
    return new Promise((resolve, reject) => raw.oauth2(op, msg, onCode, signal, resolve, reject, keys?.fn)).then((r) => then(r, keys));
  });
  const text = (v) => (typeof v === 'bigint' || typeof v === 'symbol' ? '' : String(v));
  return {
    discover: (issuer, o) => call('discover', o, (m) => m.add('oauth.issuer', text(issuer))).then(JSON.parse),
    authorize: (o) => {
      let params;
      try {
        params = [...new URLSearchParams(o?.params ?? {})].flat();
      } catch {
        return Promise.reject(new AuthError('authlib: params is a record of strings', 'invalid_request'));
      }
      // With dpop, the key pair is in the answer, to give exchange (and
      // the client) as dpop: the code is bound to it.
      const add = (m) => {
        for (let i = 0; i + 1 < params.length; i += 2) m.add('oauth.param', encodeURIComponent(params[i]) + '=' + encodeURIComponent(params[i + 1]));
      };
      return call('authorize', o, add, undefined, async (msg, keys) => {
        const m = decode(msg);
        const out = { url: m.get('url')[0], state: m.get('oauth.state')[0], codeVerifier: m.get('oauth.codeVerifier')[0] };
        if (keys?.dpop) out.dpopKey = await keys.dpop.pair;
        return out;
      });
    },
    exchange: (o) => call('exchange', o).then(JSON.parse),
    // register({ issuer or registrationURL, metadata, initialAccessToken? })
    // registers a client (RFC 7591): metadata is its RFC 7591 metadata
    // (redirect_uris, token_endpoint_auth_method, jwks, …); it resolves to
    // the server's answer, client_id (and client_secret) in it.
    register: (o) => {
      if (o?.metadata === null || typeof o?.metadata !== 'object') return Promise.reject(new AuthError('authlib: register needs metadata, an object of RFC 7591 client metadata', 'invalid_request'));
      return call('register', o, (m) => {
        m.add('oauth.metadata', JSON.stringify(o.metadata));
        if (o.initialAccessToken != null) m.add('oauth.initialAccessToken', scalar('initialAccessToken', o.initialAccessToken));
      }).then(JSON.parse);
    },
    // discoverResource(url) reads a protected resource's metadata (RFC
    // 9728), which must be for url itself.
    discoverResource: (url, o) => call('discoverResource', o, (m) => m.add('url', text(url))).then(JSON.parse),
    // dpopKey({ alg }) makes a DPoP key pair (ES256, or EdDSA), its
    // private key not extractable: give it as dpop, and keep it (in
    // IndexedDB, say) as long as the tokens bound to it.
    dpopKey: (o) => attempt(() => {
      if (o != null && typeof o === 'object') knownKeys('authlib.oauth2.dpopKey', o, ['alg']);
      return newDPoPKey(o?.alg);
    }),
    // revoke({ …settings, token, tokenTypeHint? }) revokes token (RFC 7009)
    // at revocationURL or the issuer's revocation_endpoint; it resolves
    // when the server says the token is of no use now.
    revoke: (o) => {
      if (typeof o?.token !== 'string' || o.token === '') return Promise.reject(new AuthError('authlib: revoke needs token, the token string to revoke', 'invalid_request'));
      return call('revoke', { ...o, token: undefined }, (m) => m.add('oauth.token', o.token)).then(() => undefined);
    },
    device: (o) => {
      const onCode = o?.onCode;
      const code = typeof onCode === 'function' ? (msg) => {
        const m = decode(msg);
        const one = (k) => m.get(k)?.[0] ?? '';
        return onCode({ user_code: one('code.user'), verification_uri: one('code.uri'), verification_uri_complete: one('code.uriComplete'), expires_in: Number(one('code.expiresIn')) });
      } : undefined;
      return call('device', o, undefined, code).then(JSON.parse);
    },
  };
}
