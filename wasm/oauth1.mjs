// oauth1.mjs — authlib.oauth1: OAuth 1.0a's three-legged flow, with
// requests-oauthlib's names (OAuth1Session) in camelCase. Signing each
// request is the auth option { type: 'oauth1', … }.

import { Message, decode } from './wire.mjs';
import { AuthError, scalar } from './common.mjs';
import { attempt } from './input.mjs';
import { addAuth, readAuth } from './auth.mjs';

// oauth1API is authlib.oauth1.
export function oauth1API(raw) {
  const call = (op, url, o) => attempt(() => {
    if (o === null || typeof o !== 'object') throw new AuthError('authlib: oauth1 needs { clientKey, clientSecret, … }', 'invalid_credentials');
    const m = new Message();
    m.add('url', typeof url === 'string' ? url : url instanceof URL ? url.href : scalar('url', url));
    addAuth(m, readAuth({ ...o, type: 'oauth1' }, 'authlib.oauth1.' + op));
    const msg = m.text();
    return new Promise((resolve, reject) => raw.oauth1(op, msg, resolve, reject)).then(answer);
  });
  return {
    // requestToken(url, { clientKey, clientSecret, callback? }) resolves to
    // { oauth_token, oauth_token_secret, oauth_callback_confirmed, … }
    // (fetch_request_token); callback "oob" when not given.
    requestToken: (url, o) => call('requestToken', url, o),
    // authorizationURL(url, token): where the user approves the request
    // token (authorization_url); token is the string or requestToken's answer.
    authorizationURL(url, token) {
      const t = typeof token === 'object' && token !== null ? token.oauth_token : token;
      if (typeof t !== 'string' || t === '') throw new AuthError('authlib: authorizationURL needs the request token', 'invalid_credentials');
      let u;
      try {
        u = new URL(url);
      } catch {
        throw new AuthError('authlib: authorizationURL needs an absolute URL', 'invalid_url');
      }
      u.searchParams.set('oauth_token', t);
      return u.href;
    },
    // parseAuthorizationResponse(url): the { oauth_token, oauth_verifier }
    // of the URL the user came back to (parse_authorization_response).
    parseAuthorizationResponse(url) {
      let q;
      try {
        q = new URL(url).searchParams;
      } catch {
        throw new AuthError('authlib: parseAuthorizationResponse needs the absolute URL the user came back to', 'invalid_url');
      }
      const oauth_token = q.get('oauth_token'), oauth_verifier = q.get('oauth_verifier');
      if (!oauth_token || !oauth_verifier) {
        throw new AuthError('authlib: the callback URL lacks oauth_token or oauth_verifier (did the user deny access?)', 'invalid_credentials');
      }
      return { oauth_token, oauth_verifier };
    },
    // accessToken(url, { clientKey, clientSecret, resourceOwnerKey,
    // resourceOwnerSecret, verifier }) resolves to { oauth_token,
    // oauth_token_secret, … } (fetch_access_token); resourceOwnerKey and
    // resourceOwnerSecret are the request token's.
    accessToken: (url, o) => call('accessToken', url, o),
  };
}

// answer turns Go's message of the answer's fields into an object.
function answer(msg) {
  const out = {};
  for (const p of decode(msg).get('oauth.param') ?? []) {
    for (const [k, v] of new URLSearchParams(p)) out[k] = v;
  }
  return out;
}
